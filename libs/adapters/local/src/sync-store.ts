import { regionKey, SYNC_TABLE_TTL_SECONDS, type ProviderRegion } from '@caribou/domain-common';
import type { Clock, MarkResult, PredecessorMark, SyncStore, SyncStoreProvider } from '@caribou/ports';
import type { LocalDatabase } from './database';

/**
 * Fan-in state per region in the local libsql file, with the semantics the DynamoDB
 * adapter has: atomic marks returning every flag, an atomic claim, 24 h expiry.
 * `markedAt` keeps the simulated time of each mark so the local executor can start a
 * sync node no earlier than its last predecessor arrived.
 */
export class LocalSyncStore implements SyncStore {
  constructor(
    private readonly db: LocalDatabase,
    private readonly region: string,
    private readonly clock: Clock,
  ) {}

  private expiry(): number {
    return this.clock.now() + SYNC_TABLE_TTL_SECONDS * 1000;
  }

  async uploadPredecessorData(syncInstance: string, runId: string, messageId: string, payload: string): Promise<{ consumedWriteCapacity: number }> {
    this.db.run(
      `INSERT INTO sync_messages (region, sync_instance, run_id, message_id, payload, expires_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET payload = excluded.payload, expires_at = excluded.expires_at`,
      this.region,
      syncInstance,
      runId,
      messageId,
      payload,
      this.expiry(),
    );
    // DynamoDB bills a write per started KiB of the item; the local store mirrors it for the logs.
    return { consumedWriteCapacity: Math.max(1, Math.ceil(Buffer.byteLength(payload) / 1024)) };
  }

  async markPredecessorReached(mark: PredecessorMark): Promise<MarkResult> {
    const now = this.clock.now();
    const flags = this.db.transaction(() => {
      this.db.run(
        `INSERT INTO sync_marks (region, sync_instance, run_id, predecessor, direct_call, marked_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET direct_call = excluded.direct_call, marked_at = max(marked_at, excluded.marked_at)
         WHERE excluded.direct_call = 1`,
        this.region,
        mark.syncInstance,
        mark.runId,
        mark.predecessor,
        mark.directCall ? 1 : 0,
        now,
        now + SYNC_TABLE_TTL_SECONDS * 1000,
      );
      return this.db.all<{ predecessor: string; direct_call: number }>(
        'SELECT predecessor, direct_call FROM sync_marks WHERE region = ? AND sync_instance = ? AND run_id = ? ORDER BY rowid',
        this.region,
        mark.syncInstance,
        mark.runId,
      );
    });
    const response = JSON.stringify({ [mark.syncInstance]: Object.fromEntries(flags.map((f) => [f.predecessor, f.direct_call === 1])) });
    return {
      reached: flags.map((f) => f.direct_call === 1),
      responseSizeGb: Buffer.byteLength(response) / 1024 ** 3,
      consumedWriteCapacity: Math.max(1, Math.ceil(Buffer.byteLength(response) / 1024)),
    };
  }

  async claimInvocation(syncInstance: string, runId: string, claimant: string): Promise<boolean> {
    this.db.run(
      'INSERT OR IGNORE INTO sync_claims (region, sync_instance, run_id, claimant, expires_at) VALUES (?, ?, ?, ?, ?)',
      this.region,
      syncInstance,
      runId,
      claimant,
      this.expiry(),
    );
    const row = this.db.get<{ claimant: string }>(
      'SELECT claimant FROM sync_claims WHERE region = ? AND sync_instance = ? AND run_id = ?',
      this.region,
      syncInstance,
      runId,
    );
    return row?.claimant === claimant;
  }

  async getPredecessorData(syncInstance: string, runId: string): Promise<{ payloads: string[]; consumedReadCapacity: number }> {
    const rows = this.db.all<{ payload: string }>(
      'SELECT payload FROM sync_messages WHERE region = ? AND sync_instance = ? AND run_id = ? ORDER BY rowid',
      this.region,
      syncInstance,
      runId,
    );
    const bytes = rows.reduce((sum, row) => sum + Buffer.byteLength(row.payload), 0);
    return { payloads: rows.map((row) => row.payload), consumedReadCapacity: Math.max(0.5, Math.ceil(bytes / 4096)) };
  }

  /** Simulated time of the latest mark for the sync node in this run (undefined when none). */
  latestMarkTime(syncInstance: string, runId: string): number | undefined {
    const row = this.db.get<{ latest: number | null }>(
      'SELECT max(marked_at) AS latest FROM sync_marks WHERE region = ? AND sync_instance = ? AND run_id = ?',
      this.region,
      syncInstance,
      runId,
    );
    return row?.latest ?? undefined;
  }
}

/** Everything kept per region: fan-in state and execution markers (local-execution-markers.ts). */
const REGION_TABLES = ['sync_messages', 'sync_marks', 'sync_claims', 'execution_markers'] as const;

export class LocalSyncStoreProvider implements SyncStoreProvider {
  constructor(
    private readonly db: LocalDatabase,
    private readonly clock: Clock,
  ) {}

  forRegion(region: ProviderRegion): LocalSyncStore {
    return new LocalSyncStore(this.db, regionKey(region), this.clock);
  }

  /** A store whose marks are stamped with another clock (one simulated invocation). */
  withClock(clock: Clock): LocalSyncStoreProvider {
    return new LocalSyncStoreProvider(this.db, clock);
  }

  async ensureSyncTables(region: ProviderRegion): Promise<void> {
    this.db.run('INSERT OR IGNORE INTO sync_regions (region) VALUES (?)', regionKey(region));
  }

  async removeSyncTables(region: ProviderRegion): Promise<void> {
    const key = regionKey(region);
    this.db.transaction(() => {
      for (const table of REGION_TABLES) this.db.run(`DELETE FROM ${table} WHERE region = ?`, key);
      this.db.run('DELETE FROM sync_regions WHERE region = ?', key);
    });
  }

  /** Drops items past their time to live, as DynamoDB's TTL does. */
  expire(nowMs: number): void {
    this.db.transaction(() => {
      for (const table of REGION_TABLES) this.db.run(`DELETE FROM ${table} WHERE expires_at < ?`, nowMs);
    });
  }
}
