import type { ProviderRegion } from '@caribou/domain-common';

/** Seconds a message takes from one region (null = the client) to another. */
export interface LatencyModel {
  deliverySeconds(from: ProviderRegion | null, to: ProviderRegion, random: () => number): number;
  /** Seconds a function in `from` waits to read its data in `to` (one round trip); none when absent. */
  dataAccessSeconds?(from: ProviderRegion, to: ProviderRegion, random: () => number): number;
}

export interface MatrixLatencyOptions {
  /** Round-trip p50 in ms by AWS region code, e.g. cloudping's matrix. */
  roundTripMs: Record<string, Record<string, number>>;
  /** Fixed cost of an asynchronous invoke (queueing in the platform), seconds. */
  invokeOverheadS?: number;
  /** Log-normal jitter (sigma of ln) around the median. */
  jitterSigma?: number;
  /** Used when a region pair is not in the matrix (the reference's 150 ms default). */
  fallbackRoundTripMs?: number;
}

/**
 * Delivery time = invoke overhead + one-way network time, drawn log-normally around
 * half the measured round-trip p50 between the two regions. A client request without a
 * region is treated as coming from inside the target region. Reading data in another
 * region takes one round trip, drawn the same way.
 */
export class MatrixLatencyModel implements LatencyModel {
  private readonly overhead: number;
  private readonly sigma: number;
  private readonly fallback: number;

  constructor(private readonly options: MatrixLatencyOptions) {
    this.overhead = options.invokeOverheadS ?? 0.025;
    this.sigma = options.jitterSigma ?? 0.15;
    this.fallback = options.fallbackRoundTripMs ?? 150;
  }

  roundTripMs(from: string, to: string): number {
    return this.options.roundTripMs[from]?.[to] ?? this.options.roundTripMs[to]?.[from] ?? this.fallback;
  }

  deliverySeconds(from: ProviderRegion | null, to: ProviderRegion, random: () => number): number {
    const median = this.roundTripMs(from?.region ?? to.region, to.region) / 2 / 1000;
    return this.overhead + median * Math.exp(this.sigma * standardNormal(random));
  }

  dataAccessSeconds(from: ProviderRegion, to: ProviderRegion, random: () => number): number {
    return (this.roundTripMs(from.region, to.region) / 1000) * Math.exp(this.sigma * standardNormal(random));
  }
}

function standardNormal(random: () => number): number {
  const u = Math.max(random(), Number.EPSILON);
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
