import { regionKey, SYNC_TABLE_TTL_SECONDS, type ProviderRegion } from '@caribou/domain-common';
import type { Clock, ExecutionClaim, ExecutionKey, ExecutionMarkerProvider, ExecutionMarkerStore } from '@caribou/ports';
import type { LocalDatabase } from './database';

interface MarkerRow extends Record<string, unknown> {
  state: 'running' | 'released' | 'finished';
  holder: string;
  lease_expires_at: number;
  sends: string;
}

/**
 * Execution markers of one region in the local libsql file, with the DynamoDB adapter's
 * semantics: each operation is one write transaction (taken before reading, so two
 * processes never both see the marker free), 24 h expiry like the sync tables.
 */
export class LocalExecutionMarkerStore implements ExecutionMarkerStore {
  constructor(
    private readonly db: LocalDatabase,
    private readonly region: string,
    private readonly clock: Clock,
  ) {}

  private row(key: ExecutionKey): MarkerRow | undefined {
    return this.db.get<MarkerRow>(
      'SELECT state, holder, lease_expires_at, sends FROM execution_markers WHERE region = ? AND run_id = ? AND instance = ?',
      this.region,
      key.runId,
      key.instance,
    );
  }

  async acquire(key: ExecutionKey, holder: string, leaseMs: number): Promise<ExecutionClaim> {
    const now = this.clock.now();
    return this.db.transaction((): ExecutionClaim => {
      const current = this.row(key);
      if (current?.state === 'finished') return { status: 'finished' };
      if (current?.state === 'running' && current.lease_expires_at >= now) {
        return { status: 'held', holder: current.holder, leaseExpiresAtMs: current.lease_expires_at };
      }
      this.db.run(
        `INSERT INTO execution_markers (region, run_id, instance, state, holder, lease_expires_at, sends, expires_at)
         VALUES (?, ?, ?, 'running', ?, ?, '[]', ?)
         ON CONFLICT DO UPDATE SET state = 'running', holder = excluded.holder, lease_expires_at = excluded.lease_expires_at, expires_at = excluded.expires_at`,
        this.region,
        key.runId,
        key.instance,
        holder,
        now + leaseMs,
        now + SYNC_TABLE_TTL_SECONDS * 1000,
      );
      return { status: 'acquired', completedSends: current ? (JSON.parse(current.sends) as string[]) : [] };
    }, { immediate: true });
  }

  async recordSend(key: ExecutionKey, sendKey: string): Promise<void> {
    this.db.transaction(() => {
      const current = this.row(key);
      const sends = current ? (JSON.parse(current.sends) as string[]) : [];
      if (sends.includes(sendKey)) return;
      sends.push(sendKey);
      this.db.run(
        'UPDATE execution_markers SET sends = ? WHERE region = ? AND run_id = ? AND instance = ?',
        JSON.stringify(sends),
        this.region,
        key.runId,
        key.instance,
      );
    }, { immediate: true });
  }

  async finish(key: ExecutionKey, _holder: string): Promise<void> {
    this.db.run("UPDATE execution_markers SET state = 'finished' WHERE region = ? AND run_id = ? AND instance = ?", this.region, key.runId, key.instance);
  }

  async release(key: ExecutionKey, holder: string): Promise<void> {
    this.db.run(
      "UPDATE execution_markers SET state = 'released' WHERE region = ? AND run_id = ? AND instance = ? AND state = 'running' AND holder = ?",
      this.region,
      key.runId,
      key.instance,
      holder,
    );
  }
}

export class LocalExecutionMarkerProvider implements ExecutionMarkerProvider {
  constructor(
    private readonly db: LocalDatabase,
    private readonly clock: Clock,
  ) {}

  forRegion(region: ProviderRegion): LocalExecutionMarkerStore {
    return new LocalExecutionMarkerStore(this.db, regionKey(region), this.clock);
  }
}
