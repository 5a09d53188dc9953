import { describe, expect, it } from 'vitest';
import { fitHoltWintersAdditive, forecastHoltWinters } from './holt-winters';

describe('fitHoltWintersAdditive', () => {
  it('forecasts a noiseless daily pattern exactly', () => {
    const pattern = Array.from({ length: 24 }, (_, hour) => 300 + 100 * Math.sin((2 * Math.PI * hour) / 24));
    const series = Array.from({ length: 24 * 5 }, (_, t) => pattern[t % 24]!);
    const fit = fitHoltWintersAdditive(series)!;
    expect(fit.sse).toBeLessThan(1e-6);
    const forecast = forecastHoltWinters(fit, 24);
    forecast.forEach((value, step) => expect(value).toBeCloseTo(pattern[step]!, 4));
  });

  it('follows a level shift with a high alpha', () => {
    const pattern = Array.from({ length: 24 }, (_, hour) => (hour < 12 ? 10 : -10));
    const series = Array.from({ length: 24 * 4 }, (_, t) => 200 + pattern[t % 24]! + (t >= 24 * 3 ? 50 : 0));
    const fit = fitHoltWintersAdditive(series)!;
    const forecast = forecastHoltWinters(fit, 24);
    // The series moved from a mean of 200 to 250 on the last day: the forecast follows it.
    const mean = forecast.reduce((a, b) => a + b, 0) / forecast.length;
    expect(mean).toBeGreaterThan(245);
    expect(mean).toBeLessThan(265);
    expect(fit.alpha).toBeGreaterThan(0.5);
  });

  it('keeps the seasonal alignment across missing observations', () => {
    const pattern = Array.from({ length: 24 }, (_, hour) => 100 + hour * 5);
    const series: Array<number | null> = Array.from({ length: 24 * 4 }, (_, t) => pattern[t % 24]!);
    for (const gap of [30, 31, 55, 70]) series[gap] = null;
    const forecast = forecastHoltWinters(fitHoltWintersAdditive(series)!, 24);
    forecast.forEach((value, step) => expect(value).toBeCloseTo(pattern[step]!, 3));
  });

  it('keeps alpha and gamma inside the usual region 0 ≤ γ ≤ 1 − α', () => {
    const series = Array.from({ length: 24 * 7 }, (_, t) => 300 + 80 * Math.sin((2 * Math.PI * t) / 24) + 10 * Math.sin(t * 1.7) + t * 0.1);
    const fit = fitHoltWintersAdditive(series)!;
    expect(fit.alpha).toBeGreaterThanOrEqual(0);
    expect(fit.alpha).toBeLessThanOrEqual(1);
    expect(fit.gamma).toBeGreaterThanOrEqual(0);
    expect(fit.gamma).toBeLessThanOrEqual(1 - fit.alpha + 1e-12);
  });

  it('needs two full seasons of observations', () => {
    expect(fitHoltWintersAdditive(Array.from({ length: 47 }, () => 1))).toBeUndefined();
    expect(fitHoltWintersAdditive(Array.from({ length: 48 }, () => 1))).toBeDefined();
  });
});
