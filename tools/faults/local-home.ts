import { brotliDecompressSync } from 'node:zlib';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'libsql';

/** Read-only looks into a local provider's database, for checks from outside the CLI. */
export class LocalHomeInspector {
  constructor(readonly home: string) {}

  private query<T>(sql: string, ...params: unknown[]): T[] {
    const path = join(this.home, 'local.db');
    // Opening a missing file would create an empty one: never leave a trace in the home inspected.
    if (!existsSync(path)) throw new Error(`${path} does not exist`);
    const db = new Database(path, { readonly: true });
    try {
      db.exec('PRAGMA busy_timeout = 10000');
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  }

  lines(sql: string, ...params: unknown[]): string[] {
    return this.query<{ line: string }>(sql, ...params).map((row) => row.line);
  }

  /** `PRAGMA integrity_check`: "ok" for an undamaged file. */
  integrity(): string {
    return this.query<{ integrity_check: string }>('PRAGMA integrity_check').map((row) => row.integrity_check).join('; ');
  }

  /** Every row of the tables the commands write, as text: equal before and after means nothing changed. */
  snapshot(): string {
    const tables = ['kv', 'functions', 'roles', 'runs', 'executions', 'sync_messages', 'sync_marks', 'sync_claims'];
    return tables.map((table) => JSON.stringify(this.query(`SELECT * FROM ${table} ORDER BY 1, 2`))).join('\n');
  }

  count(sql: string, ...params: unknown[]): number {
    return Number(this.query<{ n: number }>(sql, ...params)[0]?.n ?? 0);
  }

  /** The stored workflow summary (decompressed), or undefined before the first sync. */
  summary(workflowId: string): { logs: Array<{ run_id: string }>; daily_invocation_counts: Record<string, number> } | undefined {
    const [row] = this.query<{ value: Buffer | ArrayBuffer | string; compressed: number }>(
      "SELECT value, compressed FROM kv WHERE tbl = 'workflow_summary_table' AND key = ?",
      workflowId,
    );
    if (!row) return undefined;
    const bytes = typeof row.value === 'string' ? Buffer.from(row.value) : Buffer.from(row.value as ArrayBuffer);
    return JSON.parse((row.compressed ? brotliDecompressSync(bytes) : bytes).toString('utf8'));
  }

  /** Runs by status in the run journal. */
  runs(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const row of this.query<{ status: string; n: number }>('SELECT status, count(*) AS n FROM runs GROUP BY status')) counts[row.status] = Number(row.n);
    return counts;
  }
}

export const sumOf = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);
