import { CaribouError, type ProviderRegion } from '@caribou/domain-common';
import type { DestinationMessage, FailureDestinations } from '@caribou/ports';
import type { PubSubFunctionTopics } from '../pubsub/function-topics';
import type { GoogleRestClient } from './rest-client';

/** A function copy as the failed-invocation records name it. */
export interface FunctionCopy {
  region: string;
  functionName: string;
}

interface ReceivedMessage {
  ackId: string;
  deliveryAttempt?: number;
  message: { data?: string; messageId?: string; publishTime?: string; attributes?: Record<string, string> };
}

/**
 * The on-failure destination on Google Cloud: Pub/Sub's dead-letter topic
 * `caribou-failed-invocations`, shared by every region of the project (topics are global),
 * and its pull subscription. A dead-lettered message carries the function's subscription
 * (= the function id) and its delivery count as attributes; `receive` turns it into the
 * invocation record the other providers' destinations hold, naming the function copy by
 * its physical name and region (`gcp:<region>:<name>`). The topic being one for the whole
 * project, any region's `receive` returns every region's records, each naming its own region.
 */
export class PubSubFailureDestinations implements FailureDestinations {
  constructor(
    private readonly topics: PubSubFunctionTopics,
    private readonly rest: GoogleRestClient,
    /** Our function copies by Cloud Run id, across the project's regions. */
    private readonly copies: () => Promise<Map<string, FunctionCopy>>,
    /** Grants Pub/Sub's service agent what dead-lettering needs (absent with the emulator, which checks no permission). */
    private readonly grantAgent?: () => Promise<unknown>,
  ) {}

  /** The dead-letter topic the ledger records (one for the project). */
  get name(): string {
    return this.topics.failedInvocationsTopic;
  }

  async ensure(_region: ProviderRegion): Promise<string> {
    const topic = await this.topics.ensureFailedInvocationsTopic();
    await this.grantAgent?.();
    return topic;
  }

  remove(_region: ProviderRegion): Promise<void> {
    return this.topics.removeFailedInvocationsTopic();
  }

  async receive(_region: ProviderRegion, max: number): Promise<DestinationMessage[]> {
    const subscription = this.topics.failedInvocationsSubscription;
    let received: ReceivedMessage[];
    try {
      received = (await this.rest.request<{ receivedMessages?: ReceivedMessage[] }>('pubsub', 'POST', `/v1/${subscription}:pull`, {
          maxMessages: max,
          // A drain reads what is there: without it an empty subscription holds the pull open (90 s on the emulator).
          returnImmediately: true,
        })).receivedMessages ?? [];
    } catch (error) {
      if ((error as { httpStatus?: number }).httpStatus === 404) return [];
      throw error;
    }
    if (received.length === 0) return [];
    const copies = await this.copies();
    const messages: DestinationMessage[] = [];
    for (const { ackId, message, deliveryAttempt } of received) {
      const attributes = message.attributes ?? {};
      const functionId = (attributes['CloudPubSubDeadLetterSourceSubscription'] ?? '').split('/').pop() ?? '';
      const copy = copies.get(functionId);
      const payload = message.data ? Buffer.from(message.data, 'base64').toString('utf8') : '';
      const record = {
        version: '1.0',
        timestamp: message.publishTime ?? '',
        requestContext: {
          requestId: message.messageId ?? '',
          // A function that is gone still names its id, so the record is kept under no workflow rather than lost.
          functionArn: `gcp:${copy?.region ?? 'unknown'}:${copy?.functionName ?? (functionId || 'unknown')}`,
          condition: 'RetriesExhausted',
          approximateInvokeCount: Number(attributes['CloudPubSubDeadLetterSourceDeliveryCount'] ?? deliveryAttempt ?? 0),
        },
        requestPayload: payload,
      };
      messages.push({ body: JSON.stringify(record), receipt: ackId });
    }
    return messages;
  }

  async acknowledge(_region: ProviderRegion, receipts: readonly string[]): Promise<void> {
    if (receipts.length === 0) return;
    try {
      await this.rest.request('pubsub', 'POST', `/v1/${this.topics.failedInvocationsSubscription}:acknowledge`, { ackIds: receipts });
    } catch (error) {
      throw new CaribouError(`Could not acknowledge ${receipts.length} failed invocation(s) on ${this.topics.failedInvocationsSubscription}: ${(error as Error).message}`, { cause: error });
    }
  }
}
