import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CaribouError } from '@caribou/domain-common';
import { LATENCY_PERCENTILES, latencyDistributionSeconds, pairRandom } from '@caribou/domain-collection';
import { DataSourceRefusedError } from '@caribou/ports';
import { CloudPingLatencySource } from './cloudping-latency-source';
import { startRecordedHttpServer, type ReceivedRequest, type RecordedHttpServer, type RecordedResponse } from '@caribou/ports/contracts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const percentileOf = (request: ReceivedRequest) => new URL(request.url, 'http://x').searchParams.get('percentile')!;
const recorded = (request: ReceivedRequest): RecordedResponse => ({ status: 200, body: fixture(`latencies-${percentileOf(request)}-1W.json`) });

let server: RecordedHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(respond: (request: ReceivedRequest, index: number) => RecordedResponse): Promise<RecordedHttpServer> {
  server = await startRecordedHttpServer(respond);
  return server;
}

describe('CloudPingLatencySource', () => {
  it('fetches the seven percentiles of the last week once per process and reads a pair', async () => {
    const running = await serve(recorded);
    const source = new CloudPingLatencySource({ baseUrl: running.baseUrl });
    const reading = (await source.read('us-east-1', 'eu-west-1'))!;

    expect(running.requests.map((r) => new URL(r.url, running.baseUrl)).map((u) => `${u.pathname}?${u.searchParams}`)).toEqual(
      LATENCY_PERCENTILES.map((p) => `/api/latencies?percentile=${p}&timeframe=1W`),
    );
    const expected = Object.fromEntries(LATENCY_PERCENTILES.map((p) => [p, JSON.parse(fixture(`latencies-${p}-1W.json`)).data['us-east-1']['eu-west-1']]));
    expect(reading).toEqual({ observation: { kind: 'percentiles', millis: expected }, source: 'cloudping:1W', measuredFrom: 'us-east-1', measuredTo: 'eu-west-1' });

    await source.read('eu-west-1', 'us-east-1');
    await new CloudPingLatencySource({ baseUrl: running.baseUrl }).read('us-west-2', 'ap-east-1');
    expect(running.requests).toHaveLength(7);
  });

  it('yields a fitted distribution in seconds around the P50', async () => {
    const running = await serve(recorded);
    const reading = (await new CloudPingLatencySource({ baseUrl: running.baseUrl }).read('us-east-1', 'us-west-2'))!;
    const distribution = latencyDistributionSeconds(reading.observation, { random: pairRandom(3, 'aws:us-east-1', 'aws:us-west-2') });
    expect(distribution.method).toBe('fitted-percentiles');
    expect(distribution.seconds).toHaveLength(100);
    const sorted = [...distribution.seconds].sort((a, b) => a - b);
    expect(sorted[49]!).toBeGreaterThan(0.055);
    expect(sorted[49]!).toBeLessThan(0.075);
  });

  it("substitutes codes cloudping lacks with the reference's rules", async () => {
    const running = await serve(recorded);
    const source = new CloudPingLatencySource({ baseUrl: running.baseUrl });
    const reading = (await source.read('me-central-1', 'ca-west-1'))!;
    expect([reading.measuredFrom, reading.measuredTo]).toEqual(['me-south-1', 'us-west-2']);
    expect((await source.read('ap-east-2', 'us-east-2'))!.measuredTo).toBe('us-east-1');
    expect(await source.read('sa-east-1', 'us-east-1')).toBeUndefined();
  });

  it('refuses on 401', async () => {
    const running = await serve(() => ({ status: 401, body: '{"message":"Unauthorized"}' }));
    await expect(new CloudPingLatencySource({ baseUrl: running.baseUrl }).read('us-east-1', 'us-west-2')).rejects.toBeInstanceOf(DataSourceRefusedError);
    expect(running.requests).toHaveLength(1);
  });

  it('honours Retry-After on 429, then succeeds', async () => {
    const delays: number[] = [];
    const running = await serve((request, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '3' }, body: '{}' } : recorded(request)));
    const source = new CloudPingLatencySource({ baseUrl: running.baseUrl, sleep: async (ms) => void delays.push(ms) });
    expect(await source.read('us-east-1', 'us-west-2')).toBeDefined();
    expect(delays).toEqual([3000]);
    expect(running.requests).toHaveLength(8);
  });

  it('reports malformed JSON clearly and does not keep the failed download', async () => {
    const running = await serve((request, index) => (index === 0 ? { status: 200, body: fixture('malformed-truncated.json.txt') } : recorded(request)));
    const source = new CloudPingLatencySource({ baseUrl: running.baseUrl });
    const error = await source.read('us-east-1', 'us-west-2').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaribouError);
    expect((error as Error).message).toMatch(/^cloudping answered malformed JSON for p_10: /);
    expect(await source.read('us-east-1', 'us-west-2')).toBeDefined();
  });

  it('names a bad value in the matrix', async () => {
    const running = await serve(() => ({ status: 200, body: '{"data":{"us-east-1":{"us-west-2":-4}}}' }));
    await expect(new CloudPingLatencySource({ baseUrl: running.baseUrl, percentiles: ['p_50'] }).read('us-east-1', 'us-west-2')).rejects.toThrow(
      'cloudping answer for p_50: data.us-east-1.us-west-2 is -4, expected positive milliseconds',
    );
  });
});
