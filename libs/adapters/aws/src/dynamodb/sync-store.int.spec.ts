import { DescribeTableCommand, DescribeTimeToLiveCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { SyncTables } from '@caribou/domain-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeSyncStoreContract } from '../testing/contracts';
import { emulatorClients } from '../testing/emulator';
import { DynamoDbSyncStoreProvider } from './sync-store';

describeSyncStoreContract('DynamoDB (sync node region)', async () => {
  const clients = emulatorClients();
  return { provider: new DynamoDbSyncStoreProvider(clients), region: { provider: 'aws', region: 'eu-central-1' }, cleanup: async () => clients.destroy() };
});

describe('DynamoDbSyncStoreProvider tables and items', () => {
  const region = { provider: 'aws', region: 'ca-central-1' };
  const clients = emulatorClients();
  const nowMs = 1_760_000_000_000;
  const provider = new DynamoDbSyncStoreProvider(clients, { now: () => nowMs });
  const dynamodb = clients.dynamodb(region.region);

  beforeAll(async () => {
    await provider.ensureSyncTables(region);
  });

  afterAll(async () => {
    await provider.removeSyncTables(region);
    clients.destroy();
  });

  it('creates the three tables of the region (sync messages, counters, execution markers) with hash key id and TTL on cb_ttl_expiration_time', async () => {
    for (const table of [SyncTables.messages, SyncTables.predecessorCounter, SyncTables.executionMarkers].map((logical) => clients.names.table(logical))) {
      const described = await dynamodb.send(new DescribeTableCommand({ TableName: table }));
      expect(described.Table?.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
      expect(described.Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
      const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: table }));
      expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'cb_ttl_expiration_time' });
    }
  });

  it('writes payloads per message id with a 24 h expiry, flags per predecessor and the claim next to them', async () => {
    const store = provider.forRegion(region);
    await store.uploadPredecessorData('wf-0_0_1-join:sync:', 'run1', 'msg-a', '{"same":1}');
    await store.uploadPredecessorData('wf-0_0_1-join:sync:', 'run1', 'msg-b', '{"same":1}');
    await store.markPredecessorReached({ predecessor: 'wf-0_0_1-a:entry_point:0', syncInstance: 'wf-0_0_1-join:sync:', runId: 'run1', directCall: true });
    await store.claimInvocation('wf-0_0_1-join:sync:', 'run1', 'p1#0');
    const expiry = { N: String(nowMs / 1000 + 86_400) };
    const messages = await dynamodb.send(new GetItemCommand({ TableName: clients.names.table(SyncTables.messages), Key: { id: { S: 'wf-0_0_1-join:sync::run1' } } }));
    expect(messages.Item).toEqual({
      id: { S: 'wf-0_0_1-join:sync::run1' },
      message: { M: { 'msg-a': { S: '{"same":1}' }, 'msg-b': { S: '{"same":1}' } } },
      message_order: { L: [{ S: 'msg-a' }, { S: 'msg-b' }] },
      cb_ttl_expiration_time: expiry,
    });
    const counter = await dynamodb.send(new GetItemCommand({ TableName: clients.names.table(SyncTables.predecessorCounter), Key: { id: { S: 'run1' } } }));
    expect(counter.Item).toEqual({
      id: { S: 'run1' },
      'wf-0_0_1-join:sync:': { M: { 'wf-0_0_1-a:entry_point:0': { BOOL: true } } },
      'invoked_wf-0_0_1-join:sync:': { S: 'p1#0' },
      cb_ttl_expiration_time: expiry,
    });
  });

  it('reports the size of the returned item in GB and the consumed write capacity', async () => {
    const result = await provider
      .forRegion(region)
      .markPredecessorReached({ predecessor: 'p', syncInstance: 's:sync:', runId: 'run-size', directCall: false });
    const returned = { id: { S: 'run-size' }, 's:sync:': { M: { p: { BOOL: false } } }, cb_ttl_expiration_time: { N: String(nowMs / 1000 + 86_400) } };
    expect(result.responseSizeGb * 1024 ** 3).toBeCloseTo(Buffer.byteLength(JSON.stringify(returned)), 6);
    expect(result.consumedWriteCapacity).toBeGreaterThan(0);
  });

  it('names the region and the fix when the sync tables are missing', async () => {
    const store = provider.forRegion({ provider: 'aws', region: 'sa-east-1' });
    await expect(store.uploadPredecessorData('s:sync:', 'r', 'm', '{}')).rejects.toThrow(
      'Sync table caribou_sync_messages_table does not exist in sa-east-1; deploy the workflow again to create it',
    );
  });
});
