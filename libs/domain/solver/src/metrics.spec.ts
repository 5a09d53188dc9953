import { describe, expect, it } from 'vitest';
import { percentile } from './metrics';
import { streamFor } from './random';

/** NumPy's percentile ("linear") on a sorted copy: the definition the fast paths must match. */
function sortedPercentile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  const rank = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const fraction = rank - lo;
  if (fraction === 0 || lo + 1 >= sorted.length) return sorted[lo]!;
  const a = sorted[lo]!;
  const b = sorted[lo + 1]!;
  return fraction >= 0.5 ? b - (b - a) * (1 - fraction) : a + (b - a) * fraction;
}

describe('percentile', () => {
  const draw = streamFor(5);
  const samples = (n: number, distinct: number): Float64Array => Float64Array.from({ length: n }, () => Math.floor(draw.next() * distinct) / 7);

  it('equals the sorted definition bit for bit on the solver tail and on low ranks (heap and quickselect paths)', () => {
    const scratch = new Float64Array(4000);
    for (const n of [1, 2, 3, 20, 40, 199, 2000, 2001, 4000])
      for (const distinct of [1, 3, 50, 1e9])
        for (const q of [0, 5, 50, 90, 95, 99, 100]) {
          const values = samples(n, distinct);
          expect(Object.is(percentile(values, q, scratch), sortedPercentile(values, q)), `n ${n}, ${distinct} values, q ${q}`).toBe(true);
        }
  });

  it('reads only its window of a longer row', () => {
    const row = samples(6000, 1e9);
    const scratch = new Float64Array(2000);
    expect(percentile(row, 95, scratch, 2000, 4000)).toBe(sortedPercentile(row.subarray(2000, 4000), 95));
  });
});
