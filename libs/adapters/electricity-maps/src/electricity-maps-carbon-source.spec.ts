import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaribouError } from '@caribou/domain-common';
import { forecastProfileFromHistory } from '@caribou/domain-collection';
import { DataSourceRefusedError } from '@caribou/ports';
import { ElectricityMapsCarbonSource, readElectricityMapsToken } from './electricity-maps-carbon-source';
import { startRecordedHttpServer, type RecordedHttpServer, type RecordedResponse } from '@caribou/ports/contracts';
import { manualClock, type ManualClock } from '@caribou/adapter-http-client/testing';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const ok = (name: string): RecordedResponse => ({ status: 200, body: fixture(name) });
const SAN_JOSE = { code: 'us-west-1', latitude: 37.3541, longitude: -121.9552 };

let server: RecordedHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The clock the sources below wait on: it moves only when they sleep, so no test waits in real time. */
let clock: ManualClock;
/** The clock's time at each request the server received. */
let times: number[];
beforeEach(() => {
  clock = manualClock();
  times = [];
});

async function serve(...answers: RecordedResponse[]): Promise<RecordedHttpServer> {
  server = await startRecordedHttpServer((_, index) => {
    times.push(clock.now());
    return answers[Math.min(index, answers.length - 1)]!;
  });
  return server;
}

const source = (baseUrl: string, extra: Partial<ConstructorParameters<typeof ElectricityMapsCarbonSource>[0]> = {}) =>
  new ElectricityMapsCarbonSource({ authToken: 'test-token', baseUrl: `${baseUrl}/v3`, backoffMs: 20, now: clock.now, sleep: clock.sleep, ...extra });

describe('ElectricityMapsCarbonSource', () => {
  it('reads the free-tier 24 h history by coordinates with the auth-token header', async () => {
    const { baseUrl, requests } = await serve(ok('history-us-cal-ciso-2024-07-17.json'));
    const reading = (await source(baseUrl).read(SAN_JOSE))!;

    expect(requests).toHaveLength(1);
    const url = new URL(requests[0]!.url, baseUrl);
    expect(url.pathname).toBe('/v3/carbon-intensity/history');
    expect(Object.fromEntries(url.searchParams)).toEqual({ lat: '37.3541', lon: '-121.9552', shouldUseFallbackCallerLookup: 'false' });
    expect(requests[0]!.headers['auth-token']).toBe('test-token');

    expect(reading.source).toBe('electricity-maps:history');
    expect(reading.data.kind).toBe('history');
    const recorded = JSON.parse(fixture('history-us-cal-ciso-2024-07-17.json')).history as Array<{ datetime: string; carbonIntensity: number }>;
    if (reading.data.kind !== 'history') throw new Error('expected a history');
    expect(reading.data.points).toEqual(recorded.map(({ datetime, carbonIntensity }) => ({ datetime, carbonIntensity })));
    // 24 h is one season: the collector repeats each hour's last value.
    const profile = forecastProfileFromHistory(reading.data.points)!;
    expect(profile.method).toBe('seasonal-naive');
    expect(profile.hourly[13]).toBe(recorded[13]!.carbonIntensity);
  });

  it("asks past-range for the reference's 7-day window and gets a Holt-Winters-sized history", async () => {
    const { baseUrl, requests } = await serve(ok('past-range-de-2024-05-06-to-13.json'));
    const now = () => Date.parse('2024-05-13T19:42:10Z');
    const reading = (await source(baseUrl, { endpoint: 'past-range', now }).read({ code: 'eu-central-1', latitude: 50.1109, longitude: 8.6821 }))!;
    const url = new URL(requests[0]!.url, baseUrl);
    expect(url.pathname).toBe('/v3/carbon-intensity/past-range');
    expect(url.searchParams.get('start')).toBe('2024-05-06T20:00:00Z');
    expect(url.searchParams.get('end')).toBe('2024-05-13T19:00:00Z');
    expect(url.searchParams.get('shouldUseFallbackCallerLookup')).toBe('false');
    expect(reading.source).toBe('electricity-maps:past-range');
    if (reading.data.kind !== 'history') throw new Error('expected a history');
    expect(reading.data.points).toHaveLength(168);
    expect(forecastProfileFromHistory(reading.data.points)!.method).toBe('holt-winters');
  });

  it('turns 401 into a refusal naming the token variable, without retrying', async () => {
    const { baseUrl, requests } = await serve({ status: 401, body: fixture('unauthorized-401.json') });
    const error = await source(baseUrl).read(SAN_JOSE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataSourceRefusedError);
    expect((error as Error).message).toBe('Electricity Maps refused the request (HTTP 401: Invalid authentication token): check ELECTRICITY_MAPS_AUTH_TOKEN');
    expect(requests).toHaveLength(1);
  });

  it('explains that past-range needs a paid plan on 403', async () => {
    const { baseUrl } = await serve({ status: 403, body: '{"status":"error","message":"Forbidden"}' });
    await expect(source(baseUrl, { endpoint: 'past-range' }).read(SAN_JOSE)).rejects.toThrow(/HTTP 403: Forbidden.*past-range' needs a paid plan/);
  });

  it('waits as long as Retry-After asks on 429, then succeeds', async () => {
    const { baseUrl, requests } = await serve({ status: 429, headers: { 'retry-after': '1' }, body: fixture('rate-limited-429.json') }, ok('history-us-cal-ciso-2024-07-17.json'));
    const reading = await source(baseUrl).read(SAN_JOSE);
    expect(reading?.data.kind).toBe('history');
    expect(requests).toHaveLength(2);
    expect(clock.waits).toEqual([1000]);
    expect(times).toEqual([0, 1000]);
  });

  it('backs off exponentially on 429 without Retry-After and gives up after maxAttempts', async () => {
    const { baseUrl, requests } = await serve({ status: 429, body: fixture('rate-limited-429.json') });
    const limited = source(baseUrl, { maxAttempts: 3, backoffMs: 10, minIntervalMs: 0 });
    await expect(limited.read(SAN_JOSE)).rejects.toThrow(/HTTP 429 for lat=37.3541, lon=-121.9552 \(us-west-1\) after 3 attempts: Too many requests/);
    expect(requests).toHaveLength(3);
    expect(clock.waits).toEqual([10, 20]);
  });

  it('retries a 5xx answer', async () => {
    const { baseUrl, requests } = await serve({ status: 502, body: 'Bad gateway' }, ok('history-us-cal-ciso-2024-07-17.json'));
    expect((await source(baseUrl).read(SAN_JOSE))?.source).toBe('electricity-maps:history');
    expect(requests).toHaveLength(2);
  });

  it('reports malformed JSON clearly', async () => {
    const { baseUrl } = await serve({ status: 200, body: fixture('malformed-truncated.json.txt') });
    const error = await source(baseUrl).read(SAN_JOSE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaribouError);
    expect((error as Error).message).toMatch(/^Electricity Maps answered malformed JSON for lat=37.3541, lon=-121.9552 \(us-west-1\): /);
  });

  it('names the missing or wrong field of a well-formed but unexpected answer', async () => {
    const { baseUrl } = await serve({ status: 200, body: '{"zone":"DE","data":[]}' }, { status: 200, body: '{"history":[{"datetime":"2024-01-01T00:00:00Z","carbonIntensity":"high"}]}' });
    await expect(source(baseUrl).read(SAN_JOSE)).rejects.toThrow("has no 'history' list");
    await expect(source(baseUrl).read(SAN_JOSE)).rejects.toThrow('history[0].carbonIntensity is not a number');
  });

  it('refuses a negative intensity and a datetime that is no time (found by the fault suite\'s HTTP campaign)', async () => {
    const { baseUrl } = await serve(
      { status: 200, body: '{"history":[{"datetime":"2024-01-01T00:00:00Z","carbonIntensity":-7}]}' },
      { status: 200, body: '{"history":[{"datetime":"2024-01-01T00:00:00Z","carbonIntensity":300},{"datetime":".:L","carbonIntensity":298}]}' },
    );
    await expect(source(baseUrl).read(SAN_JOSE)).rejects.toThrow('history[0].carbonIntensity is -7, expected gCO2e/kWh of 0 or more');
    await expect(source(baseUrl).read(SAN_JOSE)).rejects.toThrow('history[1].datetime ".:L" is not a time');
  });

  it('reads 404 (no data for the location) as no data', async () => {
    const { baseUrl } = await serve({ status: 404, body: fixture('no-data-404.json') });
    expect(await source(baseUrl).read(SAN_JOSE)).toBeUndefined();
  });

  it('gives up on a server that does not answer within the timeout', async () => {
    const { baseUrl } = await serve({ status: 200, body: fixture('history-us-cal-ciso-2024-07-17.json'), delayMs: 2_000 });
    await expect(source(baseUrl, { timeoutMs: 150, maxAttempts: 1 }).read(SAN_JOSE)).rejects.toThrow(/unreachable for .* after 1 attempts: no answer within 150 ms/);
  });

  it('leaves 0.1 s between requests (the reference\'s spacing)', async () => {
    const { baseUrl } = await serve(ok('history-us-cal-ciso-2024-07-17.json'));
    const live = source(baseUrl);
    await live.read(SAN_JOSE);
    await live.read(SAN_JOSE);
    await live.read(SAN_JOSE);
    expect(times).toEqual([0, 100, 200]);
  });

  it('names the network error when the server cannot be reached', async () => {
    const { baseUrl } = await serve(ok('history-us-cal-ciso-2024-07-17.json'));
    await server!.close();
    server = undefined;
    await expect(source(baseUrl, { maxAttempts: 2 }).read(SAN_JOSE)).rejects.toThrow('Electricity Maps unreachable for lat=37.3541, lon=-121.9552 (us-west-1) after 2 attempts: fetch failed');
  });

  it('needs a token', () => {
    expect(() => new ElectricityMapsCarbonSource({ authToken: ' ' })).toThrow(/set ELECTRICITY_MAPS_AUTH_TOKEN/);
    expect(readElectricityMapsToken({ ELECTRICITY_MAPS_AUTH_TOKEN: ' abc ' })).toBe('abc');
    expect(readElectricityMapsToken({})).toBeUndefined();
  });
});
