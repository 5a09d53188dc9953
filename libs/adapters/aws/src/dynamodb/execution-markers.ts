import { UpdateItemCommand, type AttributeValue, type DynamoDBClient, type UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { CaribouError, SYNC_TABLE_TTL_SECONDS, SyncTables, type ProviderRegion } from '@caribou/domain-common';
import type { Clock, ExecutionClaim, ExecutionKey, ExecutionMarkerProvider, ExecutionMarkerStore } from '@caribou/ports';
import { systemClock } from '@caribou/sdk/runtime';
import type { AwsClients } from '../config';
import { describeError, isAwsError } from '../errors';
import { InstallNamespace } from '../install/install-namespace';

/** Attributes of an `execution_marker_table` item (hash key `id` = `<instance>:<run id>`). */
export const MarkerAttributes = {
  id: 'id',
  state: 'state',
  holder: 'holder',
  /** Epoch milliseconds the holder's lease ends. */
  lease: 'lease_expires_at',
  /** String set of the successor sends made (absent while empty: DynamoDB has no empty sets). */
  sends: 'sends',
  ttl: 'cb_ttl_expiration_time',
} as const;

type Item = Record<string, AttributeValue>;

/**
 * Execution markers of one region on its `execution_marker_table`: each operation is one
 * conditional UpdateItem, so of two deliveries asking at once exactly one gets the marker.
 */
export class DynamoDbExecutionMarkerStore implements ExecutionMarkerStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly region: string,
    private readonly clock: Clock = systemClock,
    private readonly names: InstallNamespace = new InstallNamespace(),
  ) {}

  private id(key: ExecutionKey): string {
    return `${key.instance}:${key.runId}`;
  }

  private expiry(): AttributeValue {
    return { N: String(Math.floor(this.clock.now() / 1000) + SYNC_TABLE_TTL_SECONDS) };
  }

  private async update(key: ExecutionKey, input: Omit<UpdateItemCommandInput, 'TableName' | 'Key'>): Promise<{ applied: true; item: Item } | { applied: false; old: Item }> {
    const table = this.names.table(SyncTables.executionMarkers);
    try {
      const result = await this.client.send(
        new UpdateItemCommand({ TableName: table, Key: { [MarkerAttributes.id]: { S: this.id(key) } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD', ...input }),
      );
      return { applied: true, item: result.Attributes ?? {} };
    } catch (error) {
      if (isAwsError(error, 'ConditionalCheckFailedException')) return { applied: false, old: (error as { Item?: Item }).Item ?? {} };
      if (isAwsError(error, 'ResourceNotFoundException')) {
        throw new CaribouError(`Table ${table} does not exist in ${this.region}; deploy the workflow again to create it`, { cause: error });
      }
      throw new CaribouError(`Could not update ${table}[${this.id(key)}] in ${this.region}: ${describeError(error)}`, { cause: error });
    }
  }

  async acquire(key: ExecutionKey, holder: string, leaseMs: number): Promise<ExecutionClaim> {
    const now = this.clock.now();
    const result = await this.update(key, {
      UpdateExpression: 'SET #state = :running, #holder = :holder, #lease = :lease, #ttl = :ttl',
      ConditionExpression: 'attribute_not_exists(#state) OR #state = :released OR (#state = :running AND #lease < :now)',
      ExpressionAttributeNames: { '#state': MarkerAttributes.state, '#holder': MarkerAttributes.holder, '#lease': MarkerAttributes.lease, '#ttl': MarkerAttributes.ttl },
      ExpressionAttributeValues: {
        ':running': { S: 'running' },
        ':released': { S: 'released' },
        ':holder': { S: holder },
        ':lease': { N: String(now + leaseMs) },
        ':now': { N: String(now) },
        ':ttl': this.expiry(),
      },
      ReturnValues: 'ALL_NEW',
    });
    if (result.applied) return { status: 'acquired', completedSends: result.item[MarkerAttributes.sends]?.SS ?? [] };
    if (result.old[MarkerAttributes.state]?.S === 'finished') return { status: 'finished' };
    return { status: 'held', holder: result.old[MarkerAttributes.holder]?.S ?? '', leaseExpiresAtMs: Number(result.old[MarkerAttributes.lease]?.N ?? 0) };
  }

  async recordSend(key: ExecutionKey, sendKey: string): Promise<void> {
    await this.update(key, {
      UpdateExpression: 'ADD #sends :send SET #ttl = if_not_exists(#ttl, :ttl)',
      ExpressionAttributeNames: { '#sends': MarkerAttributes.sends, '#ttl': MarkerAttributes.ttl },
      ExpressionAttributeValues: { ':send': { SS: [sendKey] }, ':ttl': this.expiry() },
    });
  }

  async finish(key: ExecutionKey, _holder: string): Promise<void> {
    await this.update(key, {
      UpdateExpression: 'SET #state = :finished, #ttl = :ttl',
      ExpressionAttributeNames: { '#state': MarkerAttributes.state, '#ttl': MarkerAttributes.ttl },
      ExpressionAttributeValues: { ':finished': { S: 'finished' }, ':ttl': this.expiry() },
    });
  }

  async release(key: ExecutionKey, holder: string): Promise<void> {
    // Not applied when another delivery holds it or it finished: nothing to release then.
    await this.update(key, {
      UpdateExpression: 'SET #state = :released',
      ConditionExpression: '#state = :running AND #holder = :holder',
      ExpressionAttributeNames: { '#state': MarkerAttributes.state, '#holder': MarkerAttributes.holder },
      ExpressionAttributeValues: { ':released': { S: 'released' }, ':running': { S: 'running' }, ':holder': { S: holder } },
      ReturnValuesOnConditionCheckFailure: 'NONE',
    });
  }
}

export class DynamoDbExecutionMarkerProvider implements ExecutionMarkerProvider {
  private readonly stores = new Map<string, DynamoDbExecutionMarkerStore>();

  constructor(
    private readonly clients: Pick<AwsClients, 'dynamodb' | 'names'>,
    private readonly clock: Clock = systemClock,
  ) {}

  forRegion(region: ProviderRegion): DynamoDbExecutionMarkerStore {
    let store = this.stores.get(region.region);
    if (!store) {
      store = new DynamoDbExecutionMarkerStore(this.clients.dynamodb(region.region), region.region, this.clock, this.clients.names);
      this.stores.set(region.region, store);
    }
    return store;
  }
}
