import type { ProviderRegion } from '@caribou/domain-common';

/** What a reader needs of a function's log, so a platform that can filter reads less. */
export interface LogReadOptions {
  /**
   * Only lines containing one of these texts are wanted. A saving only: a source may still
   * return other lines (emulators ignore CloudWatch filter patterns), so readers filter again.
   */
  containingAny?: readonly string[];
}

/** Reads a function's log lines (raw text as the platform stored them) in [startMs, endMs). */
export interface LogSource {
  getLogsBetween(region: ProviderRegion, functionName: string, startMs: number, endMs: number, options?: LogReadOptions): Promise<string[]>;
  /**
   * The same lines as `getLogsBetween`, in the same order, a chunk at a time: a reader that
   * folds them as they come holds one chunk, not the whole window. Absent: one chunk.
   */
  streamLogsBetween?(region: ProviderRegion, functionName: string, startMs: number, endMs: number, options?: LogReadOptions): AsyncIterable<string[]>;
  /**
   * Where a person reads these functions' logs, in the platform's words, for messages such as
   * `run --wait` giving up (e.g. "the CloudWatch log groups /aws/lambda/<function> (…)").
   */
  describeLogs?(functions: ReadonlyArray<{ region: ProviderRegion; functionName: string }>): string;
  /** Lambda-Insights-like JSON records; [] where the platform has none. */
  getInsightsBetween(region: ProviderRegion, functionName: string, startMs: number, endMs: number): Promise<string[]>;
  /** Deletes the function's logs (local provider only; CloudWatch data is kept, as the reference does). */
  removeLogs?(region: ProviderRegion, functionName: string): Promise<void>;
  /**
   * Where the platform knows which runs are still executing (the local provider): the time
   * up to which its logs are final — every line stamped before it is written and no run has
   * lines on both sides of it. Where it is absent, a log sync leaves a buffer instead.
   */
  settledUntil?(nowMs: number): Promise<number>;
  /** Runs that will never finish (the process executing them died), not reported before. */
  interruptedRuns?(): Promise<UnfinishedRun[]>;
  /** The runs were reported: later calls to `interruptedRuns` leave them out. */
  acknowledgeInterruptedRuns?(runIds: readonly string[]): Promise<void>;
}

/** A run that started and will never finish. */
export interface UnfinishedRun {
  runId: string;
  /** When it started, epoch ms. */
  startedAtMs: number;
}
