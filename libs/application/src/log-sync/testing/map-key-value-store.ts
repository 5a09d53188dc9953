import type { KeyValueStore } from '@caribou/ports';

/**
 * Test double: tables as Maps. Compression is not simulated; the flag each put used is
 * recorded instead, so tests can check that summaries are written compressed.
 */
export class MapKeyValueStore implements KeyValueStore {
  readonly tables = new Map<string, Map<string, string>>();
  readonly compressed = new Map<string, boolean>();
  readonly puts: Array<{ table: string; key: string }> = [];
  private readonly numeric = new Map<string, Record<string, number>>();

  private table(name: string): Map<string, string> {
    let table = this.tables.get(name);
    if (table === undefined) {
      table = new Map();
      this.tables.set(name, table);
    }
    return table;
  }

  async get(table: string, key: string): Promise<string | undefined> {
    return this.tables.get(table)?.get(key);
  }

  async getWithCapacity(table: string, key: string) {
    return { value: await this.get(table, key), consumedReadCapacity: 0 };
  }

  async put(table: string, key: string, value: string, options?: { compress?: boolean }): Promise<void> {
    this.table(table).set(key, value);
    this.compressed.set(`${table}/${key}`, options?.compress === true);
    this.puts.push({ table, key });
  }

  async putIfAbsent(table: string, key: string, value: string): Promise<boolean> {
    if (this.table(table).has(key)) return false;
    this.table(table).set(key, value);
    return true;
  }

  async compareAndSet(table: string, key: string, expected: string | undefined, value: string): Promise<boolean> {
    if (this.table(table).get(key) !== expected) return false;
    this.table(table).set(key, value);
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

  async setNumericAttributes(table: string, key: string, attributes: Record<string, number>): Promise<void> {
    this.numeric.set(`${table}/${key}`, { ...this.numeric.get(`${table}/${key}`), ...attributes });
  }

  async getNumericAttributes(table: string, key: string): Promise<Record<string, number>> {
    return { ...this.numeric.get(`${table}/${key}`) };
  }

  async ensureTables(tables: readonly string[]): Promise<void> {
    for (const table of tables) this.table(table);
  }

  async dropTables(tables: readonly string[]): Promise<void> {
    for (const table of tables) this.tables.delete(table);
  }
}
