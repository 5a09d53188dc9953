import { pythonMean } from './python-math';

export interface BestFitLine {
  slope_s: number;
  intercept_s: number;
  min_latency_s: number;
  max_latency_s: number;
}

/**
 * Latency as a line over transfer size (reference `_calculate_best_fit_line`), used by
 * the solver where a size bucket has no sample. The average of the per-bucket means
 * bounds it (0.7×…1.3×); with more than one bucket an ordinary least-squares fit over all
 * samples is used if it is plausible (intercept > 0, slope ≥ 0), else a flat line.
 *
 * The reference appended a 0.0 sample to an empty bucket before averaging; buckets
 * without samples are skipped here instead (they only arise from discarded start-hop
 * latencies, and a fake zero would pull the line down). Undefined when no bucket has samples.
 */
export function bestFitLine(sizeKeyToLatencies: Record<string, readonly number[]>): BestFitLine | undefined {
  const buckets = Object.entries(sizeKeyToLatencies).filter(([, latencies]) => latencies.length > 0);
  if (buckets.length === 0) return undefined;
  const average = pythonMean(buckets.map(([, latencies]) => pythonMean(latencies)));
  let slope = 0.0;
  let intercept = average;
  if (buckets.length > 1) {
    const xs: number[] = [];
    const ys: number[] = [];
    for (const [size, latencies] of buckets) {
      for (const latency of latencies) {
        xs.push(Number(size));
        ys.push(latency);
      }
    }
    const fit = leastSquares(xs, ys);
    if (fit !== undefined && fit.intercept > 0.0 && fit.slope >= 0.0) {
      slope = fit.slope;
      intercept = fit.intercept;
    }
  }
  return { slope_s: slope, intercept_s: intercept, min_latency_s: average * 0.7, max_latency_s: average * 1.3 };
}

/** Ordinary least squares y = slope·x + intercept (scipy `linregress`); undefined when all x are equal. */
export function leastSquares(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number } | undefined {
  const xMean = pythonMean(xs);
  const yMean = pythonMean(ys);
  let sxx = 0.0;
  let sxy = 0.0;
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i]! - xMean;
    sxx += dx * dx;
    sxy += dx * (ys[i]! - yMean);
  }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  return { slope, intercept: yMean - slope * xMean };
}
