/** Waits for a run to finish and reports what ran where (`caribou run --wait`). */
export interface RunTracker {
  /** Resolves when another run may start (the local engine runs a bounded number at once); absent where runs execute remotely. */
  waitForSlot?(): Promise<void>;
  waitForRun(runId: string): Promise<{ failed: boolean; executions: Array<{ instance_name: string; region: string; status: string; error?: string | null }> }>;
}
