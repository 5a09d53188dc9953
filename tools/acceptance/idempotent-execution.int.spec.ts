import { DynamoDbExecutionMarkerProvider, DynamoDbKeyValueStore, DynamoDbSyncStoreProvider } from '@caribou/adapter-aws';
import { emulatorClients } from '@caribou/adapter-aws/testing';
import { describeIdempotentExecution } from './idempotent-execution.scenarios';

// Deliveries, duplicates and retries are handler calls in-process (moto neither runs Lambda code
// nor retries or duplicates asynchronous events); the markers and fan-in state are DynamoDB on moto.
describeIdempotentExecution('DynamoDB on moto (deliveries in-process: moto runs no Lambda code)', async () => {
  const clients = emulatorClients();
  const region = { provider: 'aws', region: 'eu-west-3' };
  const clock = { now: () => Date.now() };
  const syncStores = new DynamoDbSyncStoreProvider(clients, clock);
  await syncStores.ensureSyncTables(region);
  return {
    region,
    store: new DynamoDbKeyValueStore(clients),
    syncStores,
    markers: new DynamoDbExecutionMarkerProvider(clients, clock),
    clock,
    async cleanup() {
      clients.destroy();
    },
  };
});
