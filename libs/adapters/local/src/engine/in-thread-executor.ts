import type { LocalDatabase } from '../database';
import { functionEnvironment, withScopedEnvironment } from './function-environment';
import { runLocalInvocation } from './run-invocation';
import type { InvocationExecutor, InvocationOutcome, InvocationTask, OutgoingMessage, WorkflowModuleLoader } from './types';

/**
 * Runs invocations in this thread. Used by tests (workflows defined in memory) and
 * by small commands; per-invocation state lives in the SDK's async context, so
 * concurrent invocations do not interfere. Each invocation sees its function's own
 * environment in `process.env` through an async-context view, never the CLI's.
 */
export class InThreadExecutor implements InvocationExecutor {
  constructor(
    private readonly db: LocalDatabase,
    private readonly functionsDir: string,
    private readonly loadModule: WorkflowModuleLoader,
  ) {}

  async execute(task: InvocationTask, onSend: (send: OutgoingMessage) => void): Promise<InvocationOutcome> {
    const module = await this.loadModule(task.fn);
    return withScopedEnvironment(functionEnvironment(task), () => runLocalInvocation(this.db, this.functionsDir, module, task, onSend));
  }

  async close(): Promise<void> {}
}
