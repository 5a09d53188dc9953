import type { CreateSubscriptionOptions } from '@google-cloud/pubsub';
import { CaribouError } from '@caribou/domain-common';
import type { GcpClients } from '../config';
import { describeGcpError, GrpcStatus, hasGrpcCode } from '../errors';
import { pushSubscriptionOfTopic, topicOfFunction } from '../names';

export interface FunctionTopicSpec {
  /** The function copy's resource name (`projects/<p>/locations/<r>/functions/<id>`). */
  functionIdentifier: string;
  /** The function's HTTPS URL (Cloud Run), or a loopback URL in tests. */
  pushEndpoint: string;
  /** How long Pub/Sub waits for the function to answer before it redelivers: the function's timeout (10–600 s). */
  ackDeadlineSeconds: number;
  /** Service account whose OIDC token Pub/Sub sends, so a private function accepts the push. */
  pushServiceAccount?: string;
}

/** Redeliveries back off from 10 s to 10 min instead of Pub/Sub's immediate default. */
export const PUSH_RETRY_POLICY = { minimumBackoff: { seconds: 10 }, maximumBackoff: { seconds: 600 } } as const;

/**
 * The delivery side of the transport, created at deploy: one topic per function copy and a
 * push subscription on it that posts each message to the function. Both are named after
 * the function id, so deploy, migrate and remove can find them from the function alone.
 */
export class PubSubFunctionTopics {
  constructor(private readonly clients: Pick<GcpClients, 'pubsub'>) {}

  /** Creates the topic and its push subscription, or points an existing subscription at the endpoint. */
  async ensure(spec: FunctionTopicSpec): Promise<{ topic: string; subscription: string }> {
    if (!Number.isInteger(spec.ackDeadlineSeconds) || spec.ackDeadlineSeconds < 10 || spec.ackDeadlineSeconds > 600) {
      throw new CaribouError(`ackDeadlineSeconds must be a whole number of seconds from 10 to 600 (Pub/Sub's range), got ${spec.ackDeadlineSeconds}`);
    }
    const pubsub = this.clients.pubsub();
    const topic = topicOfFunction(spec.functionIdentifier);
    const subscription = pushSubscriptionOfTopic(topic);
    const pushConfig = {
      pushEndpoint: spec.pushEndpoint,
      ...(spec.pushServiceAccount ? { oidcToken: { serviceAccountEmail: spec.pushServiceAccount, audience: spec.pushEndpoint } } : {}),
    };
    try {
      await pubsub.createTopic(topic);
    } catch (error) {
      if (!hasGrpcCode(error, GrpcStatus.ALREADY_EXISTS)) throw this.failure('create', topic, error);
    }
    const options: CreateSubscriptionOptions = { pushConfig, ackDeadlineSeconds: spec.ackDeadlineSeconds, retryPolicy: PUSH_RETRY_POLICY };
    try {
      await pubsub.topic(topic).createSubscription(subscription, options);
    } catch (error) {
      if (!hasGrpcCode(error, GrpcStatus.ALREADY_EXISTS)) throw this.failure('create', subscription, error);
      try {
        await pubsub.subscription(subscription).modifyPushConfig(pushConfig);
        await pubsub.subscription(subscription).setMetadata({ ackDeadlineSeconds: spec.ackDeadlineSeconds, retryPolicy: PUSH_RETRY_POLICY });
      } catch (updateError) {
        throw this.failure('update', subscription, updateError);
      }
    }
    return { topic, subscription };
  }

  /** Deletes the subscription and the topic; what is already gone is fine. */
  async remove(functionIdentifier: string): Promise<void> {
    const pubsub = this.clients.pubsub();
    const topic = topicOfFunction(functionIdentifier);
    const subscription = pushSubscriptionOfTopic(topic);
    for (const [name, remove] of [
      [subscription, () => pubsub.subscription(subscription).delete()],
      [topic, () => pubsub.topic(topic).delete()],
    ] as const) {
      try {
        await remove();
      } catch (error) {
        if (!hasGrpcCode(error, GrpcStatus.NOT_FOUND)) throw this.failure('delete', name, error);
      }
    }
  }

  /** Topic ids of the project that start with `prefix` (inventories and teardown). */
  async listTopicIds(prefix = ''): Promise<string[]> {
    const [topics] = await this.clients.pubsub().getTopics({ autoPaginate: true });
    return topics.map((topic) => topic.name.split('/').pop()!).filter((id) => id.startsWith(prefix));
  }

  private failure(action: string, name: string, error: unknown): CaribouError {
    return new CaribouError(`Could not ${action} ${name}: ${describeGcpError(error)}`, { cause: error });
  }
}
