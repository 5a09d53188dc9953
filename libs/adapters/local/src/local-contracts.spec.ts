import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  describeFunctionPlatformContract,
  describeKeyValueStoreContract,
  describeLogSourceContract,
  describeExecutionMarkerContract,
  describeSyncStoreContract,
} from '@caribou/ports/contracts';
import { LocalDatabase } from './database';
import { LocalExecutionMarkerProvider } from './execution-markers';
import { SimulationClock } from './engine/simulation-clock';
import { LocalFunctionPlatform } from './function-platform';
import { LocalKeyValueStore } from './key-value-store';
import { LocalLogStore } from './log-store';
import { LocalSyncStoreProvider } from './sync-store';

/** A fresh libsql file in a temporary directory per suite: the real store, no test double. */
function openTemporaryDatabase(): { dir: string; db: LocalDatabase; cleanup(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'caribou-contract-'));
  const db = new LocalDatabase(join(dir, 'local.db'));
  return {
    dir,
    db,
    async cleanup() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeKeyValueStoreContract('local libsql', async () => {
  const { db, cleanup } = openTemporaryDatabase();
  return { store: new LocalKeyValueStore(db), cleanup };
});

describeSyncStoreContract('local libsql', async () => {
  const { db, cleanup } = openTemporaryDatabase();
  return { provider: new LocalSyncStoreProvider(db, new SimulationClock(db)), region: { provider: 'local', region: 'us-east-1' }, cleanup };
});

describeExecutionMarkerContract('local libsql', async () => {
  const { db, cleanup } = openTemporaryDatabase();
  return { markers: (clock) => new LocalExecutionMarkerProvider(db, clock), region: { provider: 'local', region: 'us-east-1' }, cleanup };
});

describeLogSourceContract('local libsql', async () => {
  const { db, cleanup } = openTemporaryDatabase();
  const logs = new LocalLogStore(db);
  const region = { provider: 'local', region: 'ca-central-1' };
  return {
    source: logs,
    region,
    async writeLines(functionName, lines) {
      for (const line of lines) logs.append(region, functionName, line.timestampMs, line.message);
    },
    cleanup,
  };
});

describeFunctionPlatformContract('local platform', async () => {
  const { dir, db, cleanup } = openTemporaryDatabase();
  const platform = new LocalFunctionPlatform(db, join(dir, 'functions'), new SimulationClock(db));
  const bundle = join(dir, 'bundle');
  mkdirSync(bundle);
  writeFileSync(join(bundle, 'index.mjs'), 'export const workflow = undefined;\n');
  return {
    platform,
    region: { provider: 'local', region: 'us-west-2' },
    artifact: async () => ({ kind: 'directory', path: bundle, sha256: 'contract' }),
    roleIdentifier: async () => 'local:role/contract',
    async describe(region, functionName) {
      const row = platform.find(region, functionName)!;
      return { environment: JSON.parse(row.environment) as Record<string, string>, memoryMb: row.memory_mb, timeoutSeconds: row.timeout_s };
    },
    cleanup,
  };
});
