import type { ProviderRegion } from '@caribou/domain-common';

/** One execution of one instance of one run: what a marker is kept for. */
export interface ExecutionKey {
  runId: string;
  /** The instance name, e.g. `wf-0_0_1-join:sync:`. */
  instance: string;
}

/**
 * The answer to a delivery asking to execute (run, instance):
 * - `acquired`: this delivery runs the handler; `completedSends` are the successor sends an
 *   earlier attempt already made (a retry makes only the others);
 * - `held`: another delivery holds a live lease (a concurrent duplicate): skip;
 * - `finished`: another delivery ran it to the end (a late duplicate): skip.
 */
export type ExecutionClaim =
  | { status: 'acquired'; completedSends: string[] }
  | { status: 'held'; holder: string; leaseExpiresAtMs: number }
  | { status: 'finished' };

/**
 * Per-(run, instance) execution markers of one region (the region the instance runs in).
 * Platforms deliver asynchronous events at least once and retry failed ones, so a handler
 * would otherwise run twice; every method is one conditional write, and markers expire with
 * the sync tables' time to live (24 h).
 */
export interface ExecutionMarkerStore {
  /**
   * Takes the marker for `holder` until `leaseMs` from now when nobody holds it: absent,
   * released by a failed attempt, or held under a lease that ran out (its holder died).
   */
  acquire(key: ExecutionKey, holder: string, leaseMs: number): Promise<ExecutionClaim>;
  /** Records that the successor send `sendKey` was made (idempotent). */
  recordSend(key: ExecutionKey, sendKey: string): Promise<void>;
  /** The execution ended: every later delivery skips. */
  finish(key: ExecutionKey, holder: string): Promise<void>;
  /** The attempt failed: the platform's retry may take the marker at once (the sends made stay recorded). Only the holder releases. */
  release(key: ExecutionKey, holder: string): Promise<void>;
}

export interface ExecutionMarkerProvider {
  /** The markers of a region; the region's sync tables hold them (SyncStoreProvider.ensureSyncTables creates them). */
  forRegion(region: ProviderRegion): ExecutionMarkerStore;
}
