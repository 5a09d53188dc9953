import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { DamagedStoredValueError, type KeyValueStore } from '@caribou/ports';
import type { LocalDatabase } from './database';

interface KvRow extends Record<string, unknown> {
  value: Buffer | string | null;
  compressed: number;
}

/**
 * Framework tables in the local libsql file. Values are text; `compress` stores brotli
 * bytes (the reference uses zstd, which Node 20 lacks). Key order is insertion order,
 * kept by upserts, like the reference's table order for available regions.
 */
export class LocalKeyValueStore implements KeyValueStore {
  constructor(private readonly db: LocalDatabase) {}

  private decode(table: string, key: string, row: KvRow | undefined): string | undefined {
    if (!row || row.value === null) return undefined;
    if (row.compressed) {
      try {
        return brotliDecompressSync(row.value as Buffer).toString('utf8');
      } catch (error) {
        throw new DamagedStoredValueError(table, key, `marked compressed but not brotli-compressed text: ${(error as Error).message}`);
      }
    }
    return typeof row.value === 'string' ? row.value : (row.value as Buffer).toString('utf8');
  }

  async get(table: string, key: string): Promise<string | undefined> {
    return this.decode(table, key, this.db.get<KvRow>('SELECT value, compressed FROM kv WHERE tbl = ? AND key = ?', table, key));
  }

  async getWithCapacity(table: string, key: string): Promise<{ value: string | undefined; consumedReadCapacity: number }> {
    const value = await this.get(table, key);
    // DynamoDB charges one unit per 4 KiB of a strongly consistent read; mirrored so local logs look alike.
    return { value, consumedReadCapacity: value === undefined ? 0.5 : Math.max(1, Math.ceil(Buffer.byteLength(value) / 4096)) };
  }

  async put(table: string, key: string, value: string, options?: { compress?: boolean }): Promise<void> {
    const compressed = options?.compress === true;
    const stored = compressed
      ? brotliCompressSync(Buffer.from(value, 'utf8'), { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } })
      : value;
    this.db.run(
      `INSERT INTO kv (tbl, key, value, compressed) VALUES (?, ?, ?, ?)
       ON CONFLICT (tbl, key) DO UPDATE SET value = excluded.value, compressed = excluded.compressed`,
      table,
      key,
      stored,
      compressed ? 1 : 0,
    );
  }

  async putIfAbsent(table: string, key: string, value: string): Promise<boolean> {
    const result = this.db.run(
      `INSERT INTO kv (tbl, key, value, compressed) VALUES (?, ?, ?, 0)
       ON CONFLICT (tbl, key) DO UPDATE SET value = excluded.value, compressed = 0 WHERE kv.value IS NULL`,
      table,
      key,
      value,
    );
    return result.changes > 0;
  }

  async compareAndSet(table: string, key: string, expected: string | undefined, value: string): Promise<boolean> {
    return this.db.transaction(() => {
      const current = this.decode(table, key, this.db.get<KvRow>('SELECT value, compressed FROM kv WHERE tbl = ? AND key = ?', table, key));
      if (current !== expected) return false;
      this.db.run(
        `INSERT INTO kv (tbl, key, value, compressed) VALUES (?, ?, ?, 0)
         ON CONFLICT (tbl, key) DO UPDATE SET value = excluded.value, compressed = 0`,
        table,
        key,
        value,
      );
      return true;
    });
  }

  async delete(table: string, key: string): Promise<void> {
    this.db.run('DELETE FROM kv WHERE tbl = ? AND key = ?', table, key);
  }

  async has(table: string, key: string): Promise<boolean> {
    return this.db.get('SELECT 1 AS present FROM kv WHERE tbl = ? AND key = ? AND value IS NOT NULL', table, key) !== undefined;
  }

  async keys(table: string): Promise<string[]> {
    return this.db
      .all<{ key: string }>('SELECT key FROM kv WHERE tbl = ? AND value IS NOT NULL ORDER BY rowid', table)
      .map((row) => row.key);
  }

  async entries(table: string): Promise<Array<[string, string]>> {
    return this.db
      .all<KvRow & { key: string }>('SELECT key, value, compressed FROM kv WHERE tbl = ? AND value IS NOT NULL ORDER BY rowid', table)
      .map((row) => [row.key, this.decode(table, row.key, row)!]);
  }

  async setNumericAttributes(table: string, key: string, attributes: Record<string, number>): Promise<void> {
    this.db.transaction(() => {
      const row = this.db.get<{ attributes: string }>('SELECT attributes FROM kv WHERE tbl = ? AND key = ?', table, key);
      const merged = { ...(row ? (JSON.parse(row.attributes) as Record<string, number>) : {}), ...attributes };
      this.db.run(
        `INSERT INTO kv (tbl, key, value, attributes) VALUES (?, ?, NULL, ?)
         ON CONFLICT (tbl, key) DO UPDATE SET attributes = excluded.attributes`,
        table,
        key,
        JSON.stringify(merged),
      );
    });
  }

  async getNumericAttributes(table: string, key: string): Promise<Record<string, number>> {
    const row = this.db.get<{ attributes: string }>('SELECT attributes FROM kv WHERE tbl = ? AND key = ?', table, key);
    return row ? (JSON.parse(row.attributes) as Record<string, number>) : {};
  }

  async ensureTables(tables: readonly string[]): Promise<void> {
    this.db.transaction(() => {
      for (const table of tables) this.db.run('INSERT OR IGNORE INTO kv_tables (name) VALUES (?)', table);
    });
  }

  async dropTables(tables: readonly string[]): Promise<void> {
    this.db.transaction(() => {
      for (const table of tables) {
        this.db.run('DELETE FROM kv WHERE tbl = ?', table);
        this.db.run('DELETE FROM kv_tables WHERE name = ?', table);
      }
    });
  }
}
