/**
 * Python's built-in `sum()` of floats, which since 3.12 adds with Neumaier compensation:
 * means computed this way are the reference's to the last bit (a plain loop drifts on long
 * lists such as 5000 durations).
 */
export function pythonSum(values: readonly number[]): number {
  let sum = 0.0;
  let compensation = 0.0;
  for (const x of values) {
    const t = sum + x;
    if (Math.abs(sum) >= Math.abs(x)) compensation += sum - t + x;
    else compensation += x - t + sum;
    sum = t;
  }
  // As CPython: skip a zero or non-finite compensation (keeps -0.0, inf and overflow as they are).
  if (compensation !== 0 && Number.isFinite(compensation)) sum += compensation;
  return sum;
}

/** `sum(values) / len(values)`; callers ensure the list is not empty. */
export function pythonMean(values: readonly number[]): number {
  return pythonSum(values) / values.length;
}
