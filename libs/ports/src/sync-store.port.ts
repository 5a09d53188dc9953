import type { ProviderRegion } from '@caribou/domain-common';

export interface PredecessorMark {
  predecessor: string;
  syncInstance: string;
  runId: string;
  /** true: the predecessor called the sync node; false: accounted for by a conditional skip. */
  directCall: boolean;
}

export interface MarkResult {
  /** direct_call flags of every predecessor marked so far for this sync node and run. */
  reached: boolean[];
  /** Size of the store's answer in GB (the reference logs it as SYNC_DATA_RESPONSE_SIZE). */
  responseSizeGb: number;
  consumedWriteCapacity: number;
}

/**
 * Fan-in state of one region (the sync node's region). Items expire after 24 h.
 * Unlike the reference, payloads are kept per message (no collapse of equal payloads)
 * and `claimInvocation` makes the sync node run exactly once per run.
 */
export interface SyncStore {
  /** Stores one predecessor payload for the sync node under the run; `messageId` makes retries idempotent. */
  uploadPredecessorData(
    syncInstance: string,
    runId: string,
    messageId: string,
    payload: string,
  ): Promise<{ consumedWriteCapacity: number }>;
  /** Atomically records the predecessor (overwrite when direct, only-if-absent when not) and returns all flags. */
  markPredecessorReached(mark: PredecessorMark): Promise<MarkResult>;
  /**
   * Atomically records `claimant` as the one who decides for the sync node in this run.
   * True for the first claimant, and again for the same claimant (a retried invocation
   * must be able to finish what it claimed); false for everybody else.
   */
  claimInvocation(syncInstance: string, runId: string, claimant: string): Promise<boolean>;
  /** All uploaded payloads in upload order ([] when none). */
  getPredecessorData(syncInstance: string, runId: string): Promise<{ payloads: string[]; consumedReadCapacity: number }>;
}

export interface SyncStoreProvider {
  forRegion(region: ProviderRegion): SyncStore;
  /** Creates the region's sync tables (with TTL) when missing. */
  ensureSyncTables(region: ProviderRegion): Promise<void>;
  removeSyncTables(region: ProviderRegion): Promise<void>;
}
