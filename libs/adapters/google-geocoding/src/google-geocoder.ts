import { CaribouError } from '@caribou/domain-common';
import { retryDelayMs, type Coordinates } from '@caribou/domain-collection';
import { DataSourceRefusedError, type Geocoder } from '@caribou/ports';

/** Environment variable holding the Google Maps API key (as in the reference). */
export const GOOGLE_API_KEY_VARIABLE = 'GOOGLE_API_KEY';

export const GOOGLE_GEOCODING_DEFAULT_BASE_URL = 'https://maps.googleapis.com/maps/api';

/**
 * Names the reference rewrites before geocoding: Google places a bare "Columbus" in
 * Georgia, and "Canada (Central)" must land at AWS's Montreal-area site.
 */
export const GEOCODING_NAME_OVERRIDES: Readonly<Record<string, string>> = {
  Columbus: 'Columbus, Ohio',
  'Canada (Central)': 'Varennes, QC',
};

export interface GoogleGeocoderOptions {
  apiKey: string;
  baseUrl?: string;
  timeoutMs?: number;
  /** Attempts per name, first try included; retries OVER_QUERY_LIMIT, UNKNOWN_ERROR, HTTP 429/5xx and network errors. */
  maxAttempts?: number;
  backoffMs?: number;
  maxDelayMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The key from the environment, or undefined when unset or blank. */
export function readGoogleApiKey(env: Record<string, string | undefined> = process.env): string | undefined {
  const key = env[GOOGLE_API_KEY_VARIABLE]?.trim();
  return key ? key : undefined;
}

/**
 * Google Geocoding API (`GET …/geocode/json?address=…&key=…`): the first result's
 * location. ZERO_RESULTS → `Could not find location <name>` (the reference's message);
 * OVER_QUERY_LIMIT / UNKNOWN_ERROR → retried with backoff; REQUEST_DENIED /
 * INVALID_REQUEST → a refusal naming GOOGLE_API_KEY and Google's own message.
 */
export class GoogleGeocoder implements Geocoder {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly maxDelayMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: GoogleGeocoderOptions) {
    if (!options.apiKey?.trim()) throw new CaribouError(`no Google API key: set ${GOOGLE_API_KEY_VARIABLE} or use the offline region catalog`);
    this.baseUrl = (options.baseUrl ?? GOOGLE_GEOCODING_DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.backoffMs = options.backoffMs ?? 1_000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
  }

  async geocode(placeName: string): Promise<Coordinates> {
    const address = GEOCODING_NAME_OVERRIDES[placeName] ?? placeName;
    const url = `${this.baseUrl}/geocode/json?${new URLSearchParams({ address, key: this.options.apiKey })}`;
    let lastProblem = '';
    let retryAfter: string | null | undefined;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      if (attempt > 1) await this.sleep(retryDelayMs({ attempt: attempt - 1, retryAfter, nowMs: this.now(), baseMs: this.backoffMs, capMs: this.maxDelayMs }));
      retryAfter = undefined;
      let response: Response;
      try {
        response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.timeoutMs) });
      } catch (error) {
        lastProblem = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : (error as Error).message;
        continue;
      }
      const body = await response.text();
      if (response.status === 429 || response.status >= 500) {
        lastProblem = `HTTP ${response.status}`;
        retryAfter = response.headers.get('retry-after');
        continue;
      }
      if (response.status === 401 || response.status === 403) {
        throw new DataSourceRefusedError('Google Geocoding API', `Google Geocoding refused the request for '${address}' (HTTP ${response.status}): check ${GOOGLE_API_KEY_VARIABLE}`);
      }
      if (!response.ok) throw new CaribouError(`Google Geocoding answered HTTP ${response.status} for '${address}': ${body.slice(0, 120)}`);
      const answer = parseAnswer(body, address);
      switch (answer.status) {
        case 'OK':
          return firstLocation(answer, address);
        case 'ZERO_RESULTS':
          throw new CaribouError(`Could not find location ${address}`);
        case 'OVER_QUERY_LIMIT':
        case 'UNKNOWN_ERROR':
          lastProblem = answer.status + (answer.error_message ? ` (${answer.error_message})` : '');
          continue;
        case 'REQUEST_DENIED':
        case 'INVALID_REQUEST':
          throw new DataSourceRefusedError(
            'Google Geocoding API',
            `Google Geocoding refused the request for '${address}' (${answer.status}${answer.error_message ? `: ${answer.error_message}` : ''}): check ${GOOGLE_API_KEY_VARIABLE} and that the Geocoding API is enabled for it`,
          );
        default:
          throw new CaribouError(`Google Geocoding answered status '${String(answer.status)}' for '${address}': expected OK or ZERO_RESULTS`);
      }
    }
    throw new CaribouError(`Google Geocoding gave no answer for '${address}' after ${this.maxAttempts} attempts (${lastProblem}): wait for the quota to recover and retry`);
  }
}

interface GeocodeAnswer {
  status?: unknown;
  error_message?: string;
  results?: unknown;
}

function parseAnswer(body: string, address: string): GeocodeAnswer {
  try {
    const json = JSON.parse(body) as unknown;
    if (typeof json !== 'object' || json === null) throw new Error('not an object');
    return json as GeocodeAnswer;
  } catch {
    throw new CaribouError(`Google Geocoding answered malformed JSON for '${address}': ${JSON.stringify(body.slice(0, 80))}`);
  }
}

function firstLocation(answer: GeocodeAnswer, address: string): Coordinates {
  const first = Array.isArray(answer.results) ? (answer.results[0] as { geometry?: { location?: { lat?: unknown; lng?: unknown } } } | undefined) : undefined;
  const location = first?.geometry?.location;
  if (typeof location?.lat !== 'number' || typeof location?.lng !== 'number') {
    throw new CaribouError(`Google Geocoding answer for '${address}' has no numeric results[0].geometry.location.lat/lng`);
  }
  return { latitude: location.lat, longitude: location.lng };
}
