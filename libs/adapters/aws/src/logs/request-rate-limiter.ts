import { CaribouError } from '@caribou/domain-common';
import type { Clock, Sleeper } from '@caribou/ports';

/** CloudWatch Logs' default FilterLogEvents quota: requests per second, per account and region. */
export const DEFAULT_LOG_READS_PER_SECOND = 5;
/** Requests per second the log readers allow themselves (CARIBOU_LOG_READS_PER_SECOND). */
export const LOG_READS_PER_SECOND_VARIABLE = 'CARIBOU_LOG_READS_PER_SECOND';

/** The rate CARIBOU_LOG_READS_PER_SECOND asks for (default 5); a bad value names the variable and the fix. */
export function logReadsPerSecond(env: Record<string, string | undefined>): number {
  const raw = env[LOG_READS_PER_SECOND_VARIABLE];
  if (raw === undefined || raw.trim() === '') return DEFAULT_LOG_READS_PER_SECOND;
  const rate = Number(raw);
  if (!Number.isFinite(rate) || rate <= 0) {
    throw new CaribouError(
      `${LOG_READS_PER_SECOND_VARIABLE} must be a positive number of requests per second (CloudWatch Logs allows FilterLogEvents 5 per second per account and region by default), got '${raw}'`,
    );
  }
  return rate;
}

/**
 * At most `rate` requests in any window of one second (for a rate below 1: one request per
 * 1/rate seconds), on the injected clock and sleeper. A sliding window, not a token bucket: a
 * full bucket would let up to twice the rate through within one second, which the quota
 * counts as throttled. Each caller reserves its slot when it asks, so concurrent callers are
 * served in the order they asked and never share a slot.
 *
 * Hand-written rather than bottleneck or p-throttle: both read Date.now and setTimeout, so no
 * test could drive them on an injected clock.
 */
export class SlidingWindowRateLimiter {
  private readonly perWindow: number;
  private readonly windowMs: number;
  /** The last `perWindow` granted slots (epoch ms), oldest first. */
  private readonly granted: number[] = [];

  constructor(
    rate: number,
    private readonly clock: Clock,
    private readonly sleeper: Sleeper,
  ) {
    if (!Number.isFinite(rate) || rate <= 0) throw new CaribouError(`a request rate must be a positive number per second, got ${rate}`);
    // A whole rate of N: N per second; otherwise one per 1/rate seconds (0.5: one every 2 s).
    this.perWindow = Number.isInteger(rate) ? rate : 1;
    this.windowMs = Number.isInteger(rate) ? 1000 : 1000 / rate;
  }

  /** Resolves when one more request fits the rate; the request counts from then. */
  async acquire(): Promise<void> {
    const now = this.clock.now();
    const oldest = this.granted.length < this.perWindow ? -Infinity : this.granted[this.granted.length - this.perWindow]!;
    const slot = Math.max(now, oldest + this.windowMs, this.granted[this.granted.length - 1] ?? -Infinity);
    this.granted.push(slot);
    if (this.granted.length > this.perWindow) this.granted.shift();
    if (slot > now) await this.sleeper.sleep(slot - now);
  }
}

/**
 * One limiter per region for the clients of one account (an AwsClients set is one account):
 * every reader of CloudWatch Logs through the same adapters (run --wait trackers, log_sync,
 * logs) queues on the same limiter, as they share the same quota.
 */
export class RegionRateLimiters {
  private readonly limiters = new Map<string, SlidingWindowRateLimiter>();

  constructor(
    readonly rate: number,
    private readonly clock: Clock,
    private readonly sleeper: Sleeper,
  ) {}

  forRegion(region: string): SlidingWindowRateLimiter {
    let limiter = this.limiters.get(region);
    if (!limiter) {
      limiter = new SlidingWindowRateLimiter(this.rate, this.clock, this.sleeper);
      this.limiters.set(region, limiter);
    }
    return limiter;
  }
}
