import { CaribouWorkflow } from '@caribou/sdk';

/**
 * Two fan-in (sync) functions fed conditionally, to show when a sync function runs.
 *
 *   initial_function ──(execute_1)──▶ syncFunction ──▶ secondSyncFunction
 *          │ ─────────(execute_2)──▶ ─┘                        ▲
 *          └──────────(execute_3)──────────────────────────────┘
 *
 * Every call runs on every invocation; a flag that is not `true` turns its call into a
 * conditional skip (third argument `false`), which tells the sync function downstream
 * not to wait for that caller.
 */
export const workflow = new CaribouWorkflow({ name: 'small_sync_example', version: '0.0.1' });

interface Flags {
  execute_1?: unknown;
  execute_2?: unknown;
  execute_3?: unknown;
}

/** `caribou run -a '<json>'` delivers the argument as a JSON string; other callers send the object. */
function readFlags(event: unknown): Flags {
  const value: unknown = typeof event === 'string' && event.trim() !== '' ? JSON.parse(event) : event;
  return typeof value === 'object' && value !== null ? (value as Flags) : {};
}

export const initialFunction = workflow.serverlessFunction(
  { name: 'initial_function', entryPoint: true },
  async (event: unknown) => {
    const flags = readFlags(event);
    workflow.invokeServerlessFunction(syncFunction, { from: 'initial_function', call: 1 }, flags.execute_1 === true);
    workflow.invokeServerlessFunction(syncFunction, { from: 'initial_function', call: 2 }, flags.execute_2 === true);
    workflow.invokeServerlessFunction(secondSyncFunction, { from: 'initial_function', call: 3 }, flags.execute_3 === true);
    return { status: 200 };
  },
);

export const syncFunction = workflow.serverlessFunction({ name: 'syncFunction' }, async () => {
  const received = await workflow.getPredecessorData();
  console.log('syncFunction received', JSON.stringify(received));
  workflow.invokeServerlessFunction(secondSyncFunction, { from: 'syncFunction', received: received.length });
  return { status: 200, received };
});

export const secondSyncFunction = workflow.serverlessFunction({ name: 'secondSyncFunction' }, async () => {
  const received = await workflow.getPredecessorData();
  console.log('secondSyncFunction received', JSON.stringify(received));
  return { status: 200, received };
});
