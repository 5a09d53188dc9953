import { afterEach, describe, expect, it } from 'vitest';
import { startRecordedHttpServer, type RecordedHttpServer, type RecordedResponse } from '@caribou/ports/contracts';
import { HttpRetriesExhaustedError, RetryingHttpClient, type HttpClientOptions } from './retrying-http-client';
import { manualClock, type ManualClock } from './testing';

let server: RecordedHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Serves the answers in order (the last one repeats) and notes the manual clock's time of each request. */
async function serve(clock: ManualClock, ...answers: RecordedResponse[]): Promise<RecordedHttpServer & { times: number[] }> {
  const times: number[] = [];
  server = await startRecordedHttpServer((_, index) => {
    times.push(clock.now());
    return answers[Math.min(index, answers.length - 1)]!;
  });
  return { ...server, times };
}

const client = (clock: ManualClock, options: HttpClientOptions = {}) => new RetryingHttpClient({ now: clock.now, sleep: clock.sleep, backoffMs: 100, ...options });
const failure = (promise: Promise<unknown>) => promise.then(() => expect.unreachable('expected a failure'), (error: unknown) => error as HttpRetriesExhaustedError);

describe('RetryingHttpClient', () => {
  it('returns a final answer with its status, headers and body, sending the caller’s headers', async () => {
    const clock = manualClock();
    const running = await serve(clock, { status: 200, headers: { 'x-zone': 'DE' }, body: '{"ok":true}' });
    const answer = await client(clock).get(`${running.baseUrl}/v3/x?a=1`, { headers: { 'auth-token': 't' } });
    expect([answer.status, answer.headers.get('x-zone'), answer.body]).toEqual([200, 'DE', '{"ok":true}']);
    expect(running.requests[0]!.url).toBe('/v3/x?a=1');
    expect(running.requests[0]!.headers).toMatchObject({ 'auth-token': 't', accept: 'application/json' });
    expect(clock.waits).toEqual([]);
  });

  it('returns 4xx answers other than 429 at once, for the adapter to read', async () => {
    const clock = manualClock();
    const running = await serve(clock, { status: 401, body: 'no' }, { status: 404, body: '' });
    expect((await client(clock).get(running.baseUrl)).status).toBe(401);
    expect((await client(clock).get(running.baseUrl)).status).toBe(404);
    expect(running.requests).toHaveLength(2);
  });

  it('waits as many seconds as Retry-After asks on 429, then returns the next answer', async () => {
    const clock = manualClock();
    const running = await serve(clock, { status: 429, headers: { 'retry-after': '3' }, body: '' }, { status: 200, body: '{}' });
    expect((await client(clock).get(running.baseUrl)).status).toBe(200);
    expect(clock.waits).toEqual([3000]);
    expect(running.times).toEqual([0, 3000]);
  });

  it('reads a Retry-After date against the injected clock and caps what it honours', async () => {
    const clock = manualClock(Date.UTC(2024, 4, 13, 12, 0, 0));
    const inFive = new Date(clock.now() + 5000).toUTCString();
    const running = await serve(clock, { status: 503, headers: { 'retry-after': inFive }, body: '' }, { status: 503, headers: { 'retry-after': '600' }, body: '' }, { status: 200, body: '' });
    await client(clock, { maxDelayMs: 20_000 }).get(running.baseUrl);
    expect(clock.waits).toEqual([5000, 20_000]);
  });

  it('backs off exponentially without Retry-After and gives up after maxAttempts with the last answer', async () => {
    const clock = manualClock();
    const running = await serve(clock, { status: 502, body: 'Bad gateway' });
    const error = await failure(client(clock, { maxAttempts: 4 }).get(running.baseUrl));
    expect(error).toBeInstanceOf(HttpRetriesExhaustedError);
    expect([error.attempts, error.reason, error.answer?.status, error.answer?.body]).toEqual([4, 'HTTP 502', 502, 'Bad gateway']);
    expect(error.message).toBe('HTTP 502 after 4 attempts');
    expect(clock.waits).toEqual([100, 200, 400]);
    expect(running.requests).toHaveLength(4);
  });

  it('retries an answer the caller calls transient, and names the caller’s reason when it gives up', async () => {
    const clock = manualClock();
    const running = await serve(clock, { status: 200, body: '{"status":"OVER_QUERY_LIMIT"}' });
    const retryReason = (answer: { body: string }) => (answer.body.includes('OVER_QUERY_LIMIT') ? 'OVER_QUERY_LIMIT' : undefined);
    const error = await failure(client(clock, { maxAttempts: 2 }).get(running.baseUrl, { retryReason }));
    expect([error.attempts, error.reason, error.answer?.status]).toEqual([2, 'OVER_QUERY_LIMIT', 200]);
    expect(clock.waits).toEqual([100]);
  });

  it('retries a request that gets no answer within the timeout and says so', async () => {
    const clock = manualClock();
    const running = await serve(clock, { status: 200, body: '{}', delayMs: 2_000 });
    const error = await failure(client(clock, { timeoutMs: 50, maxAttempts: 2 }).get(running.baseUrl));
    expect([error.attempts, error.reason, error.answer]).toEqual([2, 'no answer within 50 ms', undefined]);
    expect(running.requests).toHaveLength(2);
  });

  it('retries a refused connection and keeps the network error as the cause', async () => {
    const clock = manualClock();
    const running = await serve(clock, { status: 200, body: '' });
    await running.close();
    server = undefined;
    const error = await failure(client(clock, { maxAttempts: 3 }).get(running.baseUrl));
    expect([error.attempts, error.reason]).toEqual([3, 'fetch failed']);
    expect(String((error.cause as Error).cause)).toMatch(/ECONNREFUSED/);
    expect(clock.waits).toEqual([100, 200]);
  });

  it('keeps minIntervalMs between the starts of requests, counting waits already made', async () => {
    const clock = manualClock();
    const running = await serve(clock, { status: 200, body: '' }, { status: 200, body: '' }, { status: 429, headers: { 'retry-after': '1' }, body: '' }, { status: 200, body: '' });
    const spaced = client(clock, { minIntervalMs: 100 });
    await spaced.get(running.baseUrl);
    await spaced.get(running.baseUrl);
    await spaced.get(running.baseUrl);
    expect(running.times).toEqual([0, 100, 200, 1200]);
    expect(clock.waits).toEqual([100, 100, 1000]);
  });
});
