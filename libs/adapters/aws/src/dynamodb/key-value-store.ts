import {
  DeleteItemCommand,
  GetItemCommand,
  UpdateItemCommand,
  paginateScan,
  type AttributeValue,
  type DynamoDBClient,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { CaribouError } from '@caribou/domain-common';
import type { KeyValueStore } from '@caribou/ports';
import type { AwsClients } from '../config';
import { describeError, isAwsError } from '../errors';
import type { InstallNamespace } from '../install/install-namespace';
import { compressValue, decompressValue } from './compression';
import { dropHashKeyTables, ensureHashKeyTables } from './tables';

export interface DynamoDbKeyValueStoreOptions {
  /** Items per Scan page (DynamoDB also stops a page at 1 MB). Unset: DynamoDB's own limit. */
  scanPageSize?: number;
}

const KEY = 'key';
const VALUE = 'value';

type Item = Record<string, AttributeValue>;

/**
 * Framework tables on DynamoDB in the system region. Items are `{key: S, value: S}`, or
 * `{key: S, value: B}` for compressed values (brotli, see compression.ts), plus numeric
 * attributes (N) next to them. Writes update only `value`, so the collectors' timestamp
 * columns survive a value rewrite; scans are paginated (the reference read one page).
 * Items that carry numeric attributes but no value are invisible to get/has/keys/entries.
 */
export class DynamoDbKeyValueStore implements KeyValueStore {
  private readonly client: DynamoDBClient;
  private readonly region: string;
  private readonly names: InstallNamespace;

  constructor(
    clients: Pick<AwsClients, 'systemRegion' | 'dynamodb' | 'names'>,
    private readonly options: DynamoDbKeyValueStoreOptions = {},
  ) {
    this.region = clients.systemRegion;
    this.names = clients.names;
    this.client = clients.dynamodb(this.region);
  }

  private decode(table: string, key: string, attribute: AttributeValue | undefined): string | undefined {
    if (!attribute) return undefined;
    if (attribute.S !== undefined) return attribute.S;
    if (attribute.B !== undefined) return decompressValue(attribute.B, table, key);
    throw new CaribouError(`${table}[${key}] has a value that is neither a string nor compressed bytes; delete the item and write it again`);
  }

  private missingTable(table: string, error: unknown): CaribouError {
    return new CaribouError(`DynamoDB table ${table} does not exist in ${this.region}; run \`caribou setup_tables\` first`, { cause: error });
  }

  private failed(action: string, table: string, key: string, error: unknown): CaribouError {
    if (isAwsError(error, 'ResourceNotFoundException')) return this.missingTable(table, error);
    if (error instanceof CaribouError) return error;
    return new CaribouError(`Could not ${action} ${table}[${key}] in ${this.region}: ${describeError(error)}`, { cause: error });
  }

  private async getItem(table: string, key: string): Promise<{ item: Item | undefined; capacity: number }> {
    try {
      const result = await this.client.send(
        new GetItemCommand({ TableName: this.names.table(table), Key: { [KEY]: { S: key } }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }),
      );
      return { item: result.Item, capacity: result.ConsumedCapacity?.CapacityUnits ?? 0 };
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) return { item: undefined, capacity: 0 };
      throw this.failed('read', table, key, error);
    }
  }

  async get(table: string, key: string): Promise<string | undefined> {
    return (await this.getWithCapacity(table, key)).value;
  }

  async getWithCapacity(table: string, key: string): Promise<{ value: string | undefined; consumedReadCapacity: number }> {
    const { item, capacity } = await this.getItem(table, key);
    return { value: this.decode(table, key, item?.[VALUE]), consumedReadCapacity: capacity };
  }

  private async update(input: Omit<UpdateItemCommandInput, 'Key' | 'TableName'>, table: string, key: string): Promise<boolean> {
    try {
      await this.client.send(new UpdateItemCommand({ TableName: this.names.table(table), Key: { [KEY]: { S: key } }, ...input }));
      return true;
    } catch (error) {
      if (isAwsError(error, 'ConditionalCheckFailedException')) return false;
      throw this.failed('write', table, key, error);
    }
  }

  private static valueAttribute(value: string, compress: boolean): AttributeValue {
    return compress ? { B: compressValue(value) } : { S: value };
  }

  async put(table: string, key: string, value: string, options?: { compress?: boolean }): Promise<void> {
    await this.update(
      {
        UpdateExpression: 'SET #value = :value',
        ExpressionAttributeNames: { '#value': VALUE },
        ExpressionAttributeValues: { ':value': DynamoDbKeyValueStore.valueAttribute(value, options?.compress === true) },
      },
      table,
      key,
    );
  }

  async putIfAbsent(table: string, key: string, value: string): Promise<boolean> {
    return this.update(
      {
        UpdateExpression: 'SET #value = :value',
        ConditionExpression: 'attribute_not_exists(#value)',
        ExpressionAttributeNames: { '#value': VALUE },
        ExpressionAttributeValues: { ':value': { S: value } },
      },
      table,
      key,
    );
  }

  async compareAndSet(table: string, key: string, expected: string | undefined, value: string): Promise<boolean> {
    const names = { '#value': VALUE };
    if (expected === undefined) {
      return this.update(
        {
          UpdateExpression: 'SET #value = :value',
          ConditionExpression: 'attribute_not_exists(#value)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':value': { S: value } },
        },
        table,
        key,
      );
    }
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.names.table(table),
          Key: { [KEY]: { S: key } },
          UpdateExpression: 'SET #value = :value',
          ConditionExpression: '#value = :expected',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':value': { S: value }, ':expected': { S: expected } },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return true;
    } catch (error) {
      if (!isAwsError(error, 'ConditionalCheckFailedException')) throw this.failed('write', table, key, error);
      // A compressed current value never equals a string: compare the text, then swap on the exact stored bytes.
      const current = (error as { Item?: Item }).Item?.[VALUE];
      if (current?.B === undefined || this.decode(table, key, current) !== expected) return false;
      return this.update(
        {
          UpdateExpression: 'SET #value = :value',
          ConditionExpression: '#value = :expected',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':value': { S: value }, ':expected': current },
        },
        table,
        key,
      );
    }
  }

  async delete(table: string, key: string): Promise<void> {
    try {
      await this.client.send(new DeleteItemCommand({ TableName: this.names.table(table), Key: { [KEY]: { S: key } } }));
    } catch (error) {
      // A missing table holds no key either.
      if (isAwsError(error, 'ResourceNotFoundException')) return;
      throw this.failed('delete', table, key, error);
    }
  }

  async has(table: string, key: string): Promise<boolean> {
    const { item } = await this.getItem(table, key);
    return item?.[VALUE] !== undefined;
  }

  private async *scan(table: string, withValues: boolean): AsyncGenerator<Item> {
    const pages = paginateScan(
      { client: this.client, pageSize: this.options.scanPageSize },
      {
        TableName: this.names.table(table),
        ConsistentRead: true,
        FilterExpression: 'attribute_exists(#value)',
        ProjectionExpression: withValues ? '#key, #value' : '#key',
        ExpressionAttributeNames: { '#key': KEY, '#value': VALUE },
      },
    );
    try {
      for await (const page of pages) yield* page.Items ?? [];
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) return;
      throw this.failed('scan', table, '*', error);
    }
  }

  async keys(table: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const item of this.scan(table, false)) keys.push(item[KEY]!.S!);
    return keys;
  }

  async entries(table: string): Promise<Array<[string, string]>> {
    const entries: Array<[string, string]> = [];
    for await (const item of this.scan(table, true)) {
      const key = item[KEY]!.S!;
      entries.push([key, this.decode(table, key, item[VALUE])!]);
    }
    return entries;
  }

  async setNumericAttributes(table: string, key: string, attributes: Record<string, number>): Promise<void> {
    const entries = Object.entries(attributes);
    if (entries.length === 0) return;
    const names: Record<string, string> = {};
    const values: Record<string, AttributeValue> = {};
    const assignments = entries.map(([name, number], index) => {
      if (name === KEY || name === VALUE) throw new CaribouError(`Numeric attribute name '${name}' is reserved in ${table}; choose another name`);
      if (!Number.isFinite(number)) throw new CaribouError(`Numeric attribute ${name} of ${table}[${key}] must be a finite number, got ${number}`);
      names[`#a${index}`] = name;
      values[`:a${index}`] = { N: String(number) };
      return `#a${index} = :a${index}`;
    });
    await this.update({ UpdateExpression: `SET ${assignments.join(', ')}`, ExpressionAttributeNames: names, ExpressionAttributeValues: values }, table, key);
  }

  async getNumericAttributes(table: string, key: string): Promise<Record<string, number>> {
    const { item } = await this.getItem(table, key);
    const numbers: Record<string, number> = {};
    for (const [name, attribute] of Object.entries(item ?? {})) {
      if (name !== KEY && attribute.N !== undefined) numbers[name] = Number(attribute.N);
    }
    return numbers;
  }

  async ensureTables(tables: readonly string[]): Promise<void> {
    await ensureHashKeyTables(
      this.client,
      this.region,
      tables.map((name) => ({ name: this.names.table(name), keyAttribute: KEY })),
      this.names.tags(),
    );
  }

  async dropTables(tables: readonly string[]): Promise<void> {
    await dropHashKeyTables(this.client, this.region, tables.map((name) => this.names.table(name)));
  }
}
