/**
 * Holt-Winters exponential smoothing with additive seasonality and no trend, the model
 * the reference fits with statsmodels (`ExponentialSmoothing(trend=None,
 * seasonal="additive", seasonal_periods=24).fit()`):
 *
 *   forecast   ŷ_t = l_{t−1} + s_{t−m}
 *   error      e_t = y_t − ŷ_t
 *   level      l_t = l_{t−1} + α·e_t
 *   season     s_t = s_{t−m} + γ·e_t          (0 ≤ α ≤ 1, 0 ≤ γ ≤ 1 − α)
 *
 * Fitting minimises the sum of squared one-step errors (SSE) over α, γ and the initial
 * states, as statsmodels does with its default "estimated" initialisation:
 *  - For fixed (α, γ) every state is an affine function of the initial states, so the
 *    SSE is quadratic in them and their optimum is a linear least-squares solve. We track
 *    the affine coefficients through the recursion and solve the normal equations. The
 *    initial level is pinned to 0 because a constant moved between the level and all
 *    seasonal states changes no forecast (the model is not identifiable otherwise).
 *  - The remaining two-parameter problem, SSE*(α, γ), is searched on an 11 × 11 grid over
 *    α ∈ [0, 1], g = γ / (1 − α) ∈ [0, 1], then refined by Nelder–Mead from the best
 *    grid point, with the simplex clamped to the unit square.
 * Missing observations (null) do not update the states, the usual treatment of gaps in
 * exponential smoothing, so a gap does not shift the seasonal alignment.
 */

export interface HoltWintersFit {
  alpha: number;
  gamma: number;
  /** Level after the last observation. */
  level: number;
  /** Seasonal states after the last observation; `seasonals[k]` applies to the (k+1)-th step ahead. */
  seasonals: number[];
  sse: number;
  observations: number;
}

/** Observations (with gaps) needed for a fit: two full seasons, as statsmodels requires. */
export const minimumObservationsForFit = (period: number): number => 2 * period;

interface AffineState {
  coefficients: Float64Array;
  constant: number;
}

/** SSE at the best initial states for fixed (α, γ), plus those states. */
function concentratedFit(series: ReadonlyArray<number | null>, period: number, alpha: number, gamma: number): { sse: number; initialSeasonals: Float64Array } {
  const size = period; // unknowns: s_{1−m} … s_0 (l_0 pinned to 0)
  const level: AffineState = { coefficients: new Float64Array(size), constant: 0 };
  const seasonals: AffineState[] = [];
  for (let k = 0; k < period; k++) {
    const coefficients = new Float64Array(size);
    coefficients[k] = 1;
    seasonals.push({ coefficients, constant: 0 });
  }
  const gram = new Float64Array(size * size);
  const rhs = new Float64Array(size);
  const error = new Float64Array(size);

  for (let t = 0; t < series.length; t++) {
    const slot = t % period;
    const season = seasonals[slot]!;
    const y = series[t];
    if (y === null || y === undefined) continue; // gap: states carry over unchanged
    // e = y − (level + season) = errorConstant + error·θ
    for (let k = 0; k < size; k++) error[k] = -(level.coefficients[k]! + season.coefficients[k]!);
    const errorConstant = y - level.constant - season.constant;
    for (let i = 0; i < size; i++) {
      const ei = error[i]!;
      if (ei === 0) continue;
      rhs[i] = rhs[i]! - ei * errorConstant;
      for (let j = i; j < size; j++) gram[i * size + j] = gram[i * size + j]! + ei * error[j]!;
    }
    for (let k = 0; k < size; k++) {
      level.coefficients[k] = level.coefficients[k]! + alpha * error[k]!;
      season.coefficients[k] = season.coefficients[k]! + gamma * error[k]!;
    }
    level.constant += alpha * errorConstant;
    season.constant += gamma * errorConstant;
  }
  for (let i = 0; i < size; i++) for (let j = 0; j < i; j++) gram[i * size + j] = gram[j * size + i]!;
  const initialSeasonals = solveSymmetric(gram, rhs, size);
  const sse = runRecursion(series, period, alpha, gamma, initialSeasonals).sse;
  return { sse, initialSeasonals };
}

/** Runs the smoothing recursion with numeric initial states. */
function runRecursion(series: ReadonlyArray<number | null>, period: number, alpha: number, gamma: number, initialSeasonals: Float64Array) {
  let level = 0;
  const seasonals = Array.from(initialSeasonals);
  let sse = 0;
  for (let t = 0; t < series.length; t++) {
    const y = series[t];
    if (y === null || y === undefined) continue;
    const slot = t % period;
    const error = y - (level + seasonals[slot]!);
    sse += error * error;
    level += alpha * error;
    seasonals[slot] = seasonals[slot]! + gamma * error;
  }
  // Rotate so that index 0 is the season of the first step after the series.
  const next = series.length % period;
  const ordered = seasonals.slice(next).concat(seasonals.slice(0, next));
  return { sse, level, seasonals: ordered };
}

/**
 * Solves G·x = b for a symmetric positive semi-definite G by Cholesky with a tiny ridge:
 * columns the data never touches (e.g. a season slot with only gaps) stay at 0.
 */
function solveSymmetric(gram: Float64Array, rhs: Float64Array, size: number): Float64Array {
  let trace = 0;
  for (let i = 0; i < size; i++) trace += gram[i * size + i]!;
  const ridge = Math.max(trace / size, 1) * 1e-10;
  const lower = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = gram[i * size + j]! + (i === j ? ridge : 0);
      for (let k = 0; k < j; k++) sum -= lower[i * size + k]! * lower[j * size + k]!;
      lower[i * size + j] = i === j ? Math.sqrt(Math.max(sum, ridge)) : sum / lower[j * size + j]!;
    }
  }
  const y = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let sum = rhs[i]!;
    for (let k = 0; k < i; k++) sum -= lower[i * size + k]! * y[k]!;
    y[i] = sum / lower[i * size + i]!;
  }
  const x = new Float64Array(size);
  for (let i = size - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < size; k++) sum -= lower[k * size + i]! * x[k]!;
    x[i] = sum / lower[i * size + i]!;
  }
  return x;
}

const clamp01 = (value: number): number => Math.min(1, Math.max(0, value));

/** Nelder–Mead on the unit square (points clamped), minimising `objective`. */
function nelderMead(objective: (point: [number, number]) => number, start: [number, number], step: number, maxIterations = 200, tolerance = 1e-10): [number, number] {
  const evaluate = (p: [number, number]): { point: [number, number]; value: number } => {
    const point: [number, number] = [clamp01(p[0]), clamp01(p[1])];
    return { point, value: objective(point) };
  };
  let simplex = [
    evaluate(start),
    evaluate([start[0] + (start[0] + step <= 1 ? step : -step), start[1]]),
    evaluate([start[0], start[1] + (start[1] + step <= 1 ? step : -step)]),
  ];
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    simplex.sort((a, b) => a.value - b.value);
    const [best, middle, worst] = simplex as [typeof simplex[0], typeof simplex[0], typeof simplex[0]];
    if (Math.abs(worst.value - best.value) <= tolerance * (Math.abs(best.value) + tolerance)) break;
    const centroid: [number, number] = [(best.point[0] + middle.point[0]) / 2, (best.point[1] + middle.point[1]) / 2];
    const along = (factor: number): [number, number] => [
      centroid[0] + factor * (worst.point[0] - centroid[0]),
      centroid[1] + factor * (worst.point[1] - centroid[1]),
    ];
    const reflected = evaluate(along(-1));
    if (reflected.value < best.value) {
      const expanded = evaluate(along(-2));
      simplex = [best, middle, expanded.value < reflected.value ? expanded : reflected];
    } else if (reflected.value < middle.value) {
      simplex = [best, middle, reflected];
    } else {
      const contracted = evaluate(reflected.value < worst.value ? along(-0.5) : along(0.5));
      if (contracted.value < Math.min(worst.value, reflected.value)) simplex = [best, middle, contracted];
      else {
        const shrink = (p: { point: [number, number] }) => evaluate([(best.point[0] + p.point[0]) / 2, (best.point[1] + p.point[1]) / 2]);
        simplex = [best, shrink(middle), shrink(worst)];
      }
    }
  }
  simplex.sort((a, b) => a.value - b.value);
  return simplex[0]!.point;
}

/**
 * Fits the model to an evenly spaced series (null = missing). Needs at least two full
 * seasons of observations; returns undefined otherwise.
 */
export function fitHoltWintersAdditive(series: ReadonlyArray<number | null>, period = 24): HoltWintersFit | undefined {
  const observations = series.filter((value) => value !== null && value !== undefined).length;
  if (observations < minimumObservationsForFit(period)) return undefined;
  const toParameters = ([alpha, g]: [number, number]) => ({ alpha, gamma: g * (1 - alpha) });
  const sseAt = (point: [number, number]): number => {
    const { alpha, gamma } = toParameters(point);
    return concentratedFit(series, period, alpha, gamma).sse;
  };
  let best: [number, number] = [0, 0];
  let bestValue = Infinity;
  const steps = 10;
  for (let i = 0; i <= steps; i++) {
    for (let j = 0; j <= steps; j++) {
      const point: [number, number] = [i / steps, j / steps];
      const value = sseAt(point);
      if (value < bestValue) {
        bestValue = value;
        best = point;
      }
    }
  }
  const refined = nelderMead(sseAt, best, 0.5 / steps);
  const chosen = sseAt(refined) <= bestValue ? refined : best;
  const { alpha, gamma } = toParameters(chosen);
  const { initialSeasonals } = concentratedFit(series, period, alpha, gamma);
  const final = runRecursion(series, period, alpha, gamma, initialSeasonals);
  return { alpha, gamma, level: final.level, seasonals: final.seasonals, sse: final.sse, observations };
}

/** The next `horizon` values after the fitted series. */
export function forecastHoltWinters(fit: HoltWintersFit, horizon: number): number[] {
  const period = fit.seasonals.length;
  return Array.from({ length: horizon }, (_, step) => fit.level + fit.seasonals[step % period]!);
}
