import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, statSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'libsql';
import { CaribouError } from '@caribou/domain-common';

type Row = Record<string, unknown>;

/** `PRAGMA application_id` of a Caribou local database ("CRIB"): tells ours from another program's SQLite file. */
export const CARIBOU_APPLICATION_ID = 0x43524942;

/** How long opening waits for another process that holds the database (creating or migrating it). */
const OPEN_WAIT_MS = 15_000;

/**
 * The local provider's single libsql file. WAL and a busy timeout let several
 * processes (two CLI commands, the executor) use it at once; every multi-statement
 * change runs in a transaction so a crash never leaves half a record.
 *
 * A new file is built under a temporary name and linked into place, so no process ever
 * sees a half-made database, and a zero-length `local.db` can only be damage: it is
 * refused, as is a file of another program.
 */
export class LocalDatabase {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly path: string) {
    try {
      this.db = path === ':memory:' ? initialise(new Database(path)) : openFile(path);
      this.upgrade();
    } catch (error) {
      if (error instanceof CaribouError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new CaribouError(
        `Cannot use ${path} as the local provider's database (${reason}); point CARIBOU_HOME at a writable directory of your own`,
        { cause: error },
      );
    }
  }

  /** Brings a database written by an earlier version up to the current schema: columns added since. */
  private upgrade(): void {
    for (const [table, column, definition] of ADDED_COLUMNS) {
      const has = () => (this.db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).some((c) => c.name === column);
      if (has()) continue;
      // In a write transaction, checked again: of two processes upgrading at once, one does it.
      retryWhileBusy(() =>
        this.db
          .transaction(() => {
            if (!has()) this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
          })
          .immediate(),
      );
    }
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

  /**
   * Runs `body` in a transaction. `immediate` takes the write lock first: needed when the
   * body reads and then writes what another process may be writing (else SQLite answers
   * "busy" at the write instead of waiting).
   */
  transaction<T>(body: () => T, options: { immediate?: boolean } = {}): T {
    const transaction = this.db.transaction(body);
    return options.immediate ? retryWhileBusy(() => transaction.immediate()) : transaction();
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }
}

/** SQLite's "someone else holds the lock" answers: worth waiting for, unlike every other error. */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code ?? '';
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs `body` again while the database is busy, up to OPEN_WAIT_MS. */
function retryWhileBusy<T>(body: () => T): T {
  const deadline = Date.now() + OPEN_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return body();
    } catch (error) {
      if (!isBusy(error) || Date.now() > deadline) throw error;
      sleepSync(Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random()));
    }
  }
}

/** The busy timeout first (every later statement may wait on another process), then WAL and the schema. */
function initialise(db: Database.Database): Database.Database {
  db.exec('PRAGMA busy_timeout = 10000;');
  retryWhileBusy(() => db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;'));
  retryWhileBusy(() => db.exec(SCHEMA));
  return db;
}

function openFile(path: string): Database.Database {
  const dir = dirname(path);
  if (dir.startsWith('/proc/') || dir.startsWith('/sys/')) throw new Error('not a writable directory');
  mkdirSync(dir, { recursive: true });
  if (!fileExists(path)) createAtomically(path);
  const size = statSync(path);
  if (!size.isFile()) throw new CaribouError(`${path} is not a regular file; move it away or point CARIBOU_HOME at another directory`);
  if (size.size === 0) {
    throw new CaribouError(
      `${path} is empty (0 bytes), so it is not a Caribou database (it was truncated or made by something else): move it away and Caribou starts a new one, or point CARIBOU_HOME at another directory`,
    );
  }
  const db = new Database(path);
  try {
    db.exec('PRAGMA busy_timeout = 10000;');
    checkOwnership(db, path);
    return initialise(db);
  } catch (error) {
    db.close();
    throw error;
  }
}

function fileExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Builds a new database under a private name and links it to `path`: the link either
 * appears complete or fails because another process linked its own first (then that one is used).
 */
function createAtomically(path: string): void {
  const staging = `${path}.new-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const db = initialise(new Database(staging));
    db.exec(`PRAGMA application_id = ${CARIBOU_APPLICATION_ID};`);
    db.close();
    try {
      linkSync(staging, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  } finally {
    for (const file of [staging, `${staging}-wal`, `${staging}-shm`]) {
      try {
        unlinkSync(file);
      } catch {
        /* already gone */
      }
    }
  }
}

/** Refuses another program's SQLite file; a database of an earlier Caribou (no id yet) gets the id. */
function checkOwnership(db: Database.Database, path: string): void {
  let applicationId: number;
  let tables: string[];
  try {
    applicationId = Number((db.prepare('PRAGMA application_id').get() as { application_id: number }).application_id);
    tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
  } catch (error) {
    if (isBusy(error)) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      // A damaged database (cut short, overwritten in part) may well be Caribou's: say damaged, not foreign.
      const what = code === 'SQLITE_CORRUPT' ? 'is a damaged database' : 'is not a Caribou database';
      throw new CaribouError(
        `${path} ${what} (${(error as Error).message}): move it away and Caribou starts a new one, or point CARIBOU_HOME at another directory`,
      );
    }
    throw error;
  }
  if (applicationId === CARIBOU_APPLICATION_ID) return;
  const ours = tables.length === 0 || tables.includes('kv');
  if (applicationId !== 0 || !ours) {
    throw new CaribouError(
      `${path} is a database of another program (${applicationId !== 0 ? `application id ${applicationId}` : `tables ${tables.slice(0, 3).join(', ')}`}), not Caribou's: point CARIBOU_HOME at a directory of its own`,
    );
  }
  retryWhileBusy(() => db.exec(`PRAGMA application_id = ${CARIBOU_APPLICATION_ID};`));
}

/** libsql returns BLOBs as Buffer from get() and ArrayBuffer from all(); callers get Buffers. */
function normalizeRow(row: Row): Row {
  for (const [key, value] of Object.entries(row)) {
    if (value instanceof ArrayBuffer) row[key] = Buffer.from(value);
  }
  return row;
}

/** Columns added after the first release, as [table, column, definition]. */
const ADDED_COLUMNS: ReadonlyArray<[string, string, string]> = [
  ['sync_claims', 'claimant', "TEXT NOT NULL DEFAULT ''"],
  // JSON {retryAttempts, maximumEventAgeSeconds, onFailureDestination}; NULL: a copy deployed before retries existed.
  ['functions', 'async_invocation', 'TEXT'],
];

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
CREATE TABLE IF NOT EXISTS execution_markers (
  region TEXT NOT NULL, run_id TEXT NOT NULL, instance TEXT NOT NULL, state TEXT NOT NULL, holder TEXT NOT NULL,
  lease_expires_at REAL NOT NULL, sends TEXT NOT NULL DEFAULT '[]', expires_at REAL NOT NULL,
  PRIMARY KEY (region, run_id, instance));
CREATE TABLE IF NOT EXISTS functions (
  region TEXT NOT NULL, name TEXT NOT NULL, handler TEXT NOT NULL, entry_point INTEGER NOT NULL,
  artifact_dir TEXT NOT NULL, artifact_sha256 TEXT NOT NULL, environment TEXT NOT NULL,
  memory_mb INTEGER NOT NULL, timeout_s INTEGER NOT NULL, role TEXT NOT NULL, updated_at REAL NOT NULL, async_invocation TEXT,
  PRIMARY KEY (region, name));
CREATE TABLE IF NOT EXISTS failure_destinations (region TEXT PRIMARY KEY, identifier TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS failure_records (
  id INTEGER PRIMARY KEY AUTOINCREMENT, region TEXT NOT NULL, body TEXT NOT NULL, written_at REAL NOT NULL);
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
CREATE TABLE IF NOT EXISTS runs (
  run_id TEXT PRIMARY KEY, owner TEXT NOT NULL, started_at REAL NOT NULL, ended_at REAL,
  status TEXT NOT NULL, reported INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS runs_by_status ON runs (status, started_at);
CREATE TABLE IF NOT EXISTS timers (
  name TEXT PRIMARY KEY, expression TEXT NOT NULL, payload TEXT NOT NULL, set_up_ms REAL NOT NULL, anchor_ms REAL NOT NULL);
`;
