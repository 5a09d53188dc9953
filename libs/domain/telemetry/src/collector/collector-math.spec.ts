import { describe, expect, it } from 'vitest';
import { bestFitLine, leastSquares } from './best-fit-line';
import { durationKey, roundUpToKib, roundUpToMs, transferSizeKey } from './bucketing';
import { pythonMean, pythonSum } from './python-math';

describe('best-fit line (reference `_calculate_best_fit_line`)', () => {
  it('the reference example: slope 10, intercept 0.1, bounds 0.7/1.3 × the mean of bucket means', () => {
    const line = bestFitLine({ '0.1': [1, 1.1, 1.2], '0.2': [2, 2.1, 2.2], '0.3': [3, 3.1, 3.2] })!;
    expect(line.slope_s).toBeCloseTo(10, 10);
    expect(line.intercept_s).toBeCloseTo(0.1, 10);
    expect(line.min_latency_s).toBeCloseTo(1.47, 12);
    expect(line.max_latency_s).toBeCloseTo(2.73, 12);
  });

  it('one bucket: a flat line at its mean', () => {
    expect(bestFitLine({ '9.5367431640625e-06': [0.29] })).toEqual({ slope_s: 0, intercept_s: 0.29, min_latency_s: 0.20299999999999999, max_latency_s: 0.377 });
  });

  it('an implausible fit (falling latency) falls back to a flat line', () => {
    const line = bestFitLine({ '0.1': [3], '0.2': [2], '0.3': [1] })!;
    expect(line).toMatchObject({ slope_s: 0, intercept_s: 2 });
  });

  it('a fit through the origin or below (intercept ≤ 0) falls back to a flat line', () => {
    expect(bestFitLine({ '1': [1], '2': [2] })).toMatchObject({ slope_s: 0, intercept_s: 1.5 });
  });

  it('empty buckets are skipped instead of counting as a 0 s sample; none at all gives no line', () => {
    expect(bestFitLine({ '0.1': [], '0.2': [2] })).toMatchObject({ slope_s: 0, intercept_s: 2 });
    expect(bestFitLine({ '0.1': [] })).toBeUndefined();
    expect(bestFitLine({})).toBeUndefined();
  });

  it('least squares is undefined when all sizes are equal', () => {
    expect(leastSquares([1, 1], [2, 3])).toBeUndefined();
  });
});

describe('bucketing with the reference operation order', () => {
  it('rounds sizes up to 10 KiB and prints the Python repr', () => {
    expect(transferSizeKey(1e-6)).toBe('9.5367431640625e-06');
    expect(transferSizeKey(5e-7)).toBe('9.5367431640625e-06');
    expect(transferSizeKey(0)).toBe('0.0');
    expect(roundUpToKib(0.0009765625, 1)).toBe(0.0009765625);
    // 1 GiB is 104857.6 × 10 KiB, so it rounds up to the next 10 KiB.
    expect(transferSizeKey(1)).toBe('1.0000038146972656');
    expect(transferSizeKey(10 / 1024 ** 2)).toBe('9.5367431640625e-06');
  });

  it('rounds durations up to 10 ms and successor times up to 1 ms', () => {
    expect(durationKey(0.16)).toBe('0.16');
    expect(durationKey(0.161)).toBe('0.17');
    expect(durationKey(5.07)).toBe('5.07');
    expect(durationKey(2)).toBe('2.0');
    expect(roundUpToMs(0.0501, 1)).toBe(0.051);
    expect(roundUpToMs(0.05, 1)).toBe(0.05);
  });
});

describe('Python sum()', () => {
  it('compensates like CPython 3.12: 0.1 × 10 sums to exactly 1.0', () => {
    const tenths = Array.from({ length: 10 }, () => 0.1);
    expect(pythonSum(tenths)).toBe(1.0);
    expect(tenths.reduce((a, b) => a + b, 0)).not.toBe(1.0);
    expect(pythonMean([1e100, 1, -1e100])).toBe(1 / 3);
  });

  it('empty sum is 0', () => {
    expect(pythonSum([])).toBe(0);
  });
});
