import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'libsql';
import { CaribouError } from '@caribou/domain-common';

type Row = Record<string, unknown>;

/**
 * The local provider's single libsql file. WAL and a busy timeout let several
 * processes (two CLI commands, the executor) use it at once; every multi-statement
 * change runs in a transaction so a crash never leaves half a record.
 */
export class LocalDatabase {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly path: string) {
    try {
      if (path !== ':memory:') {
        const dir = dirname(path);
        if (dir.startsWith('/proc/') || dir.startsWith('/sys/')) throw new Error('not a writable directory');
        mkdirSync(dir, { recursive: true });
      }
      this.db = new Database(path);
      this.db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;');
      this.db.exec(SCHEMA);
      this.upgrade();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CaribouError(
        `Cannot use ${path} as the local provider's database (${reason}); point CARIBOU_HOME at a writable directory of your own`,
        { cause: error },
      );
    }
  }

  /** Brings a database written by an earlier version up to the current schema. */
  private upgrade(): void {
    const claimColumns = (this.db.prepare('PRAGMA table_info(sync_claims)').all() as Array<{ name: string }>).map((c) => c.name);
    if (!claimColumns.includes('claimant')) this.db.exec("ALTER TABLE sync_claims ADD COLUMN claimant TEXT NOT NULL DEFAULT ''");
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  run(sql: string, ...params: unknown[]): { changes: number } {
    const result = this.statement(sql).run(...params) as { changes: number };
    return { changes: result.changes };
  }

  /** One row as a plain object (libsql adds a `_metadata` property to `.get()` rows; dropped here). */
  get<T extends Row>(sql: string, ...params: unknown[]): T | undefined {
    const row = this.statement(sql).get(...params) as Row | undefined;
    if (!row) return undefined;
    const { _metadata: _ignored, ...rest } = row;
    return normalizeRow(rest) as T;
  }

  all<T extends Row>(sql: string, ...params: unknown[]): T[] {
    return (this.statement(sql).all(...params) as Row[]).map((row) => normalizeRow(row) as T);
  }

  transaction<T>(body: () => T): T {
    return this.db.transaction(body)();
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }
}

/** libsql returns BLOBs as Buffer from get() and ArrayBuffer from all(); callers get Buffers. */
function normalizeRow(row: Row): Row {
  for (const [key, value] of Object.entries(row)) {
    if (value instanceof ArrayBuffer) row[key] = Buffer.from(value);
  }
  return row;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS kv_tables (name TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS kv (
  tbl TEXT NOT NULL, key TEXT NOT NULL, value BLOB, compressed INTEGER NOT NULL DEFAULT 0,
  attributes TEXT NOT NULL DEFAULT '{}', PRIMARY KEY (tbl, key));
CREATE TABLE IF NOT EXISTS sync_messages (
  region TEXT NOT NULL, sync_instance TEXT NOT NULL, run_id TEXT NOT NULL, message_id TEXT NOT NULL,
  payload TEXT NOT NULL, expires_at REAL NOT NULL, PRIMARY KEY (region, sync_instance, run_id, message_id));
CREATE TABLE IF NOT EXISTS sync_marks (
  region TEXT NOT NULL, sync_instance TEXT NOT NULL, run_id TEXT NOT NULL, predecessor TEXT NOT NULL,
  direct_call INTEGER NOT NULL, marked_at REAL NOT NULL, expires_at REAL NOT NULL,
  PRIMARY KEY (region, sync_instance, run_id, predecessor));
CREATE TABLE IF NOT EXISTS sync_claims (
  region TEXT NOT NULL, sync_instance TEXT NOT NULL, run_id TEXT NOT NULL, claimant TEXT NOT NULL DEFAULT '', expires_at REAL NOT NULL,
  PRIMARY KEY (region, sync_instance, run_id));
CREATE TABLE IF NOT EXISTS sync_regions (region TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS functions (
  region TEXT NOT NULL, name TEXT NOT NULL, handler TEXT NOT NULL, entry_point INTEGER NOT NULL,
  artifact_dir TEXT NOT NULL, artifact_sha256 TEXT NOT NULL, environment TEXT NOT NULL,
  memory_mb INTEGER NOT NULL, timeout_s INTEGER NOT NULL, role TEXT NOT NULL, updated_at REAL NOT NULL,
  PRIMARY KEY (region, name));
CREATE TABLE IF NOT EXISTS roles (region TEXT NOT NULL, name TEXT NOT NULL, policy TEXT NOT NULL, PRIMARY KEY (region, name));
CREATE TABLE IF NOT EXISTS logs (
  id INTEGER PRIMARY KEY AUTOINCREMENT, region TEXT NOT NULL, function_name TEXT NOT NULL,
  time_ms REAL NOT NULL, line TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS logs_by_function ON logs (region, function_name, time_ms);
CREATE TABLE IF NOT EXISTS executions (
  id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, workflow_id TEXT NOT NULL, instance_name TEXT NOT NULL,
  function_name TEXT NOT NULL, region TEXT NOT NULL, request_id TEXT NOT NULL, status TEXT NOT NULL,
  started_at REAL NOT NULL, ended_at REAL, error TEXT);
CREATE INDEX IF NOT EXISTS executions_by_run ON executions (run_id);
CREATE INDEX IF NOT EXISTS executions_by_workflow ON executions (workflow_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;
