import { afterAll, describe, expect, it } from 'vitest';
import { InMemoryLocalDeployment } from '@caribou/adapter-local/testing';
import type { WorkflowModule } from '@caribou/adapter-local';
import { mulberry32 } from '@caribou/domain-collection';
import { RunWorkflowService } from '@caribou/application';
import { expectedExecutions, generateDag, instancesOf, workflowOfDag, WF, type GeneratedDag } from './random-dags';
import { handleInvocation } from '@caribou/sdk/runtime';

function moduleOf(dag: GeneratedDag): WorkflowModule {
  return { workflow: workflowOfDag(dag), handleInvocation } as unknown as WorkflowModule;
}

describe('fan-in property: random DAGs with random conditionals', () => {
  const deployments: InMemoryLocalDeployment[] = [];
  afterAll(async () => {
    for (const d of deployments) await d.close();
  });

  it('1,000 runs: every node runs exactly once iff a running predecessor called it directly, and every run ends', async () => {
    const random = mulberry32(20261122);
    let runsChecked = 0;
    let fanInNodes = 0;
    for (let d = 0; d < 50; d++) {
      const dag = generateDag(random);
      fanInNodes += dag.isSync.filter(Boolean).length;
      const { names, instances } = instancesOf(dag);
      const deployment = new InMemoryLocalDeployment(moduleOf(dag), { concurrency: 8 });
      deployments.push(deployment);
      await deployment.deploy({ instances, current_instance_name: names[0]! }, (instance) => instance.split(':')[0]!.split('-').pop()!, { provider: 'local', region: 'us-east-1' }, 'f0');
      const runner = new RunWorkflowService({
        store: deployment.store,
        invoker: deployment.engine.clientInvoker(),
        clock: deployment.clock,
        random: { random, uuid: () => crypto.randomUUID().replace(/-/g, '') },
      });
      const runIds: string[] = [];
      for (let r = 0; r < 20; r++) runIds.push((await runner.run(`${WF}-0.0.1`, '{}')).runId);
      await deployment.engine.idle();
      for (const runId of runIds) {
        const { failed } = await deployment.engine.waitForRun(runId);
        expect(failed, `run ${runId} of DAG ${d} failed`).toBe(false);
        const executions = deployment.engine.executions(runId);
        const expected = expectedExecutions(dag, runId);
        for (let i = 0; i < dag.size; i++) {
          const count = executions.filter((x) => x.instance_name === names[i]).length;
          expect(count, `DAG ${d} run ${runId} node f${i}${dag.isSync[i] ? ' (fan-in)' : ''}`).toBe(expected[i] ? 1 : 0);
        }
        runsChecked += 1;
      }
    }
    expect(runsChecked).toBe(1000);
    expect(fanInNodes).toBeGreaterThan(20);
  }, 240_000);
});
