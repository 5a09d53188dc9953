import type { KeyValueStore } from '@caribou/ports';

/** Test double: named tables as Maps (insertion order = key order); writes are logged. */
export class MemoryStore implements KeyValueStore {
  readonly tables = new Map<string, Map<string, string>>();
  readonly writes: Array<{ table: string; key: string }> = [];

  private table(name: string): Map<string, string> {
    let table = this.tables.get(name);
    if (!table) this.tables.set(name, (table = new Map()));
    return table;
  }

  /** Puts a row as JSON (test setup). */
  seed(table: string, key: string, row: unknown): void {
    this.table(table).set(key, JSON.stringify(row));
  }

  /** The parsed row, or undefined. */
  row(table: string, key: string): unknown {
    const text = this.tables.get(table)?.get(key);
    return text === undefined ? undefined : JSON.parse(text);
  }

  async get(table: string, key: string): Promise<string | undefined> {
    return this.tables.get(table)?.get(key);
  }
  async getWithCapacity(table: string, key: string) {
    return { value: await this.get(table, key), consumedReadCapacity: 0 };
  }
  async put(table: string, key: string, value: string): Promise<void> {
    this.writes.push({ table, key });
    this.table(table).set(key, value);
  }
  async putIfAbsent(table: string, key: string, value: string): Promise<boolean> {
    if (this.table(table).has(key)) return false;
    await this.put(table, key, value);
    return true;
  }
  async compareAndSet(table: string, key: string, expected: string | undefined, value: string): Promise<boolean> {
    if (this.table(table).get(key) !== expected) return false;
    await this.put(table, key, value);
    return true;
  }
  async delete(table: string, key: string): Promise<void> {
    this.tables.get(table)?.delete(key);
  }
  async has(table: string, key: string): Promise<boolean> {
    return this.tables.get(table)?.has(key) ?? false;
  }
  async keys(table: string): Promise<string[]> {
    return [...(this.tables.get(table)?.keys() ?? [])];
  }
  async entries(table: string): Promise<Array<[string, string]>> {
    return [...(this.tables.get(table)?.entries() ?? [])];
  }
  async setNumericAttributes(): Promise<void> {}
  async getNumericAttributes(): Promise<Record<string, number>> {
    return {};
  }
  async ensureTables(): Promise<void> {}
  async dropTables(): Promise<void> {}
}
