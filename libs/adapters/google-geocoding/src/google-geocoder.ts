import { CaribouError } from '@caribou/domain-common';
import type { Coordinates } from '@caribou/domain-collection';
import { HttpRetriesExhaustedError, RetryingHttpClient, type HttpAnswer, type HttpClientOptions } from '@caribou/adapter-http-client';
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

/** HTTP behaviour (timeout, attempts, backoff, injected clock) is the shared client's. */
export interface GoogleGeocoderOptions extends HttpClientOptions {
  apiKey: string;
  baseUrl?: string;
}

/** Google's statuses that pass with time, retried like HTTP 429. */
const TRANSIENT_STATUSES = new Set(['OVER_QUERY_LIMIT', 'UNKNOWN_ERROR']);

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
  private readonly http: RetryingHttpClient;

  constructor(private readonly options: GoogleGeocoderOptions) {
    if (!options.apiKey?.trim()) throw new CaribouError(`no Google API key: set ${GOOGLE_API_KEY_VARIABLE} or use the offline region catalog`);
    this.baseUrl = (options.baseUrl ?? GOOGLE_GEOCODING_DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.http = new RetryingHttpClient(options, { timeoutMs: 10_000, maxAttempts: 4, backoffMs: 1_000, maxDelayMs: 30_000 });
  }

  async geocode(placeName: string): Promise<Coordinates> {
    const address = GEOCODING_NAME_OVERRIDES[placeName] ?? placeName;
    const url = `${this.baseUrl}/geocode/json?${new URLSearchParams({ address, key: this.options.apiKey })}`;
    let response: HttpAnswer;
    try {
      response = await this.http.get(url, { retryReason: transientStatus });
    } catch (error) {
      if (!(error instanceof HttpRetriesExhaustedError)) throw error;
      throw new CaribouError(`Google Geocoding gave no answer for '${address}' after ${error.attempts} attempts (${error.reason}): wait for the quota to recover and retry`, {
        cause: error.cause,
      });
    }
    if (response.status === 401 || response.status === 403) {
      throw new DataSourceRefusedError('Google Geocoding API', `Google Geocoding refused the request for '${address}' (HTTP ${response.status}): check ${GOOGLE_API_KEY_VARIABLE}`);
    }
    if (response.status < 200 || response.status >= 300) throw new CaribouError(`Google Geocoding answered HTTP ${response.status} for '${address}': ${response.body.slice(0, 120)}`);
    const answer = parseAnswer(response.body, address);
    switch (answer.status) {
      case 'OK':
        return firstLocation(answer, address);
      case 'ZERO_RESULTS':
        throw new CaribouError(`Could not find location ${address}`);
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
}

/** OVER_QUERY_LIMIT / UNKNOWN_ERROR arrive in an HTTP 200: the reason to retry, with Google's message. */
function transientStatus(response: HttpAnswer): string | undefined {
  if (response.status !== 200) return undefined;
  let answer: GeocodeAnswer;
  try {
    answer = JSON.parse(response.body) as GeocodeAnswer;
  } catch {
    return undefined; // malformed: reported once the answer is read
  }
  if (typeof answer?.status !== 'string' || !TRANSIENT_STATUSES.has(answer.status)) return undefined;
  return answer.status + (answer.error_message ? ` (${answer.error_message})` : '');
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
  if (!(Math.abs(location.lat) <= 90 && Math.abs(location.lng) <= 180)) {
    throw new CaribouError(`Google Geocoding answer for '${address}': results[0].geometry.location ${location.lat}, ${location.lng} is off the globe (latitude within ±90, longitude within ±180)`);
  }
  return { latitude: location.lat, longitude: location.lng };
}
