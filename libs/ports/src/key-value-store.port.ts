import { CaribouError } from '@caribou/domain-common';

/**
 * Named tables of string values (JSON in practice), keyed by string. The reference's
 * `RemoteClient` table methods, minus its quirks: scans are complete (paginated), a put
 * is an upsert, and compressed values are decompressed transparently on read.
 */
export interface KeyValueStore {
  /** The value, or undefined when the key (or the table) does not exist. */
  get(table: string, key: string): Promise<string | undefined>;
  /** As get, plus the read capacity the platform reports (0 where it has no such notion). */
  getWithCapacity(table: string, key: string): Promise<{ value: string | undefined; consumedReadCapacity: number }>;
  /** Creates or replaces the value. `compress` stores it compressed (large summaries). */
  put(table: string, key: string, value: string, options?: { compress?: boolean }): Promise<void>;
  /** Writes only when the key is absent; true when written. */
  putIfAbsent(table: string, key: string, value: string): Promise<boolean>;
  /** Writes only when the current value equals `expected` (undefined = absent); true when written. */
  compareAndSet(table: string, key: string, expected: string | undefined, value: string): Promise<boolean>;
  /** Deleting a missing key is not an error. */
  delete(table: string, key: string): Promise<void>;
  has(table: string, key: string): Promise<boolean>;
  /** All keys, in the table's own order (insertion order locally, scan order on DynamoDB). */
  keys(table: string): Promise<string[]>;
  /** All entries, in the same order as keys(). */
  entries(table: string): Promise<Array<[string, string]>>;
  /** Extra numeric attributes next to the value (collector timestamps in available_regions_table). */
  setNumericAttributes(table: string, key: string, attributes: Record<string, number>): Promise<void>;
  getNumericAttributes(table: string, key: string): Promise<Record<string, number>>;
  /** Creates the tables when missing (setup_tables); idempotent. */
  ensureTables(tables: readonly string[]): Promise<void>;
  /** Drops the tables when present (teardown_framework); idempotent. */
  dropTables(tables: readonly string[]): Promise<void>;
}

/**
 * A stored value the store itself cannot decode (compressed bytes that are not brotli text,
 * the reference's zstd): every provider says it in the same words as the application's
 * stored-row errors, so a user sees one message shape whichever cloud holds the row.
 */
export class DamagedStoredValueError extends CaribouError {
  constructor(
    table: string,
    key: string,
    reason: string,
    fix = "delete the row, or for a workflow's rows remove the workflow (caribou remove) and deploy it again",
  ) {
    super(`Stored row ${table}[${key}] is damaged (${reason}): ${fix}`);
  }
}
