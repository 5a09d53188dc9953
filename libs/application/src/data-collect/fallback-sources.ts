import { DataSourceRefusedError, type CarbonLocation, type CarbonReading, type CarbonSource, type LatencyReading, type LatencySource, type ProgressReporter } from '@caribou/ports';
import { errorMessage } from './collector-context';

/** After this many failures in a row the primary source is treated as down for the rest of the run. */
const CONSECUTIVE_FAILURES_BEFORE_GIVING_UP = 3;

/**
 * Shared policy of the fallback compositions: ask the primary; when it has no data for
 * an item, or fails, ask the fallback. A refusal (bad token, plan) or a run of failures
 * switches the primary off, so one bad key does not cost a timeout per region.
 */
class PrimaryWithFallback {
  private disabledBecause: string | undefined;
  private consecutiveFailures = 0;

  constructor(
    private readonly primaryName: string,
    private readonly progress?: ProgressReporter,
  ) {}

  async attempt<T>(call: () => Promise<T | undefined>): Promise<{ value?: T; note?: string }> {
    if (this.disabledBecause !== undefined) return { note: `${this.primaryName} not used: ${this.disabledBecause}` };
    try {
      const value = await call();
      this.consecutiveFailures = 0;
      return value === undefined ? { note: `${this.primaryName} had no data` } : { value };
    } catch (error) {
      this.consecutiveFailures += 1;
      const message = errorMessage(error);
      if (error instanceof DataSourceRefusedError || this.consecutiveFailures >= CONSECUTIVE_FAILURES_BEFORE_GIVING_UP) {
        this.disabledBecause = message;
        this.progress?.warn(`${this.primaryName} switched off for this run: ${message}`);
      }
      return { note: `${this.primaryName} failed: ${message}` };
    }
  }
}

/**
 * A CarbonSource that prefers a live source (Electricity Maps) and falls back to another
 * (the offline dataset) per region; the reading's notes say why the fallback was used.
 */
export class FallbackCarbonSource implements CarbonSource {
  readonly name: string;
  private readonly policy: PrimaryWithFallback;

  constructor(
    private readonly primary: CarbonSource,
    private readonly fallback: CarbonSource,
    progress?: ProgressReporter,
  ) {
    this.name = `${primary.name}, falling back to the ${fallback.name}`;
    this.policy = new PrimaryWithFallback(primary.name, progress);
  }

  async read(location: CarbonLocation): Promise<CarbonReading | undefined> {
    const { value, note } = await this.policy.attempt(() => this.primary.read(location));
    if (value) return value;
    const reading = await this.fallback.read(location);
    return reading && { ...reading, notes: [...(note ? [note] : []), ...reading.notes] };
  }
}

/** A LatencySource that prefers a live source (cloudping) and falls back per pair to another (the offline snapshot). */
export class FallbackLatencySource implements LatencySource {
  readonly name: string;
  private readonly policy: PrimaryWithFallback;

  constructor(
    private readonly primary: LatencySource,
    private readonly fallback: LatencySource,
    progress?: ProgressReporter,
  ) {
    this.name = `${primary.name}, falling back to the ${fallback.name}`;
    this.policy = new PrimaryWithFallback(primary.name, progress);
  }

  async read(fromCode: string, toCode: string): Promise<LatencyReading | undefined> {
    const { value } = await this.policy.attempt(() => this.primary.read(fromCode, toCode));
    return value ?? (await this.fallback.read(fromCode, toCode));
  }
}
