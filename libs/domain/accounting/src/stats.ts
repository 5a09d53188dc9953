/**
 * Percentile with linear interpolation between closest ranks (NumPy's default, the solver's
 * tail rule): sorted x, rank q·(n−1). Undefined for an empty list.
 */
export function percentile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (rank - low) * (sorted[high]! - sorted[low]!);
}

/** Relative change in percent, (value / base − 1) × 100; null when there is no base to compare with. */
export function percentChange(value: number, base: number): number | null {
  if (base === 0) return value === 0 ? 0 : null;
  return (value / base - 1) * 100;
}
