import { FieldValue, Timestamp, type Firestore } from '@google-cloud/firestore';
import { SYNC_TABLE_TTL_SECONDS, SyncTables, type ProviderRegion } from '@caribou/domain-common';
import type { Clock, ExecutionClaim, ExecutionKey, ExecutionMarkerProvider, ExecutionMarkerStore } from '@caribou/ports';
import { systemClock } from '@caribou/sdk/runtime';
import type { GcpClients } from '../config';
import { compareAndWrite, documentId, firestoreFailure } from './documents';

/** Fields of an `execution_marker_table` document (id `<instance>:<run id>`). */
export const MarkerFields = {
  state: 'state',
  holder: 'holder',
  /** Epoch milliseconds the holder's lease ends. */
  lease: 'lease_expires_at',
  sends: 'sends',
  ttl: 'cb_ttl_expiration_time',
} as const;

/**
 * Execution markers of one region in its Firestore database: acquiring and releasing are
 * compare-and-set on the marker's document (so exactly one concurrent delivery wins), sends
 * are an array union.
 */
export class FirestoreExecutionMarkerStore implements ExecutionMarkerStore {
  constructor(
    private readonly db: Firestore,
    private readonly databaseId: string,
    private readonly clock: Clock = systemClock,
  ) {}

  private ref(key: ExecutionKey) {
    const id = `${key.instance}:${key.runId}`;
    return this.db.collection(SyncTables.executionMarkers).doc(documentId(id, `${SyncTables.executionMarkers}[${id}]`));
  }

  private expiry(): Timestamp {
    return Timestamp.fromMillis(this.clock.now() + SYNC_TABLE_TTL_SECONDS * 1000);
  }

  async acquire(key: ExecutionKey, holder: string, leaseMs: number): Promise<ExecutionClaim> {
    const where = `the execution marker of ${key.instance} in run ${key.runId}`;
    const now = this.clock.now();
    try {
      return await compareAndWrite<ExecutionClaim>(
        this.ref(key),
        (snapshot) => {
          const state = snapshot.get(MarkerFields.state) as string | undefined;
          const lease = Number(snapshot.get(MarkerFields.lease) ?? 0);
          if (state === 'finished') return { result: { status: 'finished' } };
          if (state === 'running' && lease >= now) {
            return { result: { status: 'held', holder: String(snapshot.get(MarkerFields.holder) ?? ''), leaseExpiresAtMs: lease } };
          }
          return {
            result: { status: 'acquired', completedSends: ((snapshot.get(MarkerFields.sends) as string[] | undefined) ?? []).map(String) },
            write: [
              [[MarkerFields.state], 'running'],
              [[MarkerFields.holder], holder],
              [[MarkerFields.lease], now + leaseMs],
              [[MarkerFields.ttl], this.expiry()],
            ],
          };
        },
        () => `Could not take ${where}`,
      );
    } catch (error) {
      throw firestoreFailure('take', where, this.databaseId, error);
    }
  }

  async recordSend(key: ExecutionKey, sendKey: string): Promise<void> {
    try {
      await this.ref(key).set({ [MarkerFields.sends]: FieldValue.arrayUnion(sendKey), [MarkerFields.ttl]: this.expiry() }, { merge: true });
    } catch (error) {
      throw firestoreFailure('record', `send ${sendKey} of ${key.instance} in run ${key.runId}`, this.databaseId, error);
    }
  }

  async finish(key: ExecutionKey, _holder: string): Promise<void> {
    try {
      await this.ref(key).set({ [MarkerFields.state]: 'finished', [MarkerFields.ttl]: this.expiry() }, { merge: true });
    } catch (error) {
      throw firestoreFailure('finish', `the execution marker of ${key.instance} in run ${key.runId}`, this.databaseId, error);
    }
  }

  async release(key: ExecutionKey, holder: string): Promise<void> {
    const where = `the execution marker of ${key.instance} in run ${key.runId}`;
    try {
      await compareAndWrite(
        this.ref(key),
        (snapshot) => {
          const mine = snapshot.get(MarkerFields.state) === 'running' && snapshot.get(MarkerFields.holder) === holder;
          return mine ? { result: undefined, write: [[[MarkerFields.state], 'released']] } : { result: undefined };
        },
        () => `Could not release ${where}`,
      );
    } catch (error) {
      throw firestoreFailure('release', where, this.databaseId, error);
    }
  }
}

export class FirestoreExecutionMarkerProvider implements ExecutionMarkerProvider {
  private readonly stores = new Map<string, FirestoreExecutionMarkerStore>();

  constructor(
    private readonly clients: Pick<GcpClients, 'firestore' | 'databaseId'>,
    private readonly clock: Clock = systemClock,
  ) {}

  forRegion(region: ProviderRegion): FirestoreExecutionMarkerStore {
    let store = this.stores.get(region.region);
    if (!store) {
      store = new FirestoreExecutionMarkerStore(this.clients.firestore(region.region), this.clients.databaseId(region.region), this.clock);
      this.stores.set(region.region, store);
    }
    return store;
  }
}
