import type { LocalDatabase } from '../database';
import { runLocalInvocation } from './run-invocation';
import type { InvocationExecutor, InvocationOutcome, InvocationTask, OutgoingMessage, WorkflowModuleLoader } from './types';

/**
 * Runs invocations in this thread. Used by tests (workflows defined in memory) and
 * by small commands; per-invocation state lives in the SDK's async context, so
 * concurrent invocations do not interfere. Function environment variables are not
 * applied here (they would leak between concurrent invocations): the worker
 * executor applies them.
 */
export class InThreadExecutor implements InvocationExecutor {
  constructor(
    private readonly db: LocalDatabase,
    private readonly functionsDir: string,
    private readonly loadModule: WorkflowModuleLoader,
  ) {}

  async execute(task: InvocationTask, onSend: (send: OutgoingMessage) => void): Promise<InvocationOutcome> {
    const module = await this.loadModule(task.fn);
    return runLocalInvocation(this.db, this.functionsDir, module, task, onSend);
  }

  async close(): Promise<void> {}
}
