import type { CreateSubscriptionOptions, PubSub } from '@google-cloud/pubsub';
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

export interface PubSubFunctionTopicsOptions {
  /**
   * The on-failure destination: a message that failed `maxDeliveryAttempts` deliveries is
   * published here, with a pull subscription of the same id that keeps it (7 days).
   */
  failedInvocationsTopicId?: string;
  /** Deliveries of one message before it is given up (Pub/Sub allows 5–100). Default 5. */
  maxDeliveryAttempts?: number;
  /** Backoff between redeliveries, seconds (Pub/Sub allows 0–600). Default 10 to 600. */
  retryBackoffSeconds?: { minimum: number; maximum: number };
}

export const DEFAULT_FAILED_INVOCATIONS_TOPIC = 'caribou-failed-invocations';
export const DEFAULT_MAX_DELIVERY_ATTEMPTS = 5;

function checkRange(name: string, value: number, minimum: number, maximum: number): void {
  if (!Number.isInteger(value) || value < minimum || value > maximum) {
    throw new CaribouError(`${name} must be a whole number from ${minimum} to ${maximum} (Pub/Sub's range), got ${value}`);
  }
}

/**
 * The delivery side of the transport, created at deploy: one topic per function copy and a
 * push subscription on it that posts each message to the function. Both are named after
 * the function id, so deploy, migrate and remove find them from the function alone.
 * Delivery is bounded, like Lambda's asynchronous retries: redeliveries back off, and after
 * the last attempt the message goes to the failed-invocations topic instead of being
 * retried for Pub/Sub's 7-day retention. (On Google Cloud, Pub/Sub's service agent needs
 * publish rights on that topic and subscribe rights on the push subscriptions.)
 */
export class PubSubFunctionTopics {
  private readonly failedTopicId: string;
  private readonly maxDeliveryAttempts: number;
  private readonly retryPolicy: { minimumBackoff: { seconds: number }; maximumBackoff: { seconds: number } };

  constructor(
    private readonly clients: Pick<GcpClients, 'pubsub' | 'projectId'>,
    options: PubSubFunctionTopicsOptions = {},
  ) {
    this.failedTopicId = options.failedInvocationsTopicId ?? DEFAULT_FAILED_INVOCATIONS_TOPIC;
    this.maxDeliveryAttempts = options.maxDeliveryAttempts ?? DEFAULT_MAX_DELIVERY_ATTEMPTS;
    checkRange('maxDeliveryAttempts', this.maxDeliveryAttempts, 5, 100);
    const backoff = options.retryBackoffSeconds ?? { minimum: 10, maximum: 600 };
    checkRange('retryBackoffSeconds.minimum', backoff.minimum, 0, 600);
    checkRange('retryBackoffSeconds.maximum', backoff.maximum, backoff.minimum, 600);
    this.retryPolicy = { minimumBackoff: { seconds: backoff.minimum }, maximumBackoff: { seconds: backoff.maximum } };
  }

  /** `projects/<p>/topics/<id>` of the on-failure destination; its pull subscription has the same id. */
  get failedInvocationsTopic(): string {
    return `projects/${this.clients.projectId}/topics/${this.failedTopicId}`;
  }

  /** `projects/<p>/subscriptions/<id>`: the pull subscription that keeps failed invocations. */
  get failedInvocationsSubscription(): string {
    return `projects/${this.clients.projectId}/subscriptions/${this.failedTopicId}`;
  }

  /** The on-failure destination alone (deploy prepares it before the functions). */
  async ensureFailedInvocationsTopic(): Promise<string> {
    await this.ensureFailedInvocations(this.clients.pubsub());
    return this.failedInvocationsTopic;
  }

  /** Deletes the on-failure destination's subscription and topic (framework teardown); what is gone is fine. */
  async removeFailedInvocationsTopic(): Promise<void> {
    const pubsub = this.clients.pubsub();
    for (const [name, remove] of [
      [this.failedInvocationsSubscription, () => pubsub.subscription(this.failedInvocationsSubscription).delete()],
      [this.failedInvocationsTopic, () => pubsub.topic(this.failedInvocationsTopic).delete()],
    ] as const) {
      try {
        await remove();
      } catch (error) {
        if (!hasGrpcCode(error, GrpcStatus.NOT_FOUND)) throw this.failure('delete', name, error);
      }
    }
  }

  /** Creates the topic and its push subscription, or points an existing subscription at the endpoint. */
  async ensure(spec: FunctionTopicSpec): Promise<{ topic: string; subscription: string }> {
    checkRange('ackDeadlineSeconds', spec.ackDeadlineSeconds, 10, 600);
    const pubsub = this.clients.pubsub();
    await this.ensureFailedInvocations(pubsub);
    const topic = topicOfFunction(spec.functionIdentifier);
    const subscription = pushSubscriptionOfTopic(topic);
    const pushConfig = {
      pushEndpoint: spec.pushEndpoint,
      ...(spec.pushServiceAccount ? { oidcToken: { serviceAccountEmail: spec.pushServiceAccount, audience: spec.pushEndpoint } } : {}),
    };
    await this.createTopic(pubsub, topic);
    const delivery = {
      ackDeadlineSeconds: spec.ackDeadlineSeconds,
      retryPolicy: this.retryPolicy,
      deadLetterPolicy: { deadLetterTopic: this.failedInvocationsTopic, maxDeliveryAttempts: this.maxDeliveryAttempts },
    };
    try {
      await pubsub.topic(topic).createSubscription(subscription, { pushConfig, ...delivery } satisfies CreateSubscriptionOptions);
    } catch (error) {
      if (!hasGrpcCode(error, GrpcStatus.ALREADY_EXISTS)) throw this.failure('create', subscription, error);
      try {
        await pubsub.subscription(subscription).modifyPushConfig(pushConfig);
        await pubsub.subscription(subscription).setMetadata(delivery);
      } catch (updateError) {
        throw this.failure('update', subscription, updateError);
      }
    }
    return { topic, subscription };
  }

  private async createTopic(pubsub: PubSub, topic: string): Promise<void> {
    try {
      await pubsub.createTopic(topic);
    } catch (error) {
      if (!hasGrpcCode(error, GrpcStatus.ALREADY_EXISTS)) throw this.failure('create', topic, error);
    }
  }

  /** The failed-invocations topic and the subscription that keeps what reaches it (messages on a topic without one are lost). */
  private async ensureFailedInvocations(pubsub: PubSub): Promise<void> {
    await this.createTopic(pubsub, this.failedInvocationsTopic);
    try {
      await pubsub.topic(this.failedInvocationsTopic).createSubscription(this.failedTopicId, { messageRetentionDuration: { seconds: 7 * 86_400 } });
    } catch (error) {
      if (!hasGrpcCode(error, GrpcStatus.ALREADY_EXISTS)) throw this.failure('create', `subscription ${this.failedTopicId}`, error);
    }
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
