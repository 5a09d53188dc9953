import type { Topic } from '@google-cloud/pubsub';
import { CaribouError, type ProviderRegion } from '@caribou/domain-common';
import type { FunctionInvoker } from '@caribou/ports';
import type { GcpClients } from '../config';
import { describeGcpError, GrpcStatus, hasGrpcCode } from '../errors';
import { topicOfFunction } from '../names';

/**
 * Function-to-function transport on Google Cloud: a message published to the target
 * copy's own topic, whose push subscription delivers it to the function's URL. Like
 * Lambda's asynchronous invoke, the call returns once Pub/Sub has stored the message.
 */
export class PubSubFunctionInvoker implements FunctionInvoker {
  private readonly topics = new Map<string, Topic>();

  constructor(private readonly clients: Pick<GcpClients, 'pubsub'>) {}

  private topic(name: string): Topic {
    let topic = this.topics.get(name);
    if (!topic) {
      // One message per request: the runtime sends successors one by one and waits for each.
      topic = this.clients.pubsub().topic(name, { batching: { maxMessages: 1, maxMilliseconds: 0 } });
      this.topics.set(name, topic);
    }
    return topic;
  }

  async invokeAsync(region: ProviderRegion, identifier: string, message: string): Promise<void> {
    const topic = topicOfFunction(identifier);
    try {
      await this.topic(topic).publishMessage({ data: Buffer.from(message, 'utf8') });
    } catch (error) {
      if (hasGrpcCode(error, GrpcStatus.NOT_FOUND)) {
        throw new CaribouError(`Could not invoke ${identifier} in ${region.region}: its topic ${topic} does not exist; deploy the workflow again`, { cause: error });
      }
      throw new CaribouError(`Could not invoke ${identifier} in ${region.region} through ${topic}: ${describeGcpError(error)}`, { cause: error });
    }
  }
}
