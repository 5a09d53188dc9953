import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { SyncTables } from '@caribou/domain-common';
import { describe, expect, it } from 'vitest';
import { describeExecutionMarkerContract } from '../testing/contracts';
import { emulatorClients } from '../testing/emulator';
import { DynamoDbExecutionMarkerProvider } from './execution-markers';
import { DynamoDbSyncStoreProvider } from './sync-store';

const region = { provider: 'aws', region: 'ap-south-1' };

describeExecutionMarkerContract('DynamoDB (the instance region)', async () => {
  const clients = emulatorClients();
  const tables = new DynamoDbSyncStoreProvider(clients);
  await tables.ensureSyncTables(region);
  return {
    markers: (clock) => new DynamoDbExecutionMarkerProvider(clients, clock),
    region,
    async cleanup() {
      await tables.removeSyncTables(region);
      clients.destroy();
    },
  };
});

describe('DynamoDbExecutionMarkerStore items', () => {
  it('keeps one item per (instance, run) with state, holder, lease, the sends as a string set and the 24 h expiry', async () => {
    const clients = emulatorClients();
    const tables = new DynamoDbSyncStoreProvider(clients);
    const here = { provider: 'aws', region: 'ap-southeast-2' };
    await tables.ensureSyncTables(here);
    try {
      const nowMs = 1_760_000_000_000;
      const markers = new DynamoDbExecutionMarkerProvider(clients, { now: () => nowMs }).forRegion(here);
      const key = { runId: 'run1', instance: 'wf-0_0_1-a:entry_point:0' };
      await markers.acquire(key, 'delivery-1', 90_000);
      await markers.recordSend(key, '0:wf-0_0_1-b:x:1');
      const item = await clients.dynamodb(here.region).send(new GetItemCommand({ TableName: clients.names.table(SyncTables.executionMarkers), Key: { id: { S: 'wf-0_0_1-a:entry_point:0:run1' } } }));
      expect(item.Item).toEqual({
        id: { S: 'wf-0_0_1-a:entry_point:0:run1' },
        state: { S: 'running' },
        holder: { S: 'delivery-1' },
        lease_expires_at: { N: String(nowMs + 90_000) },
        sends: { SS: ['0:wf-0_0_1-b:x:1'] },
        cb_ttl_expiration_time: { N: String(nowMs / 1000 + 86_400) },
      });
    } finally {
      await tables.removeSyncTables(here);
      clients.destroy();
    }
  });
});
