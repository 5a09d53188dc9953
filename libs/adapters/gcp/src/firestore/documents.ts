import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { FieldPath, type DocumentReference, type DocumentSnapshot, type Firestore, type Precondition } from '@google-cloud/firestore';
import { CaribouError } from '@caribou/domain-common';
import { DamagedStoredValueError } from '@caribou/ports';
import { describeGcpError, GrpcStatus, hasGrpcCode } from '../errors';

/** Firestore refuses ids with `/`, the ids `.` and `..`, and ids like `__x__`; ids are at most 1,500 bytes. */
const MAX_ID_BYTES = 1500;
const RESERVED_ID = /^(\.|\.\.|__.*__)$/;

/**
 * A document id for any non-empty key: `%` and `/` are percent-escaped, and a reserved id
 * gets a leading `%` (never produced by the escaping), so distinct keys get distinct ids.
 * Documents also keep the key itself in a field, so ids are never decoded.
 */
export function documentId(key: string, where: string): string {
  if (key === '') throw new CaribouError(`${where}: an empty key cannot name a Firestore document; use a non-empty key`);
  let id = key.replace(/%/g, '%25').replace(/\//g, '%2F');
  if (RESERVED_ID.test(id)) id = `%${id}`;
  if (Buffer.byteLength(id, 'utf8') > MAX_ID_BYTES) {
    throw new CaribouError(`${where}: key of ${Buffer.byteLength(key, 'utf8')} bytes is over Firestore's ${MAX_ID_BYTES}-byte document id limit; use a shorter key`);
  }
  return id;
}

/** Collection ids follow the document id rules; table names are fixed identifiers, so they are checked, not escaped. */
export function collectionId(table: string): string {
  if (!table || table.includes('/') || RESERVED_ID.test(table) || Buffer.byteLength(table, 'utf8') > MAX_ID_BYTES) {
    throw new CaribouError(`Table name ${JSON.stringify(table)} cannot be a Firestore collection id (no '/', not '.', '..' or __name__); rename the table`);
  }
  return table;
}

/** Compressed values are brotli bytes, as on the other providers; text mode suits the JSON we store. */
export function compressText(value: string): Buffer {
  return brotliCompressSync(Buffer.from(value, 'utf8'), {
    params: { [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY },
  });
}

/** A stored value as text: strings as they are, bytes decompressed. */
export function storedText(value: unknown, where: { table: string; key: string }): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) {
    try {
      return brotliDecompressSync(value).toString('utf8');
    } catch (error) {
      throw new DamagedStoredValueError(where.table, where.key, `bytes that are not brotli-compressed text: ${(error as Error).message}`);
    }
  }
  throw new DamagedStoredValueError(where.table, where.key, `a ${typeof value} value where text or compressed bytes belong`);
}

/** Errors meaning "someone else wrote the document since we read it": read again and decide again. */
export function lostRace(error: unknown): boolean {
  return hasGrpcCode(error, GrpcStatus.ALREADY_EXISTS, GrpcStatus.FAILED_PRECONDITION, GrpcStatus.ABORTED, GrpcStatus.NOT_FOUND);
}

/** The precondition of a compare-and-set write: the document is still the version we read. */
export function unchangedSince(snapshot: DocumentSnapshot): Precondition {
  return snapshot.exists ? { lastUpdateTime: snapshot.updateTime! } : { exists: false };
}

/** One field to write, by its path segments (map keys may hold any character, so no dotted strings). */
export type FieldWrite = [segments: string[], value: unknown];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Optimistic read-decide-write on one document. `decide` sees a consistent snapshot and
 * returns what to write (or nothing) and the answer; the write is conditional on the
 * document being unchanged (`create` when it was absent, `update` at the read version
 * otherwise). A lost race reads again — each loss means another writer won a round, so
 * with N concurrent writers a writer needs at most N rounds.
 */
export async function compareAndWrite<T>(
  ref: DocumentReference,
  decide: (snapshot: DocumentSnapshot) => { write?: FieldWrite[]; result: T },
  describe: () => string,
  maxRounds = 64,
): Promise<T> {
  for (let round = 0; round < maxRounds; round += 1) {
    const snapshot = await ref.get();
    const { write, result } = decide(snapshot);
    if (!write || write.length === 0) return result;
    try {
      if (snapshot.exists) {
        const [[path, value], ...rest] = write;
        const more = rest.flatMap(([segments, next]) => [new FieldPath(...segments), next]);
        await ref.update(new FieldPath(...path), value, ...more, unchangedSince(snapshot));
      } else {
        const data: Record<string, unknown> = {};
        for (const [path, value] of write) assignPath(data, path, value);
        await ref.create(data);
      }
      return result;
    } catch (error) {
      if (!lostRace(error)) throw error;
      // Spread the retries of concurrent losers so they do not collide again at once.
      await sleep(Math.random() * Math.min(50, 2 ** round));
    }
  }
  throw new CaribouError(`${describe()}: the document kept changing during ${maxRounds} attempts; try again`);
}

function assignPath(data: Record<string, unknown>, segments: string[], value: unknown): void {
  let target = data;
  for (const segment of segments.slice(0, -1)) {
    target[segment] ??= {};
    target = target[segment] as Record<string, unknown>;
  }
  target[segments.at(-1)!] = value;
}

/** A missing database or a refused request, said in one line with what to do. */
export function firestoreFailure(action: string, where: string, databaseId: string, error: unknown): CaribouError {
  if (error instanceof CaribouError) return error;
  if (hasGrpcCode(error, GrpcStatus.NOT_FOUND)) {
    return new CaribouError(`Could not ${action} ${where}: Firestore database ${databaseId} does not exist; run caribou setup_tables or deploy again to create it`, { cause: error });
  }
  if (hasGrpcCode(error, GrpcStatus.INVALID_ARGUMENT) && /size|too (big|large)|exceeds/i.test(describeGcpError(error))) {
    return new CaribouError(`Could not ${action} ${where}: over Firestore's 1 MiB document limit; store less per key`, { cause: error });
  }
  return new CaribouError(`Could not ${action} ${where} in Firestore database ${databaseId}: ${describeGcpError(error)}`, { cause: error });
}

export type { Firestore };
