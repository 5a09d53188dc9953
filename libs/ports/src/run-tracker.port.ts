/** One function execution of a run, as `caribou run --wait` reports it. */
export interface TrackedExecution {
  instance_name: string;
  /** `<provider>:<region>` of the copy that ran. */
  region: string;
  status: string;
  error?: string | null;
}

/** Waits for a run to finish and reports what ran where (`caribou run --wait`). */
export interface RunTracker {
  /** Resolves when another run may start (the local engine runs a bounded number at once); absent where runs execute remotely. */
  waitForSlot?(): Promise<void>;
  waitForRun(runId: string): Promise<{ failed: boolean; executions: TrackedExecution[] }>;
}
