import type { DeploymentMetrics } from '@caribou/domain-workflow';

/** The reference's tail: the 95th percentile (`TAIL_LATENCY_THRESHOLD`). */
export const TAIL_PERCENTILE = 95;

/**
 * Mean with Neumaier's compensated summation: within an ulp or so of the correctly rounded
 * mean that Python's `statistics.mean` returns.
 */
export function mean(values: ArrayLike<number>, from = 0, to = values.length): number {
  let sum = 0;
  let compensation = 0;
  for (let i = from; i < to; i++) {
    const x = values[i]!;
    const t = sum + x;
    compensation += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return (sum + compensation) / (to - from);
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/** Quickselect (Hoare partition): afterwards a[k] is the k-th smallest of a[from..to). */
function select(a: Float64Array, k: number, from: number, to: number): void {
  let left = from;
  let right = to - 1;
  while (right > left) {
    const pivot = a[k]!;
    let i = left;
    let j = right;
    swap(a, left, k);
    if (a[right]! > pivot) swap(a, left, right);
    while (i < j) {
      swap(a, i, j);
      i++;
      j--;
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
    }
    if (a[left] === pivot) swap(a, left, j);
    else {
      j++;
      swap(a, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}

/**
 * The smallest and second smallest of the `count` largest values of `values[from..to)`
 * (`count` ≥ 3), from one pass keeping those values in a min-heap in `heap`: for a high
 * percentile the values above the rank are few, and most values fail the first comparison.
 */
function lowestOfLargest(values: ArrayLike<number>, from: number, to: number, count: number, heap: Float64Array): [number, number] {
  for (let i = 0; i < count; i++) heap[i] = values[from + i]!;
  for (let i = (count >> 1) - 1; i >= 0; i--) siftDown(heap, i, count);
  for (let i = from + count; i < to; i++) {
    const x = values[i]!;
    if (x > heap[0]!) {
      heap[0] = x;
      siftDown(heap, 0, count);
    }
  }
  return [heap[0]!, Math.min(heap[1]!, heap[2]!)];
}

function siftDown(heap: Float64Array, at: number, size: number): void {
  const x = heap[at]!;
  for (;;) {
    let child = 2 * at + 1;
    if (child >= size) break;
    if (child + 1 < size && heap[child + 1]! < heap[child]!) child++;
    if (!(heap[child]! < x)) break;
    heap[at] = heap[child]!;
    at = child;
  }
  heap[at] = x;
}

/**
 * NumPy's default percentile (linear interpolation between closest ranks) of `values[from..to)`.
 * `scratch` is overwritten. The two closest ranks are found by a heap of the values above them
 * when those are few (the tails the solver asks for), by quickselect otherwise; both give the
 * same order statistics.
 */
export function percentile(values: ArrayLike<number>, q: number, scratch: Float64Array, from = 0, to = values.length): number {
  const n = to - from;
  const rank = (q / 100) * (n - 1);
  const lowerRank = Math.floor(rank);
  const fraction = rank - lowerRank;
  const interpolated = fraction !== 0 && lowerRank + 1 < n;
  let lower: number;
  let upper: number;
  const above = n - lowerRank;
  if (above >= 3 && above * 8 <= n) {
    [lower, upper] = lowestOfLargest(values, from, to, above, scratch);
  } else {
    for (let i = 0; i < n; i++) scratch[i] = values[from + i]!;
    select(scratch, lowerRank, 0, n);
    lower = scratch[lowerRank]!;
    // The upper rank: the smallest value above the lower one (quickselect leaves them unordered).
    upper = Infinity;
    if (interpolated) for (let i = lowerRank + 1; i < n; i++) if (scratch[i]! < upper) upper = scratch[i]!;
  }
  if (!interpolated) return lower;
  // NumPy's _lerp: a + (b − a)·t, computed from the nearer end for t ≥ 0.5.
  const diff = upper - lower;
  return fraction >= 0.5 ? upper - diff * (1 - fraction) : lower + diff * fraction;
}

/**
 * Samples of one deployment: `runs` simulated runs; carbon is hour-major
 * (`carbon[h · runs + i]` is run i priced at the h-th requested hour).
 */
export interface SampleBlock {
  runs: number;
  cost: Float64Array;
  runtime: Float64Array;
  carbon: Float64Array;
}

export function allocateSamples(runs: number, hours: number): SampleBlock {
  return { runs, cost: new Float64Array(runs), runtime: new Float64Array(runs), carbon: new Float64Array(runs * hours) };
}

/**
 * Means and p95 tails of a deployment's samples, one metrics object per requested hour. With no
 * hour (a simulation that priced no carbon, e.g. to check cost and runtime constraints), one
 * object whose carbon fields are NaN.
 */
export function metricsFromSamples(
  block: SampleBlock,
  hourCount: number,
  scratch: Float64Array = new Float64Array(block.runs),
): DeploymentMetrics[] {
  const n = block.runs;
  const averageCost = mean(block.cost);
  const averageRuntime = mean(block.runtime);
  const tailCost = percentile(block.cost, TAIL_PERCENTILE, scratch);
  const tailRuntime = percentile(block.runtime, TAIL_PERCENTILE, scratch);
  const result: DeploymentMetrics[] = [];
  if (hourCount === 0)
    result.push({ average_cost: averageCost, average_runtime: averageRuntime, average_carbon: NaN, tail_cost: tailCost, tail_runtime: tailRuntime, tail_carbon: NaN });
  for (let h = 0; h < hourCount; h++) {
    result.push({
      average_cost: averageCost,
      average_runtime: averageRuntime,
      average_carbon: mean(block.carbon, h * n, (h + 1) * n),
      tail_cost: tailCost,
      tail_runtime: tailRuntime,
      tail_carbon: percentile(block.carbon, TAIL_PERCENTILE, scratch, h * n, (h + 1) * n),
    });
  }
  return result;
}
