import { GetItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient, type UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { CaribouError, SYNC_TABLE_TTL_SECONDS, SyncTables, type ProviderRegion } from '@caribou/domain-common';
import type { Clock, MarkResult, PredecessorMark, SyncStore, SyncStoreProvider } from '@caribou/ports';
import { systemClock } from '@caribou/sdk/runtime';
import type { AwsClients } from '../config';
import { describeError, isAwsError } from '../errors';
import { InstallNamespace } from '../install/install-namespace';
import { dropHashKeyTables, ensureHashKeyTables } from './tables';

/** Attribute names of the sync items (the reference's, plus `message_order` and `invoked_<sync>`). */
export const SyncAttributes = {
  id: 'id',
  ttl: 'cb_ttl_expiration_time',
  /** Map message id → payload (the reference used a String Set, which merged equal payloads). */
  messages: 'message',
  /** Message ids in the order DynamoDB applied the uploads. */
  messageOrder: 'message_order',
  invokedPrefix: 'invoked_',
} as const;

type Item = Record<string, AttributeValue>;

/** Each conditional write below loses at most one race per branch; more rounds mean something else is wrong. */
const MAX_ROUNDS = 6;

/**
 * Fan-in state of one region on its two sync tables. Nested map paths can only be set
 * once the map exists, so first writes race on creating the map with a condition and the
 * loser retries on the existing map; every write is one atomic UpdateItem.
 */
export class DynamoDbSyncStore implements SyncStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly region: string,
    private readonly clock: Clock = systemClock,
    private readonly names: InstallNamespace = new InstallNamespace(),
  ) {}

  private expiry(): AttributeValue {
    return { N: String(Math.floor(this.clock.now() / 1000) + SYNC_TABLE_TTL_SECONDS) };
  }

  private failure(table: string, id: string, error: unknown): CaribouError {
    if (error instanceof CaribouError) return error;
    if (isAwsError(error, 'ResourceNotFoundException')) {
      return new CaribouError(`Sync table ${table} does not exist in ${this.region}; deploy the workflow again to create it`, { cause: error });
    }
    if (isAwsError(error, 'ValidationException') && /size/i.test((error as Error).message)) {
      return new CaribouError(
        `Sync item ${table}[${id}] in ${this.region} would exceed DynamoDB's 400 KB item limit; send smaller payloads to the sync node`,
        { cause: error },
      );
    }
    return new CaribouError(`Could not update ${table}[${id}] in ${this.region}: ${describeError(error)}`, { cause: error });
  }

  /** One conditional update; a failed condition yields the item as it was (or null when absent). */
  private async conditionalUpdate(
    table: string,
    id: string,
    input: Omit<UpdateItemCommandInput, 'TableName' | 'Key'>,
  ): Promise<{ applied: true; attributes: Item; capacity: number } | { applied: false; old: Item | null }> {
    try {
      const result = await this.client.send(
        new UpdateItemCommand({
          TableName: table,
          Key: { [SyncAttributes.id]: { S: id } },
          ReturnConsumedCapacity: 'TOTAL',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          ...input,
        }),
      );
      return { applied: true, attributes: result.Attributes ?? {}, capacity: result.ConsumedCapacity?.CapacityUnits ?? 0 };
    } catch (error) {
      if (isAwsError(error, 'ConditionalCheckFailedException')) return { applied: false, old: (error as { Item?: Item }).Item ?? null };
      throw this.failure(table, id, error);
    }
  }

  async uploadPredecessorData(syncInstance: string, runId: string, messageId: string, payload: string): Promise<{ consumedWriteCapacity: number }> {
    const table = this.names.table(SyncTables.messages);
    const id = `${syncInstance}:${runId}`;
    const names = { '#messages': SyncAttributes.messages, '#order': SyncAttributes.messageOrder, '#ttl': SyncAttributes.ttl };
    const alreadyStored = (old: Item | null): boolean => old?.[SyncAttributes.messages]?.M?.[messageId] !== undefined;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const appended = await this.conditionalUpdate(table, id, {
        UpdateExpression: 'SET #messages.#mid = :payload, #order = list_append(#order, :ids), #ttl = :ttl',
        ConditionExpression: 'attribute_exists(#messages) AND attribute_not_exists(#messages.#mid)',
        ExpressionAttributeNames: { ...names, '#mid': messageId },
        ExpressionAttributeValues: { ':payload': { S: payload }, ':ids': { L: [{ S: messageId }] }, ':ttl': this.expiry() },
      });
      if (appended.applied) return { consumedWriteCapacity: appended.capacity };
      if (alreadyStored(appended.old)) return { consumedWriteCapacity: 0 };
      if (appended.old?.[SyncAttributes.messages] !== undefined) continue;
      const created = await this.conditionalUpdate(table, id, {
        UpdateExpression: 'SET #messages = :messages, #order = :ids, #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(#messages)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':messages': { M: { [messageId]: { S: payload } } }, ':ids': { L: [{ S: messageId }] }, ':ttl': this.expiry() },
      });
      if (created.applied) return { consumedWriteCapacity: created.capacity };
      if (alreadyStored(created.old)) return { consumedWriteCapacity: 0 };
    }
    throw new CaribouError(`Could not store message ${messageId} in ${table}[${id}] in ${this.region}: the item kept changing under ${MAX_ROUNDS} attempts`);
  }

  async markPredecessorReached(mark: PredecessorMark): Promise<MarkResult> {
    const table = this.names.table(SyncTables.predecessorCounter);
    const id = mark.runId;
    const names = { '#sync': mark.syncInstance, '#ttl': SyncAttributes.ttl };
    const flag: AttributeValue = { BOOL: mark.directCall };
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      // A direct call always wins; a conditional skip never overrides what is already recorded.
      const setFlag = mark.directCall ? '#sync.#pred = :flag' : '#sync.#pred = if_not_exists(#sync.#pred, :flag)';
      const updated = await this.conditionalUpdate(table, id, {
        UpdateExpression: `SET ${setFlag}, #ttl = :ttl`,
        ConditionExpression: 'attribute_exists(#sync)',
        ExpressionAttributeNames: { ...names, '#pred': mark.predecessor },
        ExpressionAttributeValues: { ':flag': flag, ':ttl': this.expiry() },
        ReturnValues: 'ALL_NEW',
      });
      const created = updated.applied
        ? updated
        : await this.conditionalUpdate(table, id, {
            UpdateExpression: 'SET #sync = :flags, #ttl = :ttl',
            ConditionExpression: 'attribute_not_exists(#sync)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ':flags': { M: { [mark.predecessor]: flag } }, ':ttl': this.expiry() },
            ReturnValues: 'ALL_NEW',
          });
      if (!created.applied) continue;
      const flags = created.attributes[mark.syncInstance]?.M ?? {};
      return {
        reached: Object.values(flags).map((value) => value.BOOL === true),
        responseSizeGb: Buffer.byteLength(JSON.stringify(created.attributes), 'utf8') / 1024 ** 3,
        consumedWriteCapacity: created.capacity,
      };
    }
    throw new CaribouError(`Could not mark ${mark.predecessor} for ${mark.syncInstance} in ${table}[${id}] in ${this.region}: the item kept changing`);
  }

  async claimInvocation(syncInstance: string, runId: string, claimant: string): Promise<boolean> {
    // The claim holds who claimed, so the claimant's own retry still gets it.
    const claimed = await this.conditionalUpdate(this.names.table(SyncTables.predecessorCounter), runId, {
      UpdateExpression: 'SET #invoked = :claimant, #ttl = :ttl',
      ConditionExpression: 'attribute_not_exists(#invoked) OR #invoked = :claimant',
      ExpressionAttributeNames: { '#invoked': `${SyncAttributes.invokedPrefix}${syncInstance}`, '#ttl': SyncAttributes.ttl },
      ExpressionAttributeValues: { ':claimant': { S: claimant }, ':ttl': this.expiry() },
      ReturnValuesOnConditionCheckFailure: 'NONE',
    });
    return claimed.applied;
  }

  async getPredecessorData(syncInstance: string, runId: string): Promise<{ payloads: string[]; consumedReadCapacity: number }> {
    const table = this.names.table(SyncTables.messages);
    const id = `${syncInstance}:${runId}`;
    try {
      const result = await this.client.send(
        new GetItemCommand({
          TableName: table,
          Key: { [SyncAttributes.id]: { S: id } },
          ConsistentRead: true,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      const messages = result.Item?.[SyncAttributes.messages]?.M ?? {};
      const order = result.Item?.[SyncAttributes.messageOrder]?.L ?? [];
      const payloads = order.map((entry) => messages[entry.S ?? '']?.S).filter((payload): payload is string => payload !== undefined);
      return { payloads, consumedReadCapacity: result.ConsumedCapacity?.CapacityUnits ?? 0 };
    } catch (error) {
      throw this.failure(table, id, error);
    }
  }
}

/** Sync stores per region, and the region's tables (the two sync tables and the execution markers; hash key `id`, TTL on `cb_ttl_expiration_time`). */
export class DynamoDbSyncStoreProvider implements SyncStoreProvider {
  private readonly stores = new Map<string, DynamoDbSyncStore>();

  constructor(
    private readonly clients: Pick<AwsClients, 'dynamodb' | 'names'>,
    private readonly clock: Clock = systemClock,
  ) {}

  forRegion(region: ProviderRegion): DynamoDbSyncStore {
    let store = this.stores.get(region.region);
    if (!store) {
      store = new DynamoDbSyncStore(this.clients.dynamodb(region.region), region.region, this.clock, this.clients.names);
      this.stores.set(region.region, store);
    }
    return store;
  }

  async ensureSyncTables(region: ProviderRegion): Promise<void> {
    const { names } = this.clients;
    await ensureHashKeyTables(
      this.clients.dynamodb(region.region),
      region.region,
      [
        { name: names.table(SyncTables.messages), keyAttribute: SyncAttributes.id, ttlAttribute: SyncAttributes.ttl },
        { name: names.table(SyncTables.predecessorCounter), keyAttribute: SyncAttributes.id, ttlAttribute: SyncAttributes.ttl },
        { name: names.table(SyncTables.executionMarkers), keyAttribute: SyncAttributes.id, ttlAttribute: SyncAttributes.ttl },
      ],
      names.tags(),
    );
  }

  async removeSyncTables(region: ProviderRegion): Promise<void> {
    await dropHashKeyTables(
      this.clients.dynamodb(region.region),
      region.region,
      [SyncTables.messages, SyncTables.predecessorCounter, SyncTables.executionMarkers].map((table) => this.clients.names.table(table)),
    );
  }
}
