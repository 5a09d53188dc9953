import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { CaribouError, type ProviderRegion } from '@caribou/domain-common';
import type { DestinationMessage, FailureDestinations } from '@caribou/ports';
import type { AwsClients } from '../config';
import { describeError, isAwsError } from '../errors';

/** SQS keeps a message at most 14 days: the longest a failure waits to be drained. */
const RETENTION_SECONDS = 14 * 86_400;
/** ReceiveMessage returns at most 10 messages, DeleteMessageBatch takes at most 10 entries. */
const SQS_BATCH = 10;
/** A received record stays invisible to other readers while this drain stores it. */
const VISIBILITY_SECONDS = 60;

const notFound = (error: unknown): boolean =>
  isAwsError(error, 'QueueDoesNotExist') || isAwsError(error, 'AWS.SimpleQueueService.NonExistentQueue') || isAwsError(error, 'NonExistentQueue');

/**
 * The on-failure destination of a region: one standard SQS queue per region per install
 * (`<install>_failed_invocations`), which every function copy's event-invoke config names.
 * Lambda writes an invocation record to it when it gives an event up.
 */
export class SqsFailureDestinations implements FailureDestinations {
  constructor(
    private readonly clients: Pick<AwsClients, 'sqs' | 'names'>,
    // The install's queue (`<install>_failed_invocations`), which function roles may send to.
    private readonly queueName: string = clients.names.failureQueue,
  ) {}

  get name(): string {
    return this.queueName;
  }

  private sqs(region: ProviderRegion): SQSClient {
    return this.clients.sqs(region.region);
  }

  private async queueUrl(region: ProviderRegion): Promise<string | undefined> {
    try {
      return (await this.sqs(region).send(new GetQueueUrlCommand({ QueueName: this.queueName }))).QueueUrl;
    } catch (error) {
      if (notFound(error)) return undefined;
      throw new CaribouError(`Could not look up SQS queue ${this.queueName} in ${region.region}: ${describeError(error)}`, { cause: error });
    }
  }

  async ensure(region: ProviderRegion): Promise<string> {
    try {
      // CreateQueue with the same attributes is idempotent: it answers the existing queue's URL.
      const { QueueUrl } = await this.sqs(region).send(
        new CreateQueueCommand({ QueueName: this.queueName, Attributes: { MessageRetentionPeriod: String(RETENTION_SECONDS) }, tags: this.clients.names.tags() }),
      );
      const attributes = await this.sqs(region).send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      const arn = attributes.Attributes?.QueueArn;
      if (!arn) throw new CaribouError(`SQS answered no ARN for queue ${this.queueName} in ${region.region}`);
      return arn;
    } catch (error) {
      if (error instanceof CaribouError) throw error;
      throw new CaribouError(
        `Could not create the on-failure queue ${this.queueName} in ${region.region}: ${describeError(error)}; check the credentials' sqs:CreateQueue permission`,
        { cause: error },
      );
    }
  }

  async remove(region: ProviderRegion): Promise<void> {
    const url = await this.queueUrl(region);
    if (!url) return;
    try {
      await this.sqs(region).send(new DeleteQueueCommand({ QueueUrl: url }));
    } catch (error) {
      if (notFound(error)) return;
      throw new CaribouError(`Could not delete SQS queue ${this.queueName} in ${region.region}: ${describeError(error)}`, { cause: error });
    }
  }

  async receive(region: ProviderRegion, max: number): Promise<DestinationMessage[]> {
    const url = await this.queueUrl(region);
    if (!url) return [];
    const messages: DestinationMessage[] = [];
    try {
      while (messages.length < max) {
        const { Messages = [] } = await this.sqs(region).send(
          new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: Math.min(SQS_BATCH, max - messages.length), VisibilityTimeout: VISIBILITY_SECONDS, WaitTimeSeconds: 0 }),
        );
        for (const message of Messages) if (message.Body !== undefined && message.ReceiptHandle) messages.push({ body: message.Body, receipt: message.ReceiptHandle });
        if (Messages.length === 0) break;
      }
    } catch (error) {
      throw new CaribouError(`Could not read SQS queue ${this.queueName} in ${region.region}: ${describeError(error)}`, { cause: error });
    }
    return messages;
  }

  async acknowledge(region: ProviderRegion, receipts: readonly string[]): Promise<void> {
    if (receipts.length === 0) return;
    const url = await this.queueUrl(region);
    if (!url) return;
    for (let start = 0; start < receipts.length; start += SQS_BATCH) {
      const batch = receipts.slice(start, start + SQS_BATCH);
      try {
        const result = await this.sqs(region).send(
          new DeleteMessageBatchCommand({ QueueUrl: url, Entries: batch.map((ReceiptHandle, index) => ({ Id: String(index), ReceiptHandle })) }),
        );
        if (result.Failed?.length) throw new Error(result.Failed.map((f) => f.Message ?? f.Code).join('; '));
      } catch (error) {
        throw new CaribouError(`Could not delete drained records from SQS queue ${this.queueName} in ${region.region}: ${describeError(error)}`, { cause: error });
      }
    }
  }
}
