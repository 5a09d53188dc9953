import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDatabase, LocalExecutionMarkerProvider, LocalKeyValueStore, LocalSyncStoreProvider, SimulationClock } from '@caribou/adapter-local';
import { describeIdempotentExecution } from './idempotent-execution.scenarios';

describeIdempotentExecution('local provider stores (libsql file)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'caribou-idempotent-'));
  const db = new LocalDatabase(join(dir, 'local.db'));
  const clock = new SimulationClock(db);
  const region = { provider: 'local', region: 'us-east-1' };
  const syncStores = new LocalSyncStoreProvider(db, clock);
  await syncStores.ensureSyncTables(region);
  return {
    region,
    store: new LocalKeyValueStore(db),
    syncStores,
    markers: new LocalExecutionMarkerProvider(db, clock),
    clock,
    async cleanup() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
