import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describeKeyValueStoreContract } from '../testing/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { emulatorClients, uniqueSuffix } from '../testing/emulator';
import { DynamoDbKeyValueStore } from './key-value-store';

describeKeyValueStoreContract('DynamoDB (system region)', async () => {
  const clients = emulatorClients();
  // Small pages make the pagination path run even where the emulator ignores the 1 MB page limit.
  return { store: new DynamoDbKeyValueStore(clients, { scanPageSize: 25 }), cleanup: async () => clients.destroy() };
});

describe('DynamoDbKeyValueStore item layout', () => {
  const clients = emulatorClients({ systemRegion: 'us-west-2' });
  const store = new DynamoDbKeyValueStore(clients);
  const table = `kv_layout_${uniqueSuffix()}`;

  afterAll(async () => {
    await store.dropTables([table]);
    clients.destroy();
  });

  it('stores plain values as S, compressed ones as B and timestamps as N in the system region', async () => {
    await store.ensureTables([table]);
    await store.put(table, 'plain', '{"a":1}');
    await store.put(table, 'packed', 'x'.repeat(10_000), { compress: true });
    await store.setNumericAttributes(table, 'plain', { provider_collector: 1706909825.0010574 });
    const raw = async (key: string) =>
      (await clients.dynamodb('us-west-2').send(new GetItemCommand({ TableName: clients.names.table(table), Key: { key: { S: key } } }))).Item;
    expect(await raw('plain')).toEqual({ key: { S: 'plain' }, value: { S: '{"a":1}' }, provider_collector: { N: '1706909825.0010574' } });
    const packed = await raw('packed');
    expect(packed?.value?.B).toBeInstanceOf(Uint8Array);
    expect(packed!.value!.B!.byteLength).toBeLessThan(100);
  });

  it('reports a zstd value written by the Python reference with a clear error', async () => {
    const { PutItemCommand } = await import('@aws-sdk/client-dynamodb');
    await clients.dynamodb('us-west-2').send(
      new PutItemCommand({ TableName: clients.names.table(table), Item: { key: { S: 'legacy' }, value: { B: Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0]) } } }),
    );
    await expect(store.get(table, 'legacy')).rejects.toThrow(/zstd-compressed value written by the Python Caribou/);
  });

  it('names the table and the fix when writing to a table that does not exist', async () => {
    await expect(store.put(`absent_${table}`, 'k', 'v')).rejects.toThrow(`DynamoDB table absent_${table} does not exist in us-west-2; run \`caribou setup_tables\` first`);
  });
});
