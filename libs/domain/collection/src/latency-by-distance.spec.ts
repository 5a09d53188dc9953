import { describe, expect, it } from 'vitest';
import { fitLatencyByDistance, latencyFitError } from './latency-by-distance';

describe('fitLatencyByDistance', () => {
  it('recovers an exact line with zero error', () => {
    const pairs = [100, 1000, 5000, 12000].map((km) => ({ distanceKm: km, latencyMs: 4 + 0.02 * km }));
    const fit = fitLatencyByDistance(pairs);
    expect(fit.interceptMs).toBeCloseTo(4, 9);
    expect(fit.msPerKm).toBeCloseTo(0.02, 12);
    expect(fit.error.rmseMs).toBeCloseTo(0, 9);
    expect(fit.error.pairs).toBe(4);
  });

  it('weights each pair by 1/latency² (hand-computed; ordinary least squares would give 7/6 + x/2)', () => {
    const fit = fitLatencyByDistance([
      { distanceKm: 0, latencyMs: 1 },
      { distanceKm: 1, latencyMs: 2 },
      { distanceKm: 2, latencyMs: 2 },
    ]);
    expect(fit.msPerKm).toBeCloseTo(4 / 7, 12);
    expect(fit.interceptMs).toBeCloseTo(22 / 21, 12);
  });

  it('reports order statistics of the errors', () => {
    const pairs = [
      { distanceKm: 0, latencyMs: 10 },
      { distanceKm: 0, latencyMs: 20 },
    ];
    const error = latencyFitError({ interceptMs: 15, msPerKm: 0 }, pairs);
    expect(error).toMatchObject({ medianAbsoluteMs: 5, p90AbsoluteMs: 5, medianRelative: 0.25, p90Relative: 0.25, rmseMs: 5 });
  });

  it('refuses too few pairs, a non-positive latency and pairs all at one distance, naming the problem', () => {
    expect(() => fitLatencyByDistance([{ distanceKm: 1, latencyMs: 1 }])).toThrow('at least 2 measured pairs');
    expect(() => fitLatencyByDistance([{ distanceKm: 1, latencyMs: 0 }, { distanceKm: 2, latencyMs: 3 }])).toThrow('positive latency');
    expect(() => fitLatencyByDistance([{ distanceKm: 5, latencyMs: 1 }, { distanceKm: 5, latencyMs: 3 }])).toThrow('different distances');
  });
});
