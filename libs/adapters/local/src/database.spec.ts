import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import { CARIBOU_APPLICATION_ID, LocalDatabase } from './database';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'caribou-db-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const DATABASE_MODULE = fileURLToPath(new URL('./database.ts', import.meta.url));

/** Opens (creating if needed) the database at `path` in a separate Node process; resolves with its exit code and stderr. */
function openInChild(path: string): Promise<{ code: number | null; stderr: string }> {
  const script = `const { LocalDatabase } = await import(${JSON.stringify(DATABASE_MODULE)});
const db = new LocalDatabase(${JSON.stringify(path)});
db.run("INSERT INTO meta (key, value) VALUES ('pid-' || ?, 'x')", process.pid);
db.close();`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('LocalDatabase opening', () => {
  it('8 processes opening one fresh database at once all succeed (busy timeout before WAL, atomic creation)', async () => {
    // The CLI test runs 20 `caribou list` at once; this one checks the adapter on its own, twice.
    const rounds = 2;
    for (let round = 0; round < rounds; round++) {
      const path = join(freshDir(), 'home', 'local.db');
      const results = await Promise.all(Array.from({ length: 8 }, () => openInChild(path)));
      expect(results.filter((r) => r.code !== 0).map((r) => r.stderr)).toEqual([]);
      const db = new LocalDatabase(path);
      expect(db.get<{ n: number }>("SELECT count(*) AS n FROM meta WHERE key LIKE 'pid-%'")!.n).toBe(8);
      db.close();
      // No staging file is left next to the database.
      expect(readdirSync(join(path, '..')).filter((name) => name.includes('.new-'))).toEqual([]);
    }
  }, 240_000);

  it('a zero-length local.db is refused, named, with the fix, and left as it was', () => {
    const path = join(freshDir(), 'local.db');
    writeFileSync(path, '');
    expect(() => new LocalDatabase(path)).toThrow(/local\.db is empty \(0 bytes\).*move it away/);
    expect(statSync(path).size).toBe(0);
  });

  it('a file that is not SQLite is refused without being changed', () => {
    const path = join(freshDir(), 'local.db');
    const junk = 'not a database; '.repeat(200);
    writeFileSync(path, junk);
    expect(() => new LocalDatabase(path)).toThrow(/is not a Caribou database.*move it away/);
    expect(readFileSync(path, 'utf8')).toBe(junk);
  });

  it('a Caribou database cut short is called damaged (not foreign), with the fix, and left as it was', () => {
    const path = join(freshDir(), 'local.db');
    new LocalDatabase(path).close();
    const filled = new Database(path);
    filled.exec('CREATE TABLE padding (value TEXT)');
    for (let i = 0; i < 50; i += 1) filled.prepare('INSERT INTO padding VALUES (?)').run(String(i).repeat(4096));
    filled.close();
    truncateSync(path, 8192);
    const before = readFileSync(path);
    expect(() => new LocalDatabase(path)).toThrow(/local\.db is a damaged database \(database disk image is malformed\): move it away/);
    expect(readFileSync(path)).toEqual(before);
  });

  it("another program's SQLite database is refused and gets no Caribou tables", () => {
    const path = join(freshDir(), 'local.db');
    const foreign = new Database(path);
    foreign.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)');
    foreign.close();
    expect(() => new LocalDatabase(path)).toThrow(/database of another program \(tables users\).*CARIBOU_HOME/);
    const after = new Database(path);
    const tables = (after.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    after.close();
    expect(tables).toEqual(['users']);
  });

  it('a database of an earlier Caribou (no application id yet) is kept and marked as ours', () => {
    const path = join(freshDir(), 'local.db');
    const old = new Database(path);
    old.exec("CREATE TABLE kv (tbl TEXT NOT NULL, key TEXT NOT NULL, value BLOB, compressed INTEGER NOT NULL DEFAULT 0, attributes TEXT NOT NULL DEFAULT '{}', PRIMARY KEY (tbl, key)); INSERT INTO kv (tbl, key, value) VALUES ('t', 'k', 'v');");
    old.close();
    const db = new LocalDatabase(path);
    expect(db.get<{ value: string }>("SELECT value FROM kv WHERE tbl = 't'")!.value).toBe('v');
    expect(db.get<{ application_id: number }>('PRAGMA application_id')!.application_id).toBe(CARIBOU_APPLICATION_ID);
    db.close();
  });
});
