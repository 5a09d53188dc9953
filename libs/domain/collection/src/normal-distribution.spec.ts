import { describe, expect, it } from 'vitest';
import { erfc, normalCdf, normalPpf } from './normal-distribution';

describe('normalPpf', () => {
  // Values of scipy.stats.norm.ppf.
  const scipy: Array<[number, number]> = [
    [0.001, -3.090232306167813],
    [0.01, -2.3263478740408408],
    [0.02, -2.053748910631823],
    [0.1, -1.2815515655446004],
    [0.25, -0.6744897501960817],
    [0.5, 0],
    [0.75, 0.6744897501960817],
    [0.9, 1.2815515655446004],
    [0.98, 2.053748910631823],
    [0.99, 2.3263478740408408],
  ];
  it.each(scipy)('ppf(%f) matches scipy to 1e-12', (p, expected) => {
    expect(Math.abs(normalPpf(p) - expected)).toBeLessThan(1e-12);
  });

  it('shifts and scales', () => {
    expect(normalPpf(0.9, 3, 2)).toBeCloseTo(3 + 2 * 1.2815515655446004, 12);
  });

  it('is the inverse of the CDF', () => {
    for (const x of [-4, -1.3, 0.2, 2.7]) expect(normalPpf(normalCdf(x))).toBeCloseTo(x, 9);
  });

  it('returns infinities at the ends and NaN outside [0, 1]', () => {
    expect(normalPpf(0)).toBe(-Infinity);
    expect(normalPpf(1)).toBe(Infinity);
    expect(normalPpf(1.5)).toBeNaN();
  });
});

describe('erfc', () => {
  it('matches known values in all three approximation ranges', () => {
    expect(erfc(0.2)).toBeCloseTo(0.7772974107895215, 14);
    expect(erfc(1)).toBeCloseTo(0.15729920705028513, 14);
    expect(erfc(-1.5)).toBeCloseTo(1.9661051464753108, 14);
    expect(erfc(5) / 1.5374597944280351e-12).toBeCloseTo(1, 12);
  });
});
