import { CaribouError } from '@caribou/domain-common';
import { normalPpf } from './normal-distribution';
import { hashSeed, mulberry32, standardNormalSampler, type UniformRandom } from './seeded-random';

/** The percentiles cloudping publishes and the reference fits (`p_10` … `p_99`). */
export const LATENCY_PERCENTILES = ['p_10', 'p_25', 'p_50', 'p_75', 'p_90', 'p_98', 'p_99'] as const;
export type LatencyPercentile = (typeof LATENCY_PERCENTILES)[number];

/** Probability of each percentile name. */
export const LATENCY_PERCENTILE_RANKS: Readonly<Record<LatencyPercentile, number>> = {
  p_10: 0.1,
  p_25: 0.25,
  p_50: 0.5,
  p_75: 0.75,
  p_90: 0.9,
  p_98: 0.98,
  p_99: 0.99,
};

/** Latency measurements in milliseconds, keyed by percentile; any subset may be present. */
export type LatencyPercentilesMs = Partial<Record<LatencyPercentile, number>>;

/** Samples per region pair, as the reference draws. */
export const LATENCY_SAMPLE_COUNT = 100;

/**
 * The reference's `DEFAULT_LATENCY_VALUE` (150 ms) for pairs it cannot resolve. The
 * reference stores it unconverted (`[150]*7`, read as 150 s); we store 0.15 s.
 */
export const DEFAULT_LATENCY_SECONDS = 0.15;

/** Lower bound on sigma, as the reference's L-BFGS-B bounds (`sigma ≥ 1e-5`). */
export const MIN_LOG_NORMAL_SIGMA = 1e-5;

/**
 * Log-space dispersion assumed when only the median is known (the offline cloudping
 * snapshot has P50 only). A judgement, not a measurement: 0.1 puts P10 at 0.88×,
 * P90 at 1.14× and P99 at 1.26× the median — the order of the jitter seen between
 * cloud regions. With one percentile the least-squares fit cannot determine sigma
 * (the reference would keep its starting value, std of one point = 0, i.e. a point mass),
 * so the collector takes this value, or the one its caller configures.
 */
export const P50_ONLY_LOG_SIGMA = 0.1;

export interface LogNormalParameters {
  /** Mean of ln(latency in ms). */
  mu: number;
  /** Standard deviation of ln(latency in ms). */
  sigma: number;
}

/**
 * Fits a log-normal to latency percentiles the way the reference does: least squares of
 * ln(percentile) against Normal.ppf(rank, mu, sigma) with sigma ≥ 1e-5. Because
 * ppf(rank, mu, sigma) = mu + sigma·z(rank) is linear in (mu, sigma), the minimum is
 * the ordinary regression line of ln(value) on z, found in closed form (the reference
 * gets there iteratively with L-BFGS-B). When the slope is below the bound, sigma
 * sits on the bound and mu is the best intercept for it.
 * With a single percentile, sigma = `singlePercentileSigma` and mu honours that
 * percentile exactly.
 */
export function fitLogNormalToPercentiles(percentilesMs: LatencyPercentilesMs, singlePercentileSigma = P50_ONLY_LOG_SIGMA): LogNormalParameters {
  const points: Array<{ z: number; y: number }> = [];
  for (const name of LATENCY_PERCENTILES) {
    const value = percentilesMs[name];
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value <= 0) {
      throw new CaribouError(`latency percentile ${name} is ${value}: latencies must be positive milliseconds`);
    }
    points.push({ z: normalPpf(LATENCY_PERCENTILE_RANKS[name]), y: Math.log(value) });
  }
  if (points.length === 0) throw new CaribouError('no latency percentile given: pass at least p_50 (milliseconds)');
  if (points.length === 1) {
    const only = points[0]!;
    const sigma = Math.max(singlePercentileSigma, MIN_LOG_NORMAL_SIGMA);
    return { mu: only.y - sigma * only.z, sigma };
  }
  const meanZ = points.reduce((sum, p) => sum + p.z, 0) / points.length;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / points.length;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.z - meanZ) * (p.y - meanY);
    sxx += (p.z - meanZ) ** 2;
  }
  const sigma = Math.max(sxx > 0 ? sxy / sxx : 0, MIN_LOG_NORMAL_SIGMA);
  return { mu: meanY - sigma * meanZ, sigma };
}

/** Draws `count` log-normal latencies and converts them from ms to seconds. */
export function sampleLogNormalSeconds(parameters: LogNormalParameters, count: number, random: UniformRandom): number[] {
  const normal = standardNormalSampler(random);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) samples.push(Math.exp(parameters.mu + parameters.sigma * normal()) / 1000);
  return samples;
}

/** A deterministic generator for one ordered region pair, so samples do not depend on collection order. */
export function pairRandom(seed: number | string, fromKey: string, toKey: string): UniformRandom {
  return mulberry32(hashSeed(`${seed}|${fromKey}|${toKey}`));
}

/** How a region pair's latency distribution was obtained. */
export type LatencyDistributionMethod = 'fitted-percentiles' | 'p50-with-assumed-sigma' | 'given-samples' | 'default-150ms';

export interface LatencyDistribution {
  seconds: number[];
  method: LatencyDistributionMethod;
}

/** What a latency source can say about one pair: percentiles in ms, or ready samples in seconds. */
export type LatencyObservation = { kind: 'percentiles'; millis: LatencyPercentilesMs } | { kind: 'samples'; seconds: readonly number[] };

/**
 * The `latency_distribution` (seconds) for one pair: fitted log-normal samples from
 * percentiles, given samples as they are, or the 0.15 s default when nothing is known.
 */
export function latencyDistributionSeconds(
  observation: LatencyObservation | undefined,
  options: { random: UniformRandom; sampleCount?: number; singlePercentileSigma?: number },
): LatencyDistribution {
  if (observation === undefined) return { seconds: [DEFAULT_LATENCY_SECONDS], method: 'default-150ms' };
  if (observation.kind === 'samples') {
    const seconds = observation.seconds.filter((value) => Number.isFinite(value) && value >= 0);
    if (seconds.length === 0) return { seconds: [DEFAULT_LATENCY_SECONDS], method: 'default-150ms' };
    return { seconds, method: 'given-samples' };
  }
  const present = LATENCY_PERCENTILES.filter((name) => observation.millis[name] !== undefined);
  if (present.length === 0) return { seconds: [DEFAULT_LATENCY_SECONDS], method: 'default-150ms' };
  const parameters = fitLogNormalToPercentiles(observation.millis, options.singlePercentileSigma);
  return {
    seconds: sampleLogNormalSeconds(parameters, options.sampleCount ?? LATENCY_SAMPLE_COUNT, options.random),
    method: present.length === 1 ? 'p50-with-assumed-sigma' : 'fitted-percentiles',
  };
}

/** Codes the reference substitutes when cloudping lacks a region (regions launched after its snapshot). */
export const LATENCY_CODE_SUBSTITUTES: Readonly<Record<string, string>> = {
  'me-central-1': 'me-south-1',
  'il-central-1': 'me-south-1',
  'ca-west-1': 'us-west-2',
};

export interface ResolvedLatencyCode {
  code: string;
  /** Present when the measured code differs from the requested one. */
  substitutedFor?: string;
}

/**
 * Maps a region code to one the latency data knows, with the reference's rules: an
 * unknown code becomes its `-1` sibling (last character replaced by `1`); then
 * me-central-1 and il-central-1 become me-south-1 and ca-west-1 becomes us-west-2.
 * Unlike the reference, the substitutions apply only when the data lacks the code:
 * the reference always maps those three, discarding measurements that exist today.
 * Returns undefined when nothing matches (the caller uses the 0.15 s default).
 */
export function resolveLatencyCode(code: string, isKnown: (code: string) => boolean): ResolvedLatencyCode | undefined {
  if (isKnown(code)) return { code };
  let candidate = code.length > 0 ? `${code.slice(0, -1)}1` : code;
  if (!isKnown(candidate) && LATENCY_CODE_SUBSTITUTES[candidate] !== undefined) candidate = LATENCY_CODE_SUBSTITUTES[candidate]!;
  return isKnown(candidate) ? { code: candidate, substitutedFor: code } : undefined;
}
