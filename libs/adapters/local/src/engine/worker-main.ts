import { parentPort, workerData } from 'node:worker_threads';
import { LocalDatabase } from '../database';
import { importDeployedBundle } from './bundle-loader';
import { functionEnvironment } from './function-environment';
import { runLocalInvocation } from './run-invocation';
import type { InvocationTask } from './types';

/**
 * A worker thread of the local platform: a warm "container" that runs one invocation
 * at a time with the function's environment variables applied, like a Lambda sandbox.
 */
interface WorkerConfig {
  dbPath: string;
  functionsDir: string;
}

const { dbPath, functionsDir } = workerData as WorkerConfig;
const db = new LocalDatabase(dbPath);

parentPort!.on('message', (message: { type: 'execute'; id: number; task: InvocationTask } | { type: 'close' }) => {
  if (message.type === 'close') {
    // Ends the thread on its own: terminate() while libsql is inside a native call (or its
    // finalizers run on a terminating thread) aborts the whole process (neon's external.rs assertion).
    db.close();
    parentPort!.close();
    return;
  }
  void execute(message.id, message.task);
});

async function execute(id: number, task: InvocationTask): Promise<void> {
  // The worker starts with an empty environment (see WorkerThreadExecutor); each invocation gets its function's.
  process.env = functionEnvironment(task);
  try {
    const module = await importDeployedBundle(task.fn);
    const outcome = await runLocalInvocation(db, functionsDir, module, task, (send) => parentPort!.postMessage({ type: 'send', id, send }), {
      captureConsole: true,
    });
    parentPort!.postMessage({ type: 'done', id, outcome });
  } catch (error) {
    parentPort!.postMessage({ type: 'error', id, message: error instanceof Error ? error.message : String(error) });
  } finally {
    process.env = {};
  }
}
