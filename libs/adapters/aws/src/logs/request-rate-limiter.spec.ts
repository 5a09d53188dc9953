import { describe, expect, it } from 'vitest';
import { VirtualTime } from '../testing/virtual-time';
import { logReadsPerSecond, RegionRateLimiters, SlidingWindowRateLimiter } from './request-rate-limiter';

/** The largest number of instants in any window [t, t + windowMs). */
function busiestWindow(instants: readonly number[], windowMs = 1000): number {
  const sorted = [...instants].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('SlidingWindowRateLimiter (injected clock)', () => {
  it('lets 60 concurrent callers through at most 5 in any second, in the order they asked', async () => {
    const time = new VirtualTime(1_000_000);
    const limiter = new SlidingWindowRateLimiter(5, time, time);
    const granted: Array<{ caller: number; at: number }> = [];
    await time.run(
      Promise.all(
        Array.from({ length: 60 }, async (_, caller) => {
          await limiter.acquire();
          granted.push({ caller, at: time.now() });
        }),
      ),
    );
    expect(busiestWindow(granted.map((g) => g.at))).toBe(5);
    expect(granted.map((g) => g.caller)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    // No slower than the rate either: 60 requests at 5 per second take 11 s after the first.
    expect(granted[59]!.at - granted[0]!.at).toBe(11_000);
  });

  it('spaces requests 1/rate apart for a rate below one per second', async () => {
    const time = new VirtualTime(0);
    const limiter = new SlidingWindowRateLimiter(0.5, time, time);
    const at: number[] = [];
    await time.run(Promise.all([0, 1, 2].map(async () => void (await limiter.acquire(), at.push(time.now())))));
    expect(at).toEqual([0, 2000, 4000]);
  });

  it('does not wait when the rate has room', async () => {
    const time = new VirtualTime(0);
    const limiter = new SlidingWindowRateLimiter(5, time, time);
    for (let i = 0; i < 5; i++) await limiter.acquire();
    expect(time.now()).toBe(0);
  });

  it('keeps one limiter per region', () => {
    const time = new VirtualTime(0);
    const limiters = new RegionRateLimiters(5, time, time);
    expect(limiters.forRegion('eu-west-1')).toBe(limiters.forRegion('eu-west-1'));
    expect(limiters.forRegion('eu-west-1')).not.toBe(limiters.forRegion('us-east-1'));
  });
});

describe('logReadsPerSecond', () => {
  it('defaults to the FilterLogEvents quota and reads CARIBOU_LOG_READS_PER_SECOND', () => {
    expect(logReadsPerSecond({})).toBe(5);
    expect(logReadsPerSecond({ CARIBOU_LOG_READS_PER_SECOND: '2.5' })).toBe(2.5);
  });

  it('refuses a rate that is not a positive number, naming the variable', () => {
    expect(() => logReadsPerSecond({ CARIBOU_LOG_READS_PER_SECOND: 'fast' })).toThrow(/^CARIBOU_LOG_READS_PER_SECOND must be a positive number .* got 'fast'$/);
    expect(() => logReadsPerSecond({ CARIBOU_LOG_READS_PER_SECOND: '0' })).toThrow(/CARIBOU_LOG_READS_PER_SECOND/);
  });
});
