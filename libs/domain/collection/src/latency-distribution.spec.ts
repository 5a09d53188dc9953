import { describe, expect, it } from 'vitest';
import { CaribouError } from '@caribou/domain-common';
import {
  DEFAULT_LATENCY_SECONDS,
  LATENCY_PERCENTILES,
  LATENCY_PERCENTILE_RANKS,
  MIN_LOG_NORMAL_SIGMA,
  P50_ONLY_LOG_SIGMA,
  fitLogNormalToPercentiles,
  latencyDistributionSeconds,
  pairRandom,
  resolveLatencyCode,
  type LatencyPercentilesMs,
} from './latency-distribution';
import { normalPpf } from './normal-distribution';

const percentilesOf = (mu: number, sigma: number): LatencyPercentilesMs =>
  Object.fromEntries(LATENCY_PERCENTILES.map((name) => [name, Math.exp(mu + sigma * normalPpf(LATENCY_PERCENTILE_RANKS[name]))]));

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[Math.floor((sorted.length - 1) / 2)]! + sorted[Math.ceil((sorted.length - 1) / 2)]!) / 2;
};

describe('fitLogNormalToPercentiles', () => {
  it('recovers mu and sigma from exact log-normal percentiles', () => {
    const fit = fitLogNormalToPercentiles(percentilesOf(Math.log(70), 0.08));
    expect(fit.mu).toBeCloseTo(Math.log(70), 12);
    expect(fit.sigma).toBeCloseTo(0.08, 12);
  });

  it('puts sigma on its 1e-5 bound when all percentiles are equal (reference test data)', () => {
    const flat = Object.fromEntries(LATENCY_PERCENTILES.map((name) => [name, 247.76]));
    const fit = fitLogNormalToPercentiles(flat);
    expect(fit.sigma).toBe(MIN_LOG_NORMAL_SIGMA);
    expect(Math.exp(fit.mu)).toBeCloseTo(247.76, 2);
  });

  it('keeps the median exact and uses the assumed sigma when only p_50 is known', () => {
    expect(fitLogNormalToPercentiles({ p_50: 67.2 })).toEqual({ mu: Math.log(67.2), sigma: P50_ONLY_LOG_SIGMA });
    expect(fitLogNormalToPercentiles({ p_50: 67.2 }, 0.3).sigma).toBe(0.3);
  });

  it('rejects non-positive latencies and empty input with a CaribouError', () => {
    expect(() => fitLogNormalToPercentiles({ p_50: 0 })).toThrow(CaribouError);
    expect(() => fitLogNormalToPercentiles({ p_50: -3 })).toThrow(/p_50 is -3/);
    expect(() => fitLogNormalToPercentiles({})).toThrow(CaribouError);
  });
});

describe('latencyDistributionSeconds', () => {
  it('draws 100 samples in seconds between 0 and 0.3 s for a 247.76 ms link (reference test)', () => {
    const flat = Object.fromEntries(LATENCY_PERCENTILES.map((name) => [name, 247.76]));
    const result = latencyDistributionSeconds({ kind: 'percentiles', millis: flat }, { random: pairRandom(1, 'aws:us-west-2', 'aws:me-south-1') });
    expect(result.method).toBe('fitted-percentiles');
    expect(result.seconds).toHaveLength(100);
    for (const sample of result.seconds) {
      expect(sample).toBeGreaterThan(0);
      expect(sample).toBeLessThanOrEqual(0.3);
      expect(sample).toBeCloseTo(0.24776, 3);
    }
  });

  it('samples a p_50-only link around its median, in seconds, with the assumed spread', () => {
    const result = latencyDistributionSeconds({ kind: 'percentiles', millis: { p_50: 80 } }, { random: pairRandom(7, 'a', 'b'), sampleCount: 20_000 });
    expect(result.method).toBe('p50-with-assumed-sigma');
    expect(median(result.seconds)).toBeCloseTo(0.08, 2);
    const logs = result.seconds.map((s) => Math.log(s));
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / logs.length);
    expect(sd).toBeGreaterThan(0.095);
    expect(sd).toBeLessThan(0.105);
  });

  it('is reproducible per pair and differs between pairs', () => {
    const observation = { kind: 'percentiles' as const, millis: { p_50: 80 } };
    const first = latencyDistributionSeconds(observation, { random: pairRandom(42, 'x', 'y') }).seconds;
    const again = latencyDistributionSeconds(observation, { random: pairRandom(42, 'x', 'y') }).seconds;
    const other = latencyDistributionSeconds(observation, { random: pairRandom(42, 'y', 'x') }).seconds;
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('falls back to 0.15 s (not 150) when nothing is known', () => {
    expect(latencyDistributionSeconds(undefined, { random: pairRandom(1, 'a', 'b') })).toEqual({ seconds: [DEFAULT_LATENCY_SECONDS], method: 'default-150ms' });
    expect(DEFAULT_LATENCY_SECONDS).toBe(0.15);
  });

  it('passes given samples through', () => {
    expect(latencyDistributionSeconds({ kind: 'samples', seconds: [0.01, 0.02] }, { random: pairRandom(1, 'a', 'b') })).toEqual({
      seconds: [0.01, 0.02],
      method: 'given-samples',
    });
  });
});

describe('resolveLatencyCode', () => {
  const known = new Set(['us-west-2', 'me-south-1', 'ap-east-1', 'eu-central-1', 'ap-southeast-1']);
  const isKnown = (code: string) => known.has(code);

  it('keeps a measured code', () => {
    expect(resolveLatencyCode('us-west-2', isKnown)).toEqual({ code: 'us-west-2' });
  });

  it("uses the '-1' sibling of an unknown code", () => {
    expect(resolveLatencyCode('ap-east-2', isKnown)).toEqual({ code: 'ap-east-1', substitutedFor: 'ap-east-2' });
    expect(resolveLatencyCode('ap-southeast-6', isKnown)).toEqual({ code: 'ap-southeast-1', substitutedFor: 'ap-southeast-6' });
  });

  it('maps me-central-1 / il-central-1 to me-south-1 and ca-west-1 to us-west-2 when they are not measured', () => {
    expect(resolveLatencyCode('me-central-1', isKnown)).toEqual({ code: 'me-south-1', substitutedFor: 'me-central-1' });
    expect(resolveLatencyCode('il-central-1', isKnown)).toEqual({ code: 'me-south-1', substitutedFor: 'il-central-1' });
    expect(resolveLatencyCode('ca-west-1', isKnown)).toEqual({ code: 'us-west-2', substitutedFor: 'ca-west-1' });
  });

  it('keeps those three when the data measures them (deviation from the reference)', () => {
    expect(resolveLatencyCode('ca-west-1', (code) => code === 'ca-west-1')).toEqual({ code: 'ca-west-1' });
  });

  it('gives up on codes with no sibling', () => {
    expect(resolveLatencyCode('xx-nowhere-3', isKnown)).toBeUndefined();
  });
});
