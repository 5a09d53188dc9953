import { CaribouError } from '@caribou/domain-common';

/** One measured pair: great-circle distance between two regions and their round-trip latency. */
export interface DistanceLatencyPair {
  distanceKm: number;
  latencyMs: number;
}

/** How far the fit's predictions are from the pairs it was fitted on. */
export interface LatencyFitError {
  pairs: number;
  /** Median and 90th percentile of |predicted − measured| / measured. */
  medianRelative: number;
  p90Relative: number;
  /** Median and 90th percentile of |predicted − measured|, ms. */
  medianAbsoluteMs: number;
  p90AbsoluteMs: number;
  rmseMs: number;
}

/** `latencyMs = interceptMs + msPerKm × distanceKm`, with its error on the fitted pairs. */
export interface LatencyByDistanceFit {
  interceptMs: number;
  msPerKm: number;
  error: LatencyFitError;
}

/** Value at rank ⌊q·(n−1)⌋ of the sorted values (a plain order statistic: no interpolation to argue about). */
function orderStatistic(sorted: readonly number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

export function predictLatencyMs(fit: Pick<LatencyByDistanceFit, 'interceptMs' | 'msPerKm'>, distanceKm: number): number {
  return fit.interceptMs + fit.msPerKm * distanceKm;
}

/**
 * Fits latency against distance by least squares of the **relative** error (weights
 * 1/latency²). Ordinary least squares lets the long intercontinental pairs set the line
 * and puts a 25 ms intercept on every pair (a 200 km pair measured at 7 ms would be
 * predicted at 28); the solver mostly compares nearby regions, where the relative fit is
 * within a few ms. Used for clouds with no published inter-region matrix (Google Cloud).
 */
export function fitLatencyByDistance(pairs: readonly DistanceLatencyPair[]): LatencyByDistanceFit {
  if (pairs.length < 2) throw new CaribouError(`a latency-by-distance fit needs at least 2 measured pairs (got ${pairs.length})`);
  let sumW = 0;
  let sumWx = 0;
  let sumWy = 0;
  for (const { distanceKm: x, latencyMs: y } of pairs) {
    if (!(y > 0) || !(x >= 0)) throw new CaribouError(`a measured pair needs a positive latency and a distance of 0 or more (got ${y} ms at ${x} km)`);
    const w = 1 / (y * y);
    sumW += w;
    sumWx += w * x;
    sumWy += w * y;
  }
  const meanX = sumWx / sumW;
  const meanY = sumWy / sumW;
  let sxy = 0;
  let sxx = 0;
  for (const { distanceKm: x, latencyMs: y } of pairs) {
    const w = 1 / (y * y);
    sxy += w * (x - meanX) * (y - meanY);
    sxx += w * (x - meanX) ** 2;
  }
  if (sxx === 0) throw new CaribouError('a latency-by-distance fit needs pairs at different distances');
  const msPerKm = sxy / sxx;
  const interceptMs = meanY - msPerKm * meanX;
  return { interceptMs, msPerKm, error: latencyFitError({ interceptMs, msPerKm }, pairs) };
}

/** The error of a fit on the given pairs. */
export function latencyFitError(fit: Pick<LatencyByDistanceFit, 'interceptMs' | 'msPerKm'>, pairs: readonly DistanceLatencyPair[]): LatencyFitError {
  const absolute = pairs.map(({ distanceKm, latencyMs }) => Math.abs(predictLatencyMs(fit, distanceKm) - latencyMs));
  const relative = absolute.map((error, i) => error / pairs[i]!.latencyMs);
  const byValue = (a: number, b: number) => a - b;
  const sortedAbsolute = [...absolute].sort(byValue);
  const sortedRelative = [...relative].sort(byValue);
  return {
    pairs: pairs.length,
    medianRelative: orderStatistic(sortedRelative, 0.5),
    p90Relative: orderStatistic(sortedRelative, 0.9),
    medianAbsoluteMs: orderStatistic(sortedAbsolute, 0.5),
    p90AbsoluteMs: orderStatistic(sortedAbsolute, 0.9),
    rmseMs: Math.sqrt(absolute.reduce((sum, error) => sum + error * error, 0) / absolute.length),
  };
}
