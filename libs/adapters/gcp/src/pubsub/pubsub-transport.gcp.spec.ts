import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { emulatorClients, uniqueSuffix } from '../testing/emulator';
import { functionResourceName } from '../names';
import { PubSubFunctionInvoker } from './function-invoker';
import { PubSubFunctionTopics } from './function-topics';

/** A push endpoint on loopback that records what Pub/Sub posts and acknowledges it. */
function pushReceiver(status = 204): { server: Server; url: () => string; received: Array<{ path: string; body: { message: { data: string; messageId: string }; subscription: string } }> } {
  const received: Array<{ path: string; body: { message: { data: string; messageId: string }; subscription: string } }> = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += String(chunk)));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(text) });
      res.writeHead(status).end();
    });
  });
  return { server, url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

describe('Pub/Sub transport: a topic and a push subscription per function copy (emulator)', () => {
  const clients = emulatorClients();
  const topics = new PubSubFunctionTopics(clients);
  const invoker = new PubSubFunctionInvoker(clients);
  const receiver = pushReceiver();
  const id = `wf-fn-${uniqueSuffix()}-gcp-us-east4`;
  const identifier = functionResourceName(clients.projectId, 'us-east4', id);

  beforeAll(() => new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve)));
  afterAll(async () => {
    await topics.remove(identifier);
    await clients.close();
    await new Promise((resolve) => receiver.server.close(resolve));
  });

  it('creates the topic and its push subscription, idempotently, and points the subscription at a new URL', async () => {
    expect(await topics.ensure({ functionIdentifier: identifier, pushEndpoint: `${receiver.url()}/first`, ackDeadlineSeconds: 60 })).toEqual({
      topic: `projects/${clients.projectId}/topics/${id}`,
      subscription: `projects/${clients.projectId}/subscriptions/${id}`,
    });
    await topics.ensure({ functionIdentifier: identifier, pushEndpoint: `${receiver.url()}/second`, ackDeadlineSeconds: 120 });
    const [metadata] = await clients.pubsub().subscription(`projects/${clients.projectId}/subscriptions/${id}`).getMetadata();
    expect(metadata.pushConfig?.pushEndpoint).toBe(`${receiver.url()}/second`);
    expect(metadata.ackDeadlineSeconds).toBe(120);
    expect(metadata.deadLetterPolicy).toMatchObject({ deadLetterTopic: topics.failedInvocationsTopic, maxDeliveryAttempts: 5 });
    expect(await topics.listTopicIds('wf-fn-')).toContain(id);
  });

  it('delivers what the invoker publishes to the function URL, base64 in message.data, once', async () => {
    const message = JSON.stringify({ payload: { text: 'ünïcødé ✓' }, n: 1 });
    await invoker.invokeAsync({ provider: 'gcp', region: 'us-east4' }, identifier, message);
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1), { timeout: 60_000, interval: 100 });
    const [delivery] = receiver.received;
    expect(delivery!.path).toBe('/second');
    expect(delivery!.body.subscription).toBe(`projects/${clients.projectId}/subscriptions/${id}`);
    expect(Buffer.from(delivery!.body.message.data, 'base64').toString('utf8')).toBe(message);
  });

  it('says which function is not deployed when its topic is missing, and refuses what is not a function', async () => {
    const missing = functionResourceName(clients.projectId, 'us-east4', `missing-${uniqueSuffix()}`);
    await expect(invoker.invokeAsync({ provider: 'gcp', region: 'us-east4' }, missing, '{}')).rejects.toThrow(
      `Could not invoke ${missing} in us-east4: its topic projects/${clients.projectId}/topics/${missing.split('/').pop()} does not exist; deploy the workflow again`,
    );
    await expect(invoker.invokeAsync({ provider: 'gcp', region: 'us-east4' }, 'arn:aws:lambda:us-east-1:1:function:f', '{}')).rejects.toThrow(/is neither a Cloud Run function/);
  });

  it('refuses an ack deadline Pub/Sub would refuse, and removes twice without error', async () => {
    await expect(topics.ensure({ functionIdentifier: identifier, pushEndpoint: receiver.url(), ackDeadlineSeconds: 900 })).rejects.toThrow(
      "ackDeadlineSeconds must be a whole number from 10 to 600 (Pub/Sub's range), got 900",
    );
    const other = functionResourceName(clients.projectId, 'us-east4', `gone-${uniqueSuffix()}`);
    await topics.ensure({ functionIdentifier: other, pushEndpoint: receiver.url(), ackDeadlineSeconds: 10 });
    await topics.remove(other);
    await topics.remove(other);
    expect(await topics.listTopicIds('gone-')).not.toContain(other.split('/').pop());
  });

  it('gives a message up after the bounded number of failed deliveries and keeps it on the failed-invocations topic', async () => {
    const failing = pushReceiver(500);
    await new Promise<void>((resolve) => failing.server.listen(0, '127.0.0.1', resolve));
    const failedTopicId = `failed-${uniqueSuffix()}`;
    const bounded = new PubSubFunctionTopics(clients, { failedInvocationsTopicId: failedTopicId, maxDeliveryAttempts: 5, retryBackoffSeconds: { minimum: 1, maximum: 1 } });
    const broken = functionResourceName(clients.projectId, 'us-east4', `broken-${uniqueSuffix()}`);
    try {
      await bounded.ensure({ functionIdentifier: broken, pushEndpoint: failing.url(), ackDeadlineSeconds: 10 });
      const failed = clients.pubsub().subscription(failedTopicId);
      const givenUp = new Promise<{ data: string; attributes: Record<string, string> }>((resolve) =>
        failed.once('message', (message) => {
          message.ack();
          resolve({ data: message.data.toString('utf8'), attributes: message.attributes });
        }),
      );
      await invoker.invokeAsync({ provider: 'gcp', region: 'us-east4' }, broken, '{"doomed":true}');
      const dead = await givenUp;
      await failed.close();
      expect(dead.data).toBe('{"doomed":true}');
      expect(dead.attributes).toMatchObject({ CloudPubSubDeadLetterSourceDeliveryCount: '5', CloudPubSubDeadLetterSourceSubscription: broken.split('/').pop() });
      expect(failing.received).toHaveLength(5);
    } finally {
      await bounded.remove(broken);
      await new Promise((resolve) => failing.server.close(resolve));
    }
  });

  it('refuses delivery bounds Pub/Sub would refuse', () => {
    expect(() => new PubSubFunctionTopics(clients, { maxDeliveryAttempts: 3 })).toThrow("maxDeliveryAttempts must be a whole number from 5 to 100 (Pub/Sub's range), got 3");
    expect(() => new PubSubFunctionTopics(clients, { retryBackoffSeconds: { minimum: 20, maximum: 10 } })).toThrow(
      "retryBackoffSeconds.maximum must be a whole number from 20 to 600 (Pub/Sub's range), got 10",
    );
  });
});
