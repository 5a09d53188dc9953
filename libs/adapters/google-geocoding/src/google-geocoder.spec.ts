import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CaribouError } from '@caribou/domain-common';
import { DataSourceRefusedError } from '@caribou/ports';
import { GoogleGeocoder, readGoogleApiKey } from './google-geocoder';
import { startRecordedHttpServer, type RecordedHttpServer, type RecordedResponse } from '@caribou/ports/contracts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const answer = (name: string, status = 200): RecordedResponse => ({ status, body: fixture(name) });

let server: RecordedHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(...answers: RecordedResponse[]): Promise<RecordedHttpServer> {
  server = await startRecordedHttpServer((_, index) => answers[Math.min(index, answers.length - 1)]!);
  return server;
}

function geocoder(baseUrl: string, delays: number[] = []) {
  return new GoogleGeocoder({ apiKey: 'test-key', baseUrl: `${baseUrl}/maps/api`, backoffMs: 5, maxAttempts: 3, sleep: async (ms) => void delays.push(ms) });
}

const addressOf = (server: RecordedHttpServer, index = 0) => new URL(server.requests[index]!.url, server.baseUrl).searchParams.get('address');

describe('GoogleGeocoder', () => {
  it("geocodes with the reference's name override and the key parameter", async () => {
    const running = await serve(answer('ok-varennes-qc.json'));
    expect(await geocoder(running.baseUrl).geocode('Canada (Central)')).toEqual({ latitude: 45.6833, longitude: -73.4333 });
    const url = new URL(running.requests[0]!.url, running.baseUrl);
    expect(url.pathname).toBe('/maps/api/geocode/json');
    expect(url.searchParams.get('address')).toBe('Varennes, QC');
    expect(url.searchParams.get('key')).toBe('test-key');
  });

  it('asks for Columbus, Ohio and passes other names unchanged', async () => {
    const running = await serve(answer('ok-varennes-qc.json'));
    await geocoder(running.baseUrl).geocode('Columbus');
    await geocoder(running.baseUrl).geocode('Europe (Milan)');
    expect([addressOf(running, 0), addressOf(running, 1)]).toEqual(['Columbus, Ohio', 'Europe (Milan)']);
  });

  it("says 'Could not find location <name>' on ZERO_RESULTS", async () => {
    const running = await serve(answer('zero-results.json'));
    const error = await geocoder(running.baseUrl).geocode('Atlantis').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaribouError);
    expect((error as Error).message).toBe('Could not find location Atlantis');
  });

  it('retries OVER_QUERY_LIMIT with backoff, then succeeds', async () => {
    const delays: number[] = [];
    const running = await serve(answer('over-query-limit.json'), answer('over-query-limit.json'), answer('ok-varennes-qc.json'));
    expect(await geocoder(running.baseUrl, delays).geocode('Canada (Central)')).toEqual({ latitude: 45.6833, longitude: -73.4333 });
    expect(running.requests).toHaveLength(3);
    expect(delays).toEqual([5, 10]);
  });

  it('gives up on a persistent OVER_QUERY_LIMIT with a clear error', async () => {
    const running = await serve(answer('over-query-limit.json'));
    await expect(geocoder(running.baseUrl).geocode('Europe (Milan)')).rejects.toThrow(
      "Google Geocoding gave no answer for 'Europe (Milan)' after 3 attempts (OVER_QUERY_LIMIT (You have exceeded your rate-limit for this API.)): wait for the quota to recover and retry",
    );
  });

  it('honours Retry-After on HTTP 429, then succeeds', async () => {
    const delays: number[] = [];
    const running = await serve({ status: 429, headers: { 'retry-after': '2' }, body: '' }, answer('ok-varennes-qc.json'));
    await geocoder(running.baseUrl, delays).geocode('Canada (Central)');
    expect(delays).toEqual([2000]);
  });

  it('turns REQUEST_DENIED and INVALID_REQUEST into refusals that name GOOGLE_API_KEY', async () => {
    const running = await serve(answer('request-denied.json'), answer('invalid-request.json'));
    const denied = await geocoder(running.baseUrl).geocode('Europe (Milan)').catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(DataSourceRefusedError);
    expect((denied as Error).message).toBe(
      "Google Geocoding refused the request for 'Europe (Milan)' (REQUEST_DENIED: The provided API key is invalid.): check GOOGLE_API_KEY and that the Geocoding API is enabled for it",
    );
    await expect(geocoder(running.baseUrl).geocode('Europe (Milan)')).rejects.toThrow(/\(INVALID_REQUEST: Invalid request\..*check GOOGLE_API_KEY/);
    expect(running.requests).toHaveLength(2); // no retries
  });

  it('turns HTTP 401 into a refusal', async () => {
    const running = await serve({ status: 401, body: '' });
    await expect(geocoder(running.baseUrl).geocode('x')).rejects.toBeInstanceOf(DataSourceRefusedError);
  });

  it('reports malformed JSON and answers without coordinates clearly', async () => {
    const running = await serve(answer('malformed-truncated.json.txt'), { status: 200, body: '{"status":"OK","results":[{}]}' });
    await expect(geocoder(running.baseUrl).geocode('Europe (Milan)')).rejects.toThrow(/^Google Geocoding answered malformed JSON for 'Europe \(Milan\)'/);
    await expect(geocoder(running.baseUrl).geocode('Europe (Milan)')).rejects.toThrow('has no numeric results[0].geometry.location.lat/lng');
  });

  it('refuses coordinates off the globe (found by the fault suite\'s HTTP campaign)', async () => {
    const running = await serve({ status: 200, body: '{"status":"OK","results":[{"geometry":{"location":{"lat":45.65,"lng":-3.5e168}}}]}' });
    await expect(geocoder(running.baseUrl).geocode('Europe (Milan)')).rejects.toThrow("results[0].geometry.location 45.65, -3.5e+168 is off the globe");
  });

  it('needs a key', () => {
    expect(() => new GoogleGeocoder({ apiKey: '' })).toThrow(/set GOOGLE_API_KEY/);
    expect(readGoogleApiKey({ GOOGLE_API_KEY: 'k' })).toBe('k');
    expect(readGoogleApiKey({ GOOGLE_API_KEY: '  ' })).toBeUndefined();
  });
});
