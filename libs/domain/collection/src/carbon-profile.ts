import { CaribouError } from '@caribou/domain-common';
import { fitHoltWintersAdditive, forecastHoltWinters } from './holt-winters';

/** The reference's `global_average_worst_case_carbon_intensity`, used for any hour it cannot fill. */
export const WORST_CASE_CARBON_INTENSITY = 475.0;

export const HOURS_PER_DAY = 24;
const HOUR_MS = 3_600_000;

/**
 * Hours of history the forecast looks at, counted back from the latest reading. The
 * reference asks for 7 days; we accept up to 14 so a longer answer still fits quickly
 * (the fit costs O(hours · 24²) per trial) and old regimes do not steer tomorrow's forecast.
 */
export const CARBON_HISTORY_WINDOW_HOURS = 14 * HOURS_PER_DAY;

/** One reading of a carbon-intensity history (gCO2eq/kWh); null when the source has none for that hour. */
export interface CarbonIntensityPoint {
  /** ISO 8601 UTC, e.g. `2024-05-13T00:00:00.000Z`. */
  datetime: string;
  carbonIntensity: number | null;
}

/**
 * Carbon intensity per UTC hour of day plus the daily mean — what one carbon_region_table
 * row stores. `hourly[h]` is hour h (UTC); undefined = unknown (written as 475).
 */
export interface HourlyCarbonProfile {
  overall: number;
  hourly: ReadonlyArray<number | undefined>;
}

/** How a profile was derived from a history. */
export type HistoryForecastMethod = 'holt-winters' | 'seasonal-naive';

export interface ForecastProfile extends HourlyCarbonProfile {
  method: HistoryForecastMethod;
  /** Smoothing parameters when Holt-Winters was fitted. */
  alpha?: number;
  gamma?: number;
}

function parseUtc(datetime: string, index: number): number {
  const ms = Date.parse(datetime);
  if (!Number.isFinite(ms)) throw new CaribouError(`carbon history entry ${index} has datetime '${datetime}': expected ISO 8601 UTC such as 2024-05-13T00:00:00Z`);
  return ms;
}

/**
 * §9.2 mapping: forecast[i] belongs to the hour (last datetime + 1 h + i) in UTC;
 * overall = mean of the forecast. With fewer than 24 values the remaining hours stay
 * unknown (→ 475 when written).
 */
export function mapForecastToUtcHours(forecast: readonly number[], lastDatetimeMs: number): HourlyCarbonProfile {
  if (forecast.length === 0) throw new CaribouError('empty carbon forecast: at least one value is needed to map hours');
  const hourly: Array<number | undefined> = new Array(HOURS_PER_DAY).fill(undefined);
  for (let i = 0; i < forecast.length && i < HOURS_PER_DAY; i++) {
    const hour = new Date(lastDatetimeMs + HOUR_MS * (i + 1)).getUTCHours();
    hourly[hour] = forecast[i];
  }
  const overall = forecast.reduce((sum, value) => sum + value, 0) / forecast.length;
  return { overall, hourly };
}

/**
 * Turns a raw history into a profile (§9.2 step 3): sort by time, keep the last
 * CARBON_HISTORY_WINDOW_HOURS, lay the values on an
 * hourly grid (gaps and nulls become missing observations rather than shifting later
 * hours, as the reference's positional list would), fit Holt-Winters and forecast 24 h.
 * With less than two days of data (the Electricity Maps free tier serves 24 h) no
 * seasonal model can be fitted; the forecast is then seasonal-naive: each hour repeats
 * its latest observed value. Returns undefined when the history has no value at all.
 */
export function forecastProfileFromHistory(points: readonly CarbonIntensityPoint[]): ForecastProfile | undefined {
  const timed = points.map((point, index) => {
    const value = point.carbonIntensity;
    if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw new CaribouError(`carbon history entry ${index} has carbonIntensity ${JSON.stringify(value)}: expected a number or null`);
    }
    return { ms: Math.floor(parseUtc(point.datetime, index) / HOUR_MS) * HOUR_MS, value };
  });
  timed.sort((a, b) => a.ms - b.ms);
  if (!timed.some((point) => point.value !== null)) return undefined;
  const last = timed[timed.length - 1]!.ms;
  const windowStart = last - (CARBON_HISTORY_WINDOW_HOURS - 1) * HOUR_MS;
  const first = Math.max(timed[0]!.ms, windowStart);
  const recent = timed.filter((point) => point.ms >= first);
  if (!recent.some((point) => point.value !== null)) return undefined;
  const length = Math.round((last - first) / HOUR_MS) + 1;
  const series: Array<number | null> = new Array(length).fill(null);
  for (const point of recent) if (point.value !== null) series[Math.round((point.ms - first) / HOUR_MS)] = point.value;

  const fit = fitHoltWintersAdditive(series, HOURS_PER_DAY);
  if (fit) {
    return { ...mapForecastToUtcHours(forecastHoltWinters(fit, HOURS_PER_DAY), last), method: 'holt-winters', alpha: fit.alpha, gamma: fit.gamma };
  }
  const latestByHour = new Map<number, number>();
  for (const point of recent) if (point.value !== null) latestByHour.set(new Date(point.ms).getUTCHours(), point.value);
  const hourly: Array<number | undefined> = Array.from({ length: HOURS_PER_DAY }, (_, hour) => latestByHour.get(hour));
  const known = hourly.filter((value): value is number => value !== undefined);
  return { overall: known.reduce((sum, value) => sum + value, 0) / known.length, hourly, method: 'seasonal-naive' };
}

/** A profile with the same value at every hour (annual averages and fallbacks). */
export function flatProfile(value: number): HourlyCarbonProfile {
  return { overall: value, hourly: new Array(HOURS_PER_DAY).fill(value) };
}
