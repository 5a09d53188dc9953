import { CaribouError } from '@caribou/domain-common';
import type { CarbonIntensityPoint } from '@caribou/domain-collection';
import { HttpRetriesExhaustedError, RetryingHttpClient, type HttpAnswer, type HttpClientOptions } from '@caribou/adapter-http-client';
import { DataSourceRefusedError, type CarbonLocation, type CarbonReading, type CarbonSource } from '@caribou/ports';

/** Environment variable holding the Electricity Maps API token (as in the reference). */
export const ELECTRICITY_MAPS_TOKEN_VARIABLE = 'ELECTRICITY_MAPS_AUTH_TOKEN';

export const ELECTRICITY_MAPS_DEFAULT_BASE_URL = 'https://api.electricitymap.org/v3';

/**
 * `history`: the last 24 hours (free tier). `past-range`: the reference's 7-day window
 * (start = now − 6 d 23 h, end = now, floored to the hour), paid plans only.
 */
export type ElectricityMapsEndpoint = 'history' | 'past-range';

/**
 * HTTP behaviour (timeout, attempts, backoff, spacing, injected clock) is the shared
 * client's; the defaults here are the reference's: 10 s timeout, 0.1 s between requests.
 */
export interface ElectricityMapsOptions extends HttpClientOptions {
  authToken: string;
  baseUrl?: string;
  endpoint?: ElectricityMapsEndpoint;
}

const HOUR_MS = 3_600_000;
const hourIso = (ms: number): string => `${new Date(Math.floor(ms / HOUR_MS) * HOUR_MS).toISOString().slice(0, 13)}:00:00Z`;

/** The token from the environment, or undefined when unset or blank. */
export function readElectricityMapsToken(env: Record<string, string | undefined> = process.env): string | undefined {
  const token = env[ELECTRICITY_MAPS_TOKEN_VARIABLE]?.trim();
  return token ? token : undefined;
}

/**
 * Carbon-intensity history from the Electricity Maps v3 API by coordinates (header
 * `auth-token`, `shouldUseFallbackCallerLookup=false` so the API does not locate the
 * caller instead). Returns a `history` reading; the collector forecasts from it.
 * 404 (no data for that location) → undefined; 401/403 → DataSourceRefusedError;
 * 429 → waits (Retry-After or backoff) and retries; malformed answers → CaribouError.
 */
export class ElectricityMapsCarbonSource implements CarbonSource {
  readonly name = 'Electricity Maps API';
  private readonly baseUrl: string;
  private readonly endpoint: ElectricityMapsEndpoint;
  private readonly now: () => number;
  private readonly http: RetryingHttpClient;

  constructor(private readonly options: ElectricityMapsOptions) {
    if (!options.authToken?.trim()) throw new CaribouError(`no Electricity Maps token: set ${ELECTRICITY_MAPS_TOKEN_VARIABLE} or use the offline dataset`);
    this.baseUrl = (options.baseUrl ?? ELECTRICITY_MAPS_DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.endpoint = options.endpoint ?? 'history';
    this.now = options.now ?? Date.now;
    this.http = new RetryingHttpClient(options, { timeoutMs: 10_000, minIntervalMs: 100, maxAttempts: 4, backoffMs: 1_000, maxDelayMs: 60_000 });
  }

  /** The request URL for a location (exposed for logs and tests). */
  urlFor(location: Pick<CarbonLocation, 'latitude' | 'longitude'>): string {
    const query = new URLSearchParams({ lat: String(location.latitude), lon: String(location.longitude) });
    if (this.endpoint === 'past-range') {
      const now = this.now();
      query.set('start', hourIso(now - 6 * 24 * HOUR_MS - 23 * HOUR_MS));
      query.set('end', hourIso(now));
    }
    query.set('shouldUseFallbackCallerLookup', 'false');
    return `${this.baseUrl}/carbon-intensity/${this.endpoint}?${query}`;
  }

  async read(location: CarbonLocation): Promise<CarbonReading | undefined> {
    const url = this.urlFor(location);
    const where = `lat=${location.latitude}, lon=${location.longitude} (${location.code})`;
    let answer: HttpAnswer;
    try {
      answer = await this.http.get(url, { headers: { 'auth-token': this.options.authToken } });
    } catch (error) {
      if (!(error instanceof HttpRetriesExhaustedError)) throw error;
      if (!error.answer) throw new CaribouError(`Electricity Maps unreachable for ${where} after ${error.attempts} attempts: ${error.reason}`, { cause: error.cause });
      throw new CaribouError(
        `Electricity Maps answered HTTP ${error.answer.status} for ${where} after ${error.attempts} attempts${detail(error.answer.body)}: wait and retry, or use the offline dataset`,
      );
    }
    if (answer.status === 401 || answer.status === 403) {
      throw new DataSourceRefusedError(
        this.name,
        `Electricity Maps refused the request (HTTP ${answer.status}${detail(answer.body)}): check ${ELECTRICITY_MAPS_TOKEN_VARIABLE}` +
          (this.endpoint === 'past-range' ? "; 'past-range' needs a paid plan, the free tier serves 'history'" : ''),
      );
    }
    if (answer.status === 404) return undefined; // no data for this location (e.g. "No recent data for zone")
    if (answer.status < 200 || answer.status >= 300) throw new CaribouError(`Electricity Maps answered HTTP ${answer.status} for ${where}${detail(answer.body)}`);
    return this.parse(answer.body, where);
  }

  private parse(body: string, where: string): CarbonReading | undefined {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new CaribouError(`Electricity Maps answered malformed JSON for ${where}: ${JSON.stringify(body.slice(0, 80))}`);
    }
    const field = this.endpoint === 'history' ? 'history' : 'data';
    const list = (json as Record<string, unknown> | null)?.[field];
    if (!Array.isArray(list)) throw new CaribouError(`Electricity Maps answer for ${where} has no '${field}' list`);
    const points: CarbonIntensityPoint[] = list.map((entry, index) => {
      const item = entry as Record<string, unknown> | null;
      if (typeof item?.datetime !== 'string') throw new CaribouError(`Electricity Maps answer for ${where}: ${field}[${index}].datetime is not a string`);
      // The forecast keys each value by its hour: a datetime that is no time would file it under NaN.
      if (!Number.isFinite(Date.parse(item.datetime))) {
        throw new CaribouError(`Electricity Maps answer for ${where}: ${field}[${index}].datetime ${JSON.stringify(item.datetime.slice(0, 40))} is not a time`);
      }
      const value = item.carbonIntensity;
      if (value !== null && value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
        throw new CaribouError(`Electricity Maps answer for ${where}: ${field}[${index}].carbonIntensity is not a number`);
      }
      if (typeof value === 'number' && value < 0) {
        throw new CaribouError(`Electricity Maps answer for ${where}: ${field}[${index}].carbonIntensity is ${value}, expected gCO2e/kWh of 0 or more`);
      }
      return { datetime: item.datetime, carbonIntensity: typeof value === 'number' ? value : null };
    });
    if (points.length === 0) return undefined;
    const zone = typeof (json as Record<string, unknown>).zone === 'string' ? ` zone ${(json as Record<string, unknown>).zone},` : '';
    return {
      data: { kind: 'history', points },
      source: `electricity-maps:${this.endpoint}`,
      notes: [`Electricity Maps${zone} ${points.length} hourly values ${points[0]!.datetime} … ${points[points.length - 1]!.datetime}`],
    };
  }
}

function detail(body: string): string {
  const text = body.trim().replace(/\s+/g, ' ');
  if (!text) return '';
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const message = json.message ?? json.error;
    if (typeof message === 'string') return `: ${message}`;
  } catch {
    // not JSON: show the start of the text
  }
  return `: ${text.slice(0, 120)}`;
}
