import { FieldValue, Timestamp, type DocumentSnapshot, type Firestore } from '@google-cloud/firestore';
import { SYNC_TABLE_TTL_SECONDS, SyncTables, type ProviderRegion } from '@caribou/domain-common';
import type { Clock, MarkResult, PredecessorMark, SyncStore, SyncStoreProvider } from '@caribou/ports';
import { systemClock } from '@caribou/sdk/runtime';
import type { GcpClients } from '../config';
import { compareAndWrite, documentId, firestoreFailure } from './documents';

/** Field names of the fan-in documents. */
export const SyncFields = {
  /** A Timestamp: Firestore's TTL policies delete documents once this time has passed. */
  ttl: 'cb_ttl_expiration_time',
  /** Map message id → payload (kept per message, never merged by content). */
  messages: 'message',
  /** Message ids in the order their first upload was applied. */
  messageOrder: 'message_order',
  /** Map sync instance → map predecessor edge → direct call (true) or conditional skip (false). */
  predecessors: 'predecessors',
  /** Map sync instance → the claimant that decides whether it runs. */
  invoked: 'invoked',
} as const;

/**
 * Fan-in state of one region in that region's Firestore database, in two collections
 * named like the DynamoDB tables: `sync_messages_table` (one document per sync node and
 * run) and `sync_predecessor_counter_table` (one document per run). Uploads are merges
 * (atomic per document); marks and the claim are compare-and-set on the run's document,
 * so each caller sees a consistent set of flags and exactly one claimant wins.
 * Firestore bills per document, so each call reports one unit of capacity.
 */
export class FirestoreSyncStore implements SyncStore {
  constructor(
    private readonly db: Firestore,
    private readonly databaseId: string,
    private readonly clock: Clock = systemClock,
  ) {}

  private expiry(): Timestamp {
    return Timestamp.fromMillis(this.clock.now() + SYNC_TABLE_TTL_SECONDS * 1000);
  }

  private messagesRef(syncInstance: string, runId: string) {
    const id = `${syncInstance}:${runId}`;
    return this.db.collection(SyncTables.messages).doc(documentId(id, `${SyncTables.messages}[${id}]`));
  }

  private counterRef(runId: string) {
    return this.db.collection(SyncTables.predecessorCounter).doc(documentId(runId, `${SyncTables.predecessorCounter}[${runId}]`));
  }

  async uploadPredecessorData(syncInstance: string, runId: string, messageId: string, payload: string): Promise<{ consumedWriteCapacity: number }> {
    try {
      // A merge sets only this message's key; arrayUnion appends the id once, so a retried upload replaces its payload in place.
      await this.messagesRef(syncInstance, runId).set(
        {
          [SyncFields.messages]: { [messageId]: payload },
          [SyncFields.messageOrder]: FieldValue.arrayUnion(messageId),
          [SyncFields.ttl]: this.expiry(),
        },
        { merge: true },
      );
    } catch (error) {
      throw firestoreFailure('store', `message ${messageId} for ${syncInstance} in run ${runId}`, this.databaseId, error);
    }
    return { consumedWriteCapacity: 1 };
  }

  async markPredecessorReached(mark: PredecessorMark): Promise<MarkResult> {
    const where = `the mark of ${mark.predecessor} for ${mark.syncInstance} in run ${mark.runId}`;
    const ref = this.counterRef(mark.runId);
    try {
      return await compareAndWrite(
        ref,
        (snapshot) => {
          const flags = { ...this.flags(snapshot, mark.syncInstance) };
          const current = flags[mark.predecessor];
          // A direct call always wins; a conditional skip never overrides what is recorded.
          const next = mark.directCall ? true : (current ?? false);
          flags[mark.predecessor] = next;
          const document = { ...(snapshot.data() ?? {}), [SyncFields.predecessors]: { ...this.allFlags(snapshot), [mark.syncInstance]: flags } };
          const result: MarkResult = {
            reached: Object.values(flags),
            responseSizeGb: Buffer.byteLength(JSON.stringify(document), 'utf8') / 1024 ** 3,
            consumedWriteCapacity: current === next ? 0 : 1,
          };
          if (current === next) return { result };
          return {
            result,
            write: [
              [[SyncFields.predecessors, mark.syncInstance], flags],
              [[SyncFields.ttl], this.expiry()],
            ],
          };
        },
        () => `Could not record ${where}`,
      );
    } catch (error) {
      throw firestoreFailure('record', where, this.databaseId, error);
    }
  }

  private allFlags(snapshot: DocumentSnapshot): Record<string, Record<string, boolean>> {
    return (snapshot.get(SyncFields.predecessors) as Record<string, Record<string, boolean>> | undefined) ?? {};
  }

  private flags(snapshot: DocumentSnapshot, syncInstance: string): Record<string, boolean> {
    return this.allFlags(snapshot)[syncInstance] ?? {};
  }

  async claimInvocation(syncInstance: string, runId: string, claimant: string): Promise<boolean> {
    const where = `the claim on ${syncInstance} in run ${runId}`;
    try {
      return await compareAndWrite(
        this.counterRef(runId),
        (snapshot) => {
          const holder = ((snapshot.get(SyncFields.invoked) as Record<string, string> | undefined) ?? {})[syncInstance];
          // The claim holds who claimed, so the claimant's own retry still gets it.
          if (holder !== undefined) return { result: holder === claimant };
          return {
            result: true,
            write: [
              [[SyncFields.invoked, syncInstance], claimant],
              [[SyncFields.ttl], this.expiry()],
            ],
          };
        },
        () => `Could not record ${where}`,
      );
    } catch (error) {
      throw firestoreFailure('record', where, this.databaseId, error);
    }
  }

  async getPredecessorData(syncInstance: string, runId: string): Promise<{ payloads: string[]; consumedReadCapacity: number }> {
    let snapshot;
    try {
      snapshot = await this.messagesRef(syncInstance, runId).get();
    } catch (error) {
      throw firestoreFailure('read', `the messages for ${syncInstance} in run ${runId}`, this.databaseId, error);
    }
    const messages = (snapshot.get(SyncFields.messages) as Record<string, unknown> | undefined) ?? {};
    const order = (snapshot.get(SyncFields.messageOrder) as unknown[] | undefined) ?? [];
    const payloads = order.map((id) => messages[String(id)]).filter((payload): payload is string => typeof payload === 'string');
    return { payloads, consumedReadCapacity: snapshot.exists ? 1 : 0 };
  }
}

/**
 * What the control plane does for a region's fan-in state on real Google Cloud: create the
 * region's Firestore database and the TTL policies on `cb_ttl_expiration_time`. Neither has
 * an emulator API (the emulator creates databases on first use and enforces no TTL).
 */
export interface FirestoreRegionSetup {
  ensureDatabase(region: string, databaseId: string): Promise<void>;
  ensureTtlPolicy(databaseId: string, collectionGroup: string, field: string): Promise<void>;
}

/** Sync stores per region: each region's fan-in state lives in that region's Firestore database. */
export class FirestoreSyncStoreProvider implements SyncStoreProvider {
  private readonly stores = new Map<string, FirestoreSyncStore>();

  constructor(
    private readonly clients: Pick<GcpClients, 'firestore' | 'databaseId'>,
    private readonly clock: Clock = systemClock,
    private readonly setup?: FirestoreRegionSetup,
  ) {}

  forRegion(region: ProviderRegion): FirestoreSyncStore {
    let store = this.stores.get(region.region);
    if (!store) {
      store = new FirestoreSyncStore(this.clients.firestore(region.region), this.clients.databaseId(region.region), this.clock);
      this.stores.set(region.region, store);
    }
    return store;
  }

  async ensureSyncTables(region: ProviderRegion): Promise<void> {
    const databaseId = this.clients.databaseId(region.region);
    if (!this.setup) return;
    await this.setup.ensureDatabase(region.region, databaseId);
    for (const collection of [SyncTables.messages, SyncTables.predecessorCounter, SyncTables.executionMarkers]) {
      await this.setup.ensureTtlPolicy(databaseId, collection, SyncFields.ttl);
    }
  }

  async removeSyncTables(region: ProviderRegion): Promise<void> {
    const db = this.clients.firestore(region.region);
    for (const collection of [SyncTables.messages, SyncTables.predecessorCounter, SyncTables.executionMarkers]) {
      try {
        await db.recursiveDelete(db.collection(collection));
      } catch (error) {
        throw firestoreFailure('remove', `${collection} of ${region.region}`, this.clients.databaseId(region.region), error);
      }
    }
  }
}
