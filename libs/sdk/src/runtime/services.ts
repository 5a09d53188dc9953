import type { ProviderRegion } from '@caribou/domain-common';
import type { Clock, ExecutionMarkerStore, FunctionInvoker, KeyValueStore, RandomSource, SyncStore } from '@caribou/ports';

/**
 * What a deployed function needs from its platform for one invocation. The Lambda
 * handler and the local executor each build one per invocation; nothing in the
 * runtime is shared between invocations except these (stateless) clients.
 */
export interface RuntimeServices {
  /** The provider and region this copy of the function runs in. */
  region: ProviderRegion;
  /** Framework tables in the system region (the placement decision). */
  store: KeyValueStore;
  /** The fan-in store of a region (the sync node's region). */
  syncStore(region: ProviderRegion): SyncStore;
  invoker: FunctionInvoker;
  /** Execution markers of this region: a duplicated or retried delivery runs the handler once. */
  markers: ExecutionMarkerStore;
  /**
   * How long this invocation may still run before the platform ends it (Lambda's
   * `getRemainingTimeInMillis`): the lease its marker takes, so a delivery that died
   * cannot block its retry for longer.
   */
  remainingTimeMs(): number;
  clock: Clock;
  random: RandomSource;
  /** Writes one raw log line (stdout on Lambda, the log table locally). */
  log(line: string): void;
  /** The platform's id of this invocation (Lambda request id). */
  requestId: string;
  cpuModel: string;
}
