import { describe, expect, it } from 'vitest';
import { CaribouError } from '@caribou/domain-common';
import { WORST_CASE_CARBON_INTENSITY, forecastProfileFromHistory, mapForecastToUtcHours, type CarbonIntensityPoint } from './carbon-profile';

const hourly = (startIso: string, values: Array<number | null>): CarbonIntensityPoint[] =>
  values.map((carbonIntensity, i) => ({ datetime: new Date(Date.parse(startIso) + i * 3_600_000).toISOString(), carbonIntensity }));

describe('mapForecastToUtcHours (reference test of _process_raw_carbon_intensity_history)', () => {
  it('puts forecast[i] at hour (last + 1 h + i) and averages the forecast', () => {
    const forecast = Array.from({ length: 24 }, (_, i) => i);
    const profile = mapForecastToUtcHours(forecast, Date.parse('2024-05-13T00:00:00.000Z'));
    expect(profile.overall).toBe(11.5);
    for (let hour = 0; hour < 24; hour++) expect(profile.hourly[hour]).toBe((hour - 1 + 24) % 24);
  });

  it('leaves hours without a forecast unknown', () => {
    const profile = mapForecastToUtcHours([5, 6], Date.parse('2024-05-13T22:00:00Z'));
    expect(profile.hourly[23]).toBe(5);
    expect(profile.hourly[0]).toBe(6);
    expect(profile.hourly[1]).toBeUndefined();
  });
});

describe('forecastProfileFromHistory', () => {
  it('matches the statsmodels forecast of the reference test (48 h of real Electricity Maps data)', () => {
    // Input and expected output of the reference's test_process_raw_carbon_intensity_history.
    const values = [
      189, 169, 148, 133, 136, 122, 132, 141, 141, 147, 150, 148, 143, 118, 104, 115, 109, 110, 112, 124, 130, 140, 158, 159, 143, 142, 135, 139, 140, 123, 123, 140,
      160, 170, 185, 173, 167, 146, 147, 134, 122, 129, 139, 152, 184, 207, 254, 262,
    ];
    const expected: Record<number, number> = {
      19: 243.72002886206153, 20: 232.08006401038426, 21: 216.94018587820892, 22: 210.30022790723157, 23: 211.16031423410178,
      0: 194.52028679492105, 1: 198.38037267588945, 2: 210.24035638001257, 3: 219.10036343654593, 4: 225.96033221719864,
      5: 233.82028751225798, 6: 225.68031835196723, 7: 219.0403884445826, 8: 194.9004558514361, 9: 187.26060646373222,
      10: 185.12058634443375, 11: 174.9804751556152, 12: 177.84050509886416, 13: 182.7005162156523, 14: 194.06033894652077,
      15: 211.92025221551722, 16: 227.28010249965672, 17: 258.6400982564218, 18: 261.99999993085714,
    };
    // Shuffled order: the function sorts by datetime first.
    const points = hourly('2024-05-11T19:00:00.000Z', values).reverse();
    const profile = forecastProfileFromHistory(points)!;
    expect(profile.method).toBe('holt-winters');
    expect(profile.overall).toBeCloseTo(212.401977653503, 2);
    for (let hour = 0; hour < 24; hour++) expect(Math.abs(profile.hourly[hour]! - expected[hour]!)).toBeLessThan(0.01);
  });

  it('repeats the last day when less than two days are available (free-tier 24 h history)', () => {
    const values = Array.from({ length: 24 }, (_, i) => 100 + i);
    const profile = forecastProfileFromHistory(hourly('2024-05-13T05:00:00Z', values))!;
    expect(profile.method).toBe('seasonal-naive');
    expect(profile.hourly[5]).toBe(100);
    expect(profile.hourly[4]).toBe(123);
    expect(profile.overall).toBe(111.5);
  });

  it('leaves never-observed hours unknown in a short history', () => {
    const profile = forecastProfileFromHistory(hourly('2024-05-13T05:00:00Z', [100, null, 300]))!;
    expect(profile.hourly[5]).toBe(100);
    expect(profile.hourly[6]).toBeUndefined();
    expect(profile.hourly[7]).toBe(300);
    expect(profile.overall).toBe(200);
  });

  it('looks only at the last 14 days of a longer history', () => {
    const pattern = Array.from({ length: 24 }, (_, hour) => 200 + 40 * Math.cos((2 * Math.PI * hour) / 24));
    // 30 days starting at midnight UTC: 16 wild days, then 14 days of a clean daily pattern.
    const values = Array.from({ length: 30 * 24 }, (_, t) => (t < 16 * 24 ? (t % 2 === 0 ? 5_000 : 1) : pattern[t % 24]!));
    const profile = forecastProfileFromHistory(hourly('2024-04-01T00:00:00Z', values))!;
    expect(profile.method).toBe('holt-winters');
    for (let hour = 0; hour < 24; hour++) expect(profile.hourly[hour]).toBeCloseTo(pattern[hour]!, 3);
  });

  it('returns undefined for a history without any value', () => {
    expect(forecastProfileFromHistory(hourly('2024-05-13T05:00:00Z', [null, null]))).toBeUndefined();
    expect(forecastProfileFromHistory([])).toBeUndefined();
  });

  it('rejects unreadable datetimes and values with a CaribouError naming the entry', () => {
    expect(() => forecastProfileFromHistory([{ datetime: 'yesterday', carbonIntensity: 1 }])).toThrow(CaribouError);
    expect(() => forecastProfileFromHistory([{ datetime: '2024-05-13T00:00:00Z', carbonIntensity: 'x' as unknown as number }])).toThrow(/entry 0 has carbonIntensity "x"/);
  });

  it('exports the worst case the reference uses', () => {
    expect(WORST_CASE_CARBON_INTENSITY).toBe(475);
  });
});
