import { CaribouError } from '@caribou/domain-common';
import type { KeyValueStore } from '@caribou/ports';
import { STORED_ROWS, type StoredRow, type StoredTable } from './stored-row-schemas';

/**
 * A framework table row that cannot be read (not JSON, not the shape this version writes):
 * the message names the table, the key (and the field inside the row) and how to recover.
 */
export class StoredRowError extends CaribouError {}

/** `.a.b[0]` from a zod issue's path. */
const pathOf = (path: readonly PropertyKey[]): string => path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');

/**
 * A stored row of `table` checked against its schema (stored-row-schemas.ts). A damaged row —
 * not text, not JSON, or not of the shape — is a one-line StoredRowError naming the table, the
 * key, the field inside the row and the fix.
 */
export function parseRow<T extends StoredTable>(table: T, key: string, text: unknown): StoredRow<T> {
  const { schema, fix } = STORED_ROWS[table];
  const name = `${table}[${key}]`;
  if (typeof text !== 'string') throw new StoredRowError(`Stored row ${name} is damaged (missing or not text): ${fix(key)}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StoredRowError(`Stored row ${name} is damaged (not JSON: ${(error as Error).message}): ${fix(key)}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const reason = issue.message.split('\n').map((line) => line.trim()).filter(Boolean).join(' ');
    throw new StoredRowError(`Stored row ${name}${pathOf(issue.path)} is damaged (${reason}): ${fix(key)}`);
  }
  return parsed.data as StoredRow<T>;
}

/** As parseRow, reading the row first: undefined when it is absent (or empty, as the reference treats it). */
export async function readRow<T extends StoredTable>(store: KeyValueStore, table: T, key: string): Promise<StoredRow<T> | undefined> {
  const text = await store.get(table, key);
  return text === undefined || text.trim() === '' ? undefined : parseRow(table, key, text);
}

/** Every row of `table`, checked, in the table's order. */
export async function readRows<T extends StoredTable>(store: KeyValueStore, table: T): Promise<Array<[string, StoredRow<T>]>> {
  return (await store.entries(table)).map(([key, text]) => [key, parseRow(table, key, text)]);
}
