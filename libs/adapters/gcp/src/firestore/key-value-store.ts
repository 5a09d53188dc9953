import { FieldPath, type DocumentSnapshot, type Firestore, type QueryDocumentSnapshot } from '@google-cloud/firestore';
import { CaribouError } from '@caribou/domain-common';
import type { KeyValueStore } from '@caribou/ports';
import type { GcpClients } from '../config';
import { collectionId, compareAndWrite, compressText, documentId, firestoreFailure, storedText } from './documents';

export interface FirestoreKeyValueStoreOptions {
  /** Documents per page when listing a table. */
  pageSize?: number;
  /** Creates the system region's database when missing (Firestore Admin); unset with the emulator, which creates it on first use. */
  ensureDatabase?: () => Promise<void>;
}

/** Field names of a framework-table document. */
export const KeyValueFields = {
  key: 'key',
  /** Text, or brotli bytes for compressed values. */
  value: 'value',
  /** Set with every value, so listings can skip documents that only hold numeric attributes. */
  hasValue: 'has_value',
  /** The collectors' timestamps next to the value (DynamoDB keeps them as top-level numbers). */
  numbers: 'numbers',
} as const;

const F = KeyValueFields;

/**
 * Framework tables on Firestore, in the system region's database: one collection per
 * table, one document per key (the key escaped into the id and kept in a field).
 * Conditional writes are compare-and-set on the document's update time, so concurrent
 * writers get exactly one winner; value writes leave the numeric attributes alone.
 */
export class FirestoreKeyValueStore implements KeyValueStore {
  private readonly db: Firestore;
  private readonly databaseId: string;

  constructor(
    clients: Pick<GcpClients, 'firestore' | 'databaseId'>,
    private readonly options: FirestoreKeyValueStoreOptions = {},
  ) {
    this.db = clients.firestore();
    this.databaseId = clients.databaseId();
  }

  private ref(table: string, key: string) {
    return this.db.collection(collectionId(table)).doc(documentId(key, `${table}[${key}]`));
  }

  private async read(table: string, key: string): Promise<DocumentSnapshot> {
    try {
      return await this.ref(table, key).get();
    } catch (error) {
      throw firestoreFailure('read', `${table}[${key}]`, this.databaseId, error);
    }
  }

  private text(table: string, key: string, snapshot: DocumentSnapshot): string | undefined {
    return storedText(snapshot.get(F.value), { table, key });
  }

  async get(table: string, key: string): Promise<string | undefined> {
    return this.text(table, key, await this.read(table, key));
  }

  /** Firestore bills reads per document, not per KB: one read unit per document returned. */
  async getWithCapacity(table: string, key: string): Promise<{ value: string | undefined; consumedReadCapacity: number }> {
    const snapshot = await this.read(table, key);
    return { value: this.text(table, key, snapshot), consumedReadCapacity: snapshot.exists ? 1 : 0 };
  }

  async put(table: string, key: string, value: string, options?: { compress?: boolean }): Promise<void> {
    const stored = options?.compress === true ? compressText(value) : value;
    try {
      await this.ref(table, key).set({ [F.key]: key, [F.value]: stored, [F.hasValue]: true }, { merge: true });
    } catch (error) {
      throw firestoreFailure('write', `${table}[${key}]`, this.databaseId, error);
    }
  }

  async putIfAbsent(table: string, key: string, value: string): Promise<boolean> {
    return this.compareAndSet(table, key, undefined, value);
  }

  async compareAndSet(table: string, key: string, expected: string | undefined, value: string): Promise<boolean> {
    const where = `${table}[${key}]`;
    try {
      return await compareAndWrite(
        this.ref(table, key),
        (snapshot) => {
          if (this.text(table, key, snapshot) !== expected) return { result: false };
          return { result: true, write: [[[F.key], key], [[F.value], value], [[F.hasValue], true]] };
        },
        () => `Could not write ${where}`,
      );
    } catch (error) {
      throw firestoreFailure('write', where, this.databaseId, error);
    }
  }

  async delete(table: string, key: string): Promise<void> {
    try {
      await this.ref(table, key).delete();
    } catch (error) {
      throw firestoreFailure('delete', `${table}[${key}]`, this.databaseId, error);
    }
  }

  async has(table: string, key: string): Promise<boolean> {
    return (await this.read(table, key)).get(F.value) !== undefined;
  }

  /** Every document with a value, in document id order, page by page. */
  private async *scan(table: string, withValues: boolean): AsyncGenerator<QueryDocumentSnapshot> {
    const pageSize = this.options.pageSize ?? 200;
    const fields = withValues ? [F.key, F.value] : [F.key];
    let query = this.db
      .collection(collectionId(table))
      .where(F.hasValue, '==', true)
      .orderBy(FieldPath.documentId())
      .select(...fields)
      .limit(pageSize);
    for (;;) {
      let page;
      try {
        page = await query.get();
      } catch (error) {
        throw firestoreFailure('list', table, this.databaseId, error);
      }
      yield* page.docs;
      if (page.size < pageSize) return;
      query = query.startAfter(page.docs.at(-1)!);
    }
  }

  async keys(table: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const doc of this.scan(table, false)) keys.push(doc.get(F.key) as string);
    return keys;
  }

  async entries(table: string): Promise<Array<[string, string]>> {
    const entries: Array<[string, string]> = [];
    for await (const doc of this.scan(table, true)) {
      const key = doc.get(F.key) as string;
      entries.push([key, storedText(doc.get(F.value), { table, key })!]);
    }
    return entries;
  }

  async setNumericAttributes(table: string, key: string, attributes: Record<string, number>): Promise<void> {
    const entries = Object.entries(attributes);
    if (entries.length === 0) return;
    for (const [name, number] of entries) {
      if (!Number.isFinite(number)) throw new CaribouError(`Numeric attribute ${name} of ${table}[${key}] must be a finite number, got ${number}`);
    }
    try {
      // A merge writes into the map key by key: other attributes and the value stay.
      await this.ref(table, key).set({ [F.key]: key, [F.numbers]: Object.fromEntries(entries) }, { merge: true });
    } catch (error) {
      throw firestoreFailure('write', `${table}[${key}]`, this.databaseId, error);
    }
  }

  async getNumericAttributes(table: string, key: string): Promise<Record<string, number>> {
    const numbers = (await this.read(table, key)).get(F.numbers) as Record<string, unknown> | undefined;
    return Object.fromEntries(Object.entries(numbers ?? {}).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
  }

  /**
   * Collections exist as soon as a document does, so there is nothing to create; the names
   * are checked and the database is read once, so a missing database is reported here.
   */
  async ensureTables(tables: readonly string[]): Promise<void> {
    for (const table of tables) collectionId(table);
    if (tables.length > 0) await this.options.ensureDatabase?.();
    if (tables.length > 0) await this.read(tables[0]!, 'caribou-probe');
  }

  async dropTables(tables: readonly string[]): Promise<void> {
    for (const table of tables) {
      try {
        await this.db.recursiveDelete(this.db.collection(collectionId(table)));
      } catch (error) {
        throw firestoreFailure('drop', table, this.databaseId, error);
      }
    }
  }
}
