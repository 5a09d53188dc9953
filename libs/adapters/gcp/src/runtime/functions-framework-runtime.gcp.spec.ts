import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { http } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaribouWorkflow } from '@caribou/sdk';
import { emulatorEnvironment } from '../testing/emulator';
import { createFunctionsFrameworkHandler, type FunctionsFrameworkHandlerOptions } from './functions-framework-runtime';

/**
 * The entry served by the real functions framework on loopback. Each delivery takes its
 * execution marker in Firestore (the emulator), so a duplicate delivery does not run twice.
 */
describe('the functions-framework entry', () => {
  const workflow = new CaribouWorkflow({ name: 'wf', version: '0.0.1' });
  // Not the entry point: the placement decision travels in the message, so no store is read.
  workflow.serverlessFunction({ name: 'echo' }, (payload: unknown) => ({ echoed: payload }));
  workflow.serverlessFunction({ name: 'boom' }, () => {
    throw new Error('user code failed\nsecond line');
  });
  const lines: string[] = [];
  const errors: string[] = [];
  const env = (fn: string): NodeJS.ProcessEnv => ({
    CARIBOU_GCP_REGION: 'us-east4',
    CARIBOU_WORKFLOW_FUNCTION: fn,
    CARIBOU_GCP_PROJECT: 'demo-caribou',
    ...emulatorEnvironment(),
  });
  const servers: Array<ReturnType<typeof getTestServer>> = [];
  const urls: Record<string, string> = {};

  function serve(name: string, target: CaribouWorkflow, options: FunctionsFrameworkHandlerOptions): void {
    http(name, createFunctionsFrameworkHandler(target, { log: (line) => lines.push(line), reportError: (line) => errors.push(line), cpuModel: 'test', ...options }));
    const server = getTestServer(name);
    servers.push(server);
    server.listen(0, '127.0.0.1');
  }

  beforeAll(async () => {
    serve('echo', workflow, { env: env('echo') });
    serve('boom', workflow, { env: env('boom') });
    serve('no-region', workflow, { env: { CARIBOU_WORKFLOW_FUNCTION: 'echo', CARIBOU_GCP_PROJECT: 'p' } });
    serve('no-workflow', undefined as unknown as CaribouWorkflow, { env: env('echo') });
    for (const server of servers) {
      if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
    }
    for (const [index, name] of ['echo', 'boom', 'no-region', 'no-workflow'].entries()) {
      urls[name] = `http://127.0.0.1:${(servers[index]!.address() as AddressInfo).port}/`;
    }
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  // A run id per message: a second delivery of the same (run, instance) is a duplicate and is skipped.
  let runs = 0;
  const message = (fn: string, payload: unknown) =>
    JSON.stringify({
      payload,
      workflow_placement_decision: { instances: {}, current_instance_name: `wf-0_0_1-${fn}:entry_point_0_0:1`, workflow_placement: { home_deployment: {} }, run_id: `run-${(runs += 1)}-${randomUUID()}` },
    });
  const post = (name: string, body: unknown) =>
    fetch(urls[name]!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const pushOf = (text: string, messageId = 'm-1') => ({ message: { data: Buffer.from(text).toString('base64'), messageId }, subscription: 'projects/p/subscriptions/s' });

  it('runs the invocation of a push delivery and acknowledges it with 200, the message id as request id', async () => {
    const response = await post('echo', pushOf(message('echo', { n: 1 }), 'push-7'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', request_id: 'push-7', result: { echoed: { n: 1 } } });
    expect(lines.filter((line) => line.includes('push-7')).length).toBeGreaterThan(0);
  });

  it('accepts a direct JSON call as the message itself', async () => {
    const response = await post('echo', JSON.parse(message('echo', 'direct')) as unknown);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { result: unknown }).result).toEqual({ echoed: 'direct' });
  });

  it('answers 400 with one line for a request that is not a Caribou message', async () => {
    const response = await post('echo', { message: { data: 'not base64!' } });
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('message.data is not base64; Pub/Sub push delivers the published bytes base64-encoded');
  });

  it('answers 500 with one line when the handler fails, so Pub/Sub delivers it again', async () => {
    const response = await post('boom', pushOf(message('boom', {})));
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('Error: user code failed');
    expect(errors).toContain('Caribou invocation m-1 failed: Error: user code failed');
  });

  it('names what the deployment left unset, and a bundle without a workflow', async () => {
    const unset = await post('no-region', pushOf(message('echo', {})));
    expect(unset.status).toBe(500);
    expect(await unset.text()).toBe('CaribouError: CARIBOU_GCP_REGION is not set on this function; deploy the workflow again with caribou deploy');
    const empty = await post('no-workflow', pushOf(message('echo', {})));
    expect(await empty.text()).toMatch(/^CaribouError: The workflow app exports no workflow/);
  });
});
