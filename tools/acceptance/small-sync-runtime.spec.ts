import { SMALL_SYNC_TRUTH_TABLE } from './small-sync-truth-table';
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryLocalDeployment } from '@caribou/adapter-local/testing';
import { RunWorkflowService } from '@caribou/application';
import { CaribouWorkflow } from '@caribou/sdk';
import { handleInvocation } from '@caribou/sdk/runtime';
import type { WorkflowModule } from '@caribou/adapter-local';

const E = 'small_sync_example-0_0_1-initial_function:entry_point:0';
const S = 'small_sync_example-0_0_1-syncFunction:sync:';
const T = 'small_sync_example-0_0_1-secondSyncFunction:sync:';

function smallSyncModule(): { module: WorkflowModule; received: Record<string, unknown[][]> } {
  const received: Record<string, unknown[][]> = { syncFunction: [], secondSyncFunction: [] };
  const workflow = new CaribouWorkflow({ name: 'small_sync_example', version: '0.0.1' });
  workflow.serverlessFunction({ name: 'initial_function', entryPoint: true }, (event: unknown) => {
    const flags = (typeof event === 'string' ? JSON.parse(event) : event) as Record<string, boolean>;
    workflow.invokeServerlessFunction(syncFunction, { from: 'first call' }, flags.execute_1);
    workflow.invokeServerlessFunction(syncFunction, { from: 'second call' }, flags.execute_2);
    workflow.invokeServerlessFunction(secondSyncFunction, { from: 'entry' }, flags.execute_3);
    return { status: 200 };
  });
  const syncFunction = workflow.serverlessFunction({ name: 'syncFunction' }, async () => {
    received.syncFunction!.push(await workflow.getPredecessorData());
    workflow.invokeServerlessFunction(secondSyncFunction, { from: 'syncFunction' });
    return { status: 200 };
  });
  const secondSyncFunction = workflow.serverlessFunction({ name: 'secondSyncFunction' }, async () => {
    received.secondSyncFunction!.push(await workflow.getPredecessorData());
    return { status: 200 };
  });
  return { module: { workflow, handleInvocation } as unknown as WorkflowModule, received };
}

const instances = {
  [E]: { instance_name: E, regions_and_providers: { providers: {} }, preceding_instances: [], succeeding_instances: [S, S, T], dependent_sync_predecessors: [[E, S], [E, T]] as Array<[string, string]> },
  [S]: { instance_name: S, regions_and_providers: { providers: {} }, preceding_instances: [E, E], succeeding_instances: [T], dependent_sync_predecessors: [[S, T]] as Array<[string, string]> },
  [T]: { instance_name: T, regions_and_providers: { providers: {} }, preceding_instances: [E, S], succeeding_instances: [], dependent_sync_predecessors: [] },
};


describe('small_sync_example on the local runtime', () => {
  let deployment: InMemoryLocalDeployment | undefined;
  afterEach(async () => {
    await deployment?.close();
    deployment = undefined;
  });

  it.each(SMALL_SYNC_TRUTH_TABLE)('execute_1=%s execute_2=%s execute_3=%s → syncFunction %s, secondSyncFunction %s (exactly once)', async (e1, e2, e3, syncRuns, secondRuns) => {
    const { module, received } = smallSyncModule();
    deployment = new InMemoryLocalDeployment(module);
    const fnOf = (instance: string) => instance.split(':')[0]!.split('-').pop()!;
    await deployment.deploy({ instances, current_instance_name: E }, fnOf, { provider: 'local', region: 'us-east-1' }, 'initial_function');
    const runner = new RunWorkflowService({
      store: deployment.store,
      invoker: deployment.engine.clientInvoker(),
      clock: deployment.clock,
      random: { random: () => 0.5, uuid: () => crypto.randomUUID().replace(/-/g, '') },
    });
    const { runId } = await runner.run('small_sync_example-0.0.1', JSON.stringify({ execute_1: e1, execute_2: e2, execute_3: e3 }));
    const { failed } = await deployment.engine.waitForRun(runId);
    expect(failed).toBe(false);
    const executed = deployment.engine.executions(runId).map((x) => x.instance_name);
    expect(executed.filter((x) => x === S)).toHaveLength(syncRuns ? 1 : 0);
    expect(executed.filter((x) => x === T)).toHaveLength(secondRuns ? 1 : 0);
    expect(executed.filter((x) => x === E)).toHaveLength(1);
    if (secondRuns) {
      // secondSyncFunction sees exactly the payloads of the direct calls that happened.
      const expected = [...(e3 ? [{ from: 'entry' }] : []), ...(syncRuns ? [{ from: 'syncFunction' }] : [])];
      expect(received.secondSyncFunction![0]).toEqual(expect.arrayContaining(expected));
      expect(received.secondSyncFunction![0]).toHaveLength(expected.length);
    }
    if (syncRuns) {
      const expected = [...(e1 ? [{ from: 'first call' }] : []), ...(e2 ? [{ from: 'second call' }] : [])];
      expect(received.syncFunction![0]).toEqual(expected);
    }
  });
});
