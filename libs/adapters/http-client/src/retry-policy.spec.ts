import { describe, expect, it } from 'vitest';
import { backoffDelayMs, parseRetryAfterMs, retryDelayMs } from './retry-policy';

describe('retry policy', () => {
  const now = Date.UTC(2024, 4, 13, 12, 0, 0);

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfterMs('2', now)).toBe(2000);
    expect(parseRetryAfterMs('0.5', now)).toBe(500);
    expect(parseRetryAfterMs(new Date(now + 3000).toUTCString(), now)).toBe(3000);
    expect(parseRetryAfterMs(new Date(now - 3000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
  });

  it('doubles the backoff per attempt up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelayMs(attempt, 100, 1000))).toEqual([100, 200, 400, 800, 1000]);
  });

  it("prefers the server's Retry-After, capped", () => {
    expect(retryDelayMs({ attempt: 1, retryAfter: '3', nowMs: now, baseMs: 100, capMs: 10_000 })).toBe(3000);
    expect(retryDelayMs({ attempt: 1, retryAfter: '300', nowMs: now, baseMs: 100, capMs: 10_000 })).toBe(10_000);
    expect(retryDelayMs({ attempt: 3, retryAfter: undefined, nowMs: now, baseMs: 100, capMs: 10_000 })).toBe(400);
  });
});
