import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GoogleApiError, GoogleRestClient } from './rest-client';

const sleeper = { sleep: vi.fn(async () => undefined) };

describe('GoogleRestClient', () => {
  let server: Server;
  let base: string;
  const polls: string[] = [];

  beforeAll(async () => {
    // A real local server answering as Google's APIs do: an error body, and an operation done on its second read.
    server = createServer((req, res) => {
      if (req.url === '/v2/projects/p/locations/r/functions/missing') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 404, message: "Resource 'missing' was not found", status: 'NOT_FOUND' } }));
        return;
      }
      if (req.url?.startsWith('/v2/projects/p/locations/r/operations/')) {
        polls.push(req.url);
        const done = polls.length >= 2;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: req.url.slice(4), done, ...(done ? { response: { name: 'fn' } } : {}) }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('turns a Google error body into one line with its HTTP status kept for callers', async () => {
    const client = new GoogleRestClient({ apiEndpoint: base, sleeper });
    const error = await client.request('functions', 'GET', '/v2/projects/p/locations/r/functions/missing').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GoogleApiError);
    expect((error as GoogleApiError).httpStatus).toBe(404);
    expect((error as Error).message).toBe("GET /v2/projects/p/locations/r/functions/missing failed: NOT_FOUND: Resource 'missing' was not found");
  });

  it('polls a long-running operation until done, with the injected sleeper', async () => {
    const client = new GoogleRestClient({ apiEndpoint: base, sleeper });
    const response = await client.waitForOperation('functions', { name: 'projects/p/locations/r/operations/op-1', done: false }, 'Creating fn');
    expect(response).toEqual({ name: 'fn' });
    expect(polls).toHaveLength(2);
    expect(sleeper.sleep).toHaveBeenCalledTimes(2);
  });

  it('without credentials, says how to get them in one line (no endpoint override: Google hosts with ADC)', async () => {
    const saved = { ...process.env };
    // A key file that does not exist: google-auth-library fails before any network call.
    process.env.GOOGLE_APPLICATION_CREDENTIALS = '/nonexistent/caribou-test-key.json';
    try {
      const client = new GoogleRestClient({ sleeper });
      await expect(client.request('functions', 'GET', '/v2/projects/p/locations/r/functions')).rejects.toThrow(
        /^No Google Cloud credentials \(.+\); run gcloud auth application-default login, or set GOOGLE_APPLICATION_CREDENTIALS to a service account key file$/,
      );
    } finally {
      process.env = saved;
    }
  });
});
