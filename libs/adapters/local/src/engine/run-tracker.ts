import type { RunTracker, TrackedExecution } from '@caribou/ports';
import type { LocalExecutionEngine } from './engine';

/** `caribou run --wait` locally: the run executes in this process, so wait for the engine and read its records. */
export class LocalRunTracker implements RunTracker {
  constructor(private readonly engine: LocalExecutionEngine) {}

  waitForSlot(): Promise<void> {
    return this.engine.waitForRunSlot();
  }

  async waitForRun(runId: string): Promise<{ failed: boolean; executions: TrackedExecution[] }> {
    const { failed } = await this.engine.waitForRun(runId);
    return { failed, executions: this.engine.executions(runId) };
  }
}
