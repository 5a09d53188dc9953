import { afterAll, describe, expect, it } from 'vitest';
import { InMemoryLocalDeployment } from '@caribou/adapter-local/testing';
import type { WorkflowModule } from '@caribou/adapter-local';
import { mulberry32 } from '@caribou/domain-collection';
import { RunWorkflowService } from '@caribou/application';
import type { InstanceDescription } from '@caribou/domain-workflow';
import { CaribouWorkflow, type CaribouFunction } from '@caribou/sdk';
import { handleInvocation } from '@caribou/sdk/runtime';

function hashToBit(text: string): boolean {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return ((h >>> 0) & 1) === 1;
}

interface CallSite {
  id: string;
  caller: number;
  callee: number;
}

interface GeneratedDag {
  size: number;
  sites: CallSite[];
  isSync: boolean[];
}

/** A random workflow: function i is called from 1–3 call sites in earlier functions; more than one makes it a fan-in. */
function generateDag(random: () => number): GeneratedDag {
  const size = 2 + Math.floor(random() * 6);
  const sites: CallSite[] = [];
  for (let callee = 1; callee < size; callee++) {
    const count = random() < 0.5 ? 1 : 2 + Math.floor(random() * 2);
    for (let c = 0; c < count; c++) {
      sites.push({ id: `s${sites.length}`, caller: Math.floor(random() * callee), callee });
    }
  }
  const isSync = Array.from({ length: size }, (_, i) => sites.filter((s) => s.callee === i).length > 1);
  // Calls run in the order of the caller's body: sort by caller, keeping generation order.
  sites.sort((a, b) => a.caller - b.caller);
  return { size, sites, isSync };
}

const WF = 'prop';
const prefix = (i: number) => `${WF}-0_0_1-f${i}`;

function instancesOf(dag: GeneratedDag): { names: string[]; instances: Record<string, InstanceDescription> } {
  const names: string[] = [];
  for (let i = 0; i < dag.size; i++) {
    if (i === 0) names.push(`${prefix(0)}:entry_point:0`);
    else if (dag.isSync[i]) names.push(`${prefix(i)}:sync:`);
    else {
      const site = dag.sites.find((s) => s.callee === i)!;
      const callerName = names[site.caller]!;
      const k = dag.sites.filter((s) => s.caller === site.caller).indexOf(site);
      names.push(`${prefix(i)}:${callerName.split(':')[0]}_${callerName.split(':')[2]}_${k}:${i}`);
    }
  }
  const instances: Record<string, InstanceDescription> = {};
  for (let i = 0; i < dag.size; i++) {
    instances[names[i]!] = {
      instance_name: names[i]!,
      regions_and_providers: { providers: {} },
      preceding_instances: dag.sites.filter((s) => s.callee === i).map((s) => names[s.caller]!),
      succeeding_instances: dag.sites.filter((s) => s.caller === i).map((s) => names[s.callee]!),
      dependent_sync_predecessors: [],
    };
  }
  // Every path from a node to the first sync node on it contributes [last node before it, sync node].
  const dependents = (i: number, seen: Set<string>, out: Array<[string, string]>): void => {
    for (const site of dag.sites.filter((s) => s.caller === i)) {
      if (dag.isSync[site.callee]) {
        const pair: [string, string] = [names[i]!, names[site.callee]!];
        if (!out.some(([a, b]) => a === pair[0] && b === pair[1])) out.push(pair);
      } else if (!seen.has(names[site.callee]!)) {
        seen.add(names[site.callee]!);
        dependents(site.callee, seen, out);
      }
    }
  };
  for (let i = 0; i < dag.size; i++) dependents(i, new Set(), instances[names[i]!]!.dependent_sync_predecessors);
  return { names, instances };
}

function moduleOf(dag: GeneratedDag): WorkflowModule {
  const workflow = new CaribouWorkflow({ name: WF, version: '0.0.1' });
  const functions: CaribouFunction[] = [];
  for (let i = 0; i < dag.size; i++) {
    const mySites = dag.sites.filter((s) => s.caller === i);
    functions.push(
      workflow.serverlessFunction({ name: `f${i}`, entryPoint: i === 0 }, async () => {
        if (dag.isSync[i]) await workflow.getPredecessorData();
        for (const site of mySites) {
          workflow.invokeServerlessFunction(functions[site.callee]!, { site: site.id }, hashToBit(workflow.getRunId() + site.id));
        }
        return { ok: true };
      }),
    );
  }
  return { workflow, handleInvocation } as unknown as WorkflowModule;
}

function expectedExecutions(dag: GeneratedDag, runId: string): boolean[] {
  const executed = Array.from({ length: dag.size }, (_, i) => i === 0);
  for (let callee = 1; callee < dag.size; callee++) {
    executed[callee] = dag.sites.some((s) => s.callee === callee && executed[s.caller] && hashToBit(runId + s.id));
  }
  return executed;
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
