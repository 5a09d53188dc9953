import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CaribouError } from '@caribou/domain-common';
import { describeError, isAwsError } from '../errors';
import { tagList } from '../install/install-namespace';

/**
 * Waiter settings. The DynamoDB waiters default to a 20 s minimum delay and reject a
 * maxWaitTime below it before making any call; a fresh PAY_PER_REQUEST table is usually
 * ACTIVE within seconds, so poll every 1–5 s for up to 5 minutes.
 */
export const TABLE_WAITER = { minDelay: 1, maxDelay: 5, maxWaitTime: 300 } as const;

/** At most this many CreateTable/DeleteTable calls in flight (DynamoDB limits concurrent control-plane calls). */
const CONTROL_PLANE_CONCURRENCY = 8;

export interface HashKeyTable {
  name: string;
  /** Hash key attribute (S). */
  keyAttribute: string;
  /** Attribute holding an epoch-seconds expiry, enabled as the table's TTL. */
  ttlAttribute?: string;
}

async function tableStatus(client: DynamoDBClient, name: string): Promise<string | undefined> {
  try {
    const described = await client.send(new DescribeTableCommand({ TableName: name }));
    return described.Table?.TableStatus ?? 'ACTIVE';
  } catch (error) {
    if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
    throw error;
  }
}

async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += CONTROL_PLANE_CONCURRENCY) {
    await Promise.all(items.slice(start, start + CONTROL_PLANE_CONCURRENCY).map(work));
  }
}

/** Creates the missing tables (PAY_PER_REQUEST, one string hash key), waits until they are ACTIVE, enables TTL. */
export async function ensureHashKeyTables(
  client: DynamoDBClient,
  region: string,
  tables: readonly HashKeyTable[],
  tags: Record<string, string> = {},
): Promise<void> {
  await inBatches(tables, async (table) => {
    try {
      const status = await tableStatus(client, table.name);
      if (status === undefined) {
        try {
          await client.send(
            new CreateTableCommand({
              TableName: table.name,
              AttributeDefinitions: [{ AttributeName: table.keyAttribute, AttributeType: 'S' }],
              KeySchema: [{ AttributeName: table.keyAttribute, KeyType: 'HASH' }],
              BillingMode: 'PAY_PER_REQUEST',
              ...(Object.keys(tags).length > 0 ? { Tags: tagList(tags) } : {}),
            }),
          );
        } catch (error) {
          // Another process created it between DescribeTable and CreateTable: that is what we wanted.
          if (!isAwsError(error, 'ResourceInUseException')) throw error;
        }
      } else if (status === 'DELETING') {
        await waitUntilTableNotExists({ client, ...TABLE_WAITER }, { TableName: table.name });
        return ensureHashKeyTables(client, region, [table], tags);
      }
      await waitUntilTableExists({ client, ...TABLE_WAITER }, { TableName: table.name });
      if (table.ttlAttribute) await enableTimeToLive(client, table.name, table.ttlAttribute);
    } catch (error) {
      if (error instanceof CaribouError) throw error;
      throw new CaribouError(`Could not create DynamoDB table ${table.name} in ${region}: ${describeError(error)}; check the credentials' dynamodb:CreateTable permission`, {
        cause: error,
      });
    }
  });
}

async function enableTimeToLive(client: DynamoDBClient, tableName: string, attribute: string): Promise<void> {
  const current = (await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }))).TimeToLiveDescription;
  if (current?.AttributeName === attribute && (current.TimeToLiveStatus === 'ENABLED' || current.TimeToLiveStatus === 'ENABLING')) return;
  try {
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: attribute } }),
    );
  } catch (error) {
    // Already enabled (re-running setup): DynamoDB answers ValidationException "TimeToLive is already enabled".
    if (isAwsError(error, 'ValidationException') && /already enabled/i.test((error as Error).message)) return;
    throw error;
  }
}

/** Deletes the tables that exist and waits until they are gone; missing tables are fine. */
export async function dropHashKeyTables(client: DynamoDBClient, region: string, names: readonly string[]): Promise<void> {
  await inBatches(names, async (name) => {
    try {
      const status = await tableStatus(client, name);
      if (status === undefined) return;
      if (status === 'CREATING' || status === 'UPDATING') await waitUntilTableExists({ client, ...TABLE_WAITER }, { TableName: name });
      if (status !== 'DELETING') {
        try {
          await client.send(new DeleteTableCommand({ TableName: name }));
        } catch (error) {
          if (!isAwsError(error, 'ResourceNotFoundException')) throw error;
        }
      }
      await waitUntilTableNotExists({ client, ...TABLE_WAITER }, { TableName: name });
    } catch (error) {
      throw new CaribouError(`Could not delete DynamoDB table ${name} in ${region}: ${describeError(error)}`, { cause: error });
    }
  });
}
