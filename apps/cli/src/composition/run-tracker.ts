/** Waits for a run to finish and reports what ran where (`caribou run --wait`). */
export interface RunTracker {
  waitForRun(runId: string): Promise<{ failed: boolean; executions: Array<{ instance_name: string; region: string; status: string; error?: string | null }> }>;
}
