import type { KeyValueStore, ProgressReporter } from '@caribou/ports';

interface Item {
  value?: string;
  attributes: Record<string, number>;
}

/**
 * Test double: a KeyValueStore on nested Maps (insertion order = table order). It passes
 * the shared KeyValueStore contract suite, so use-case tests exercise real store semantics
 * without a database. Compression is a storage detail and has no effect here.
 */
export class InMemoryKeyValueStore implements KeyValueStore {
  private readonly tables = new Map<string, Map<string, Item>>();
  /** Every write (put, successful putIfAbsent / compareAndSet) with the compression flag it asked for. */
  readonly writes: Array<{ table: string; key: string; compressed: boolean }> = [];

  /** Test setup: stores `row` as JSON without logging a write. */
  seed(table: string, key: string, row: unknown): void {
    this.table(table, true)!.set(key, { value: JSON.stringify(row), attributes: {} });
  }

  /** The stored value parsed as JSON, or undefined. */
  row(table: string, key: string): unknown {
    const value = this.table(table)?.get(key)?.value;
    return value === undefined ? undefined : JSON.parse(value);
  }

  /** Whether the last write of the key asked for compression. */
  wasCompressed(table: string, key: string): boolean | undefined {
    return this.writes.findLast((w) => w.table === table && w.key === key)?.compressed;
  }

  private table(name: string, create = false): Map<string, Item> | undefined {
    let table = this.tables.get(name);
    if (!table && create) {
      table = new Map();
      this.tables.set(name, table);
    }
    return table;
  }

  async get(table: string, key: string): Promise<string | undefined> {
    return this.table(table)?.get(key)?.value;
  }

  async getWithCapacity(table: string, key: string): Promise<{ value: string | undefined; consumedReadCapacity: number }> {
    return { value: await this.get(table, key), consumedReadCapacity: 0 };
  }

  // Check-and-write happens without an await in between, so racing callers see one winner.
  private write(table: string, key: string, value: string, compressed = false): void {
    this.writes.push({ table, key, compressed });
    const items = this.table(table, true)!;
    const item = items.get(key);
    if (item) item.value = value;
    else items.set(key, { value, attributes: {} });
  }

  async put(table: string, key: string, value: string, options?: { compress?: boolean }): Promise<void> {
    this.write(table, key, value, options?.compress === true);
  }

  async putIfAbsent(table: string, key: string, value: string): Promise<boolean> {
    if (this.table(table)?.get(key)?.value !== undefined) return false;
    this.write(table, key, value);
    return true;
  }

  async compareAndSet(table: string, key: string, expected: string | undefined, value: string): Promise<boolean> {
    if (this.table(table)?.get(key)?.value !== expected) return false;
    this.write(table, key, value);
    return true;
  }

  async delete(table: string, key: string): Promise<void> {
    this.table(table)?.delete(key);
  }

  async has(table: string, key: string): Promise<boolean> {
    return (await this.get(table, key)) !== undefined;
  }

  async keys(table: string): Promise<string[]> {
    return (await this.entries(table)).map(([key]) => key);
  }

  async entries(table: string): Promise<Array<[string, string]>> {
    const entries: Array<[string, string]> = [];
    for (const [key, item] of this.table(table) ?? []) if (item.value !== undefined) entries.push([key, item.value]);
    return entries;
  }

  async setNumericAttributes(table: string, key: string, attributes: Record<string, number>): Promise<void> {
    const items = this.table(table, true)!;
    const item = items.get(key) ?? { attributes: {} };
    item.attributes = { ...item.attributes, ...attributes };
    items.set(key, item);
  }

  async getNumericAttributes(table: string, key: string): Promise<Record<string, number>> {
    return { ...(this.table(table)?.get(key)?.attributes ?? {}) };
  }

  async ensureTables(tables: readonly string[]): Promise<void> {
    for (const name of tables) this.table(name, true);
  }

  async dropTables(tables: readonly string[]): Promise<void> {
    for (const name of tables) this.tables.delete(name);
  }
}

/** Test double: records progress steps and details instead of drawing them. */
export class RecordingProgress implements ProgressReporter {
  readonly steps: Array<{ title: string; details: string[] }> = [];
  readonly infos: string[] = [];
  readonly warnings: string[] = [];

  async step<T>(title: string, work: (update: (detail: string) => void) => Promise<T>): Promise<T> {
    const step = { title, details: [] as string[] };
    this.steps.push(step);
    return work((detail) => step.details.push(detail));
  }

  info(message: string): void {
    this.infos.push(message);
  }

  warn(message: string): void {
    this.warnings.push(message);
  }
}
