import type { InstanceDescription } from '@caribou/domain-workflow';
import { CaribouWorkflow, type CaribouFunction } from '@caribou/sdk';

/**
 * Random workflows for the fan-in properties: function i is called from 1–3 call sites in
 * earlier functions (more than one makes it a fan-in), each call conditional on a bit of
 * (run id, call site), so which nodes should run is known from the run id alone.
 */
export function hashToBit(text: string): boolean {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return ((h >>> 0) & 1) === 1;
}

export interface CallSite {
  id: string;
  caller: number;
  callee: number;
}

export interface GeneratedDag {
  size: number;
  sites: CallSite[];
  isSync: boolean[];
}

/** A random workflow: function i is called from 1–3 call sites in earlier functions; more than one makes it a fan-in. */
export function generateDag(random: () => number): GeneratedDag {
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

export const WF = 'prop';
export const prefix = (i: number) => `${WF}-0_0_1-f${i}`;

export function instancesOf(dag: GeneratedDag): { names: string[]; instances: Record<string, InstanceDescription> } {
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

export function expectedExecutions(dag: GeneratedDag, runId: string): boolean[] {
  const executed = Array.from({ length: dag.size }, (_, i) => i === 0);
  for (let callee = 1; callee < dag.size; callee++) {
    executed[callee] = dag.sites.some((s) => s.callee === callee && executed[s.caller] && hashToBit(runId + s.id));
  }
  return executed;
}

/** What a DAG's functions report as they run (the fan-in properties count these). */
export interface DagObserver {
  entered?(node: number, runId: string): void;
  /** A fan-in node read this many predecessor payloads. */
  readPayloads?(node: number, count: number, runId: string): void;
}

/** The workflow of a DAG: each function reads its fan-in data when it is a sync node, then makes its calls, each taken or not by its call site's hash bit. */
export function workflowOfDag(dag: GeneratedDag, observer: DagObserver = {}): CaribouWorkflow {
  const workflow = new CaribouWorkflow({ name: WF, version: '0.0.1' });
  const functions: CaribouFunction[] = [];
  for (let i = 0; i < dag.size; i++) {
    const mySites = dag.sites.filter((s) => s.caller === i);
    functions.push(
      workflow.serverlessFunction({ name: `f${i}`, entryPoint: i === 0 }, async () => {
        const runId = workflow.getRunId();
        observer.entered?.(i, runId);
        if (dag.isSync[i]) observer.readPayloads?.(i, (await workflow.getPredecessorData()).length, runId);
        for (const site of mySites) workflow.invokeServerlessFunction(functions[site.callee]!, { site: site.id }, hashToBit(runId + site.id));
        return { ok: true };
      }),
    );
  }
  return workflow;
}
