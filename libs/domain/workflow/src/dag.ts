import { CaribouError, MAXIMUM_HOPS_FROM_CLIENT_REQUEST, type ProviderRegion } from '@caribou/domain-common';
import {
  entryPointInstanceName,
  instancePrefixOf,
  isSyncInstanceName,
  physicalFunctionName,
  successorInstanceName,
  syncInstanceName,
} from './naming';

/** What the DAG builder needs to know about one registered function. */
export interface DagFunction {
  name: string;
  entryPoint: boolean;
  /** Functions it invokes, by name, in call order; a name twice means two calls. */
  successors: readonly string[];
  /** Waits for all its predecessors (calls `getPredecessorData`): gets one instance. */
  isSync: boolean;
  /** Where it is registered (`src/app.ts:12`), for messages. */
  location?: string;
}

export interface DagInstance {
  name: string;
  functionName: string;
  entryPoint: boolean;
}

export type Edge = [from: string, to: string];

export interface WorkflowDag {
  entryPointInstance: string;
  /** In creation (BFS) order: the order the placement decision and the solver index them in. */
  instances: DagInstance[];
  /** In creation order; a caller that invokes a sync function twice has two equal edges. */
  edges: Edge[];
}

export interface DagInput {
  workflowName: string;
  workflowVersion: string;
  /** Region whose physical names the cycle message shows (the home region, as in the reference). */
  region: ProviderRegion;
  functions: readonly DagFunction[];
}

/** The one function marked `entryPoint` (`Multiple entry points defined` / `No entry point defined`). */
export function findEntryPoint<T extends { entryPoint: boolean; name?: string }>(functions: readonly T[]): T {
  const entryPoints = functions.filter((fn) => fn.entryPoint);
  if (entryPoints.length > 1) {
    const names = entryPoints.map((fn) => fn.name).filter(Boolean).join(', ');
    throw new CaribouError(`Multiple entry points defined${names ? ` (${names})` : ''}: set entryPoint: true on exactly one function`);
  }
  if (entryPoints.length === 0) throw new CaribouError('No entry point defined: set entryPoint: true on exactly one function');
  return entryPoints[0]!;
}

function indexByName(functions: readonly DagFunction[]): Map<string, DagFunction> {
  const byName = new Map<string, DagFunction>();
  for (const fn of functions) {
    if (byName.has(fn.name)) throw new CaribouError(`Function with given name ${fn.name} already registered`);
    byName.set(fn.name, fn);
  }
  for (const fn of functions) {
    for (const successor of fn.successors) {
      if (!byName.has(successor)) {
        throw new CaribouError(`Function ${fn.name} invokes ${successor}, which is not a registered function of the workflow`);
      }
    }
  }
  return byName;
}

/**
 * Depth-first search from the entry point over "invokes" edges; reaching a function that
 * is still on the current path (a self-call included) is a cycle.
 */
export function checkForCycles(entryPoint: string, successorsOf: (name: string) => readonly string[], nameInMessage: (name: string) => string): void {
  const onPath = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string): void => {
    onPath.add(name);
    for (const successor of successorsOf(name)) {
      if (onPath.has(successor)) throw new CaribouError(`Cycle detected: ${nameInMessage(successor)} is being visited again`);
      if (!done.has(successor)) visit(successor);
    }
    onPath.delete(name);
    done.add(name);
  };
  visit(entryPoint);
}

/**
 * `WorkflowBuilder.build_workflow`'s DAG part (reference-system §2.4): breadth-first from
 * the entry point with one global counter that every dequeued call advances (so a sync
 * instance seen again still uses up an index); a sync function gets one instance that
 * every caller points at, any other function a new instance per (caller instance, call).
 */
export function buildWorkflowDag(input: DagInput): WorkflowDag {
  const byName = indexByName(input.functions);
  const entryPoint = findEntryPoint(input.functions);
  if (entryPoint.isSync) {
    throw new CaribouError(
      `Function ${entryPoint.name}${at(entryPoint)} is the entry point and calls getPredecessorData: an entry point has no predecessors, so every run would fail there; move the fan-in to a function the entry point invokes`,
    );
  }
  const successorsOf = (name: string): readonly string[] => byName.get(name)!.successors;
  checkForCycles(entryPoint.name, successorsOf, (name) =>
    physicalFunctionName(input.workflowName, input.workflowVersion, name, input.region),
  );

  const prefix = (name: string): string => instancePrefixOf(input.workflowName, input.workflowVersion, name);
  const entryInstance: DagInstance = {
    name: entryPointInstanceName(prefix(entryPoint.name)),
    functionName: entryPoint.name,
    entryPoint: true,
  };
  const instances = new Map<string, DagInstance>([[entryInstance.name, entryInstance]]);
  const edges: Edge[] = [];
  const queue: Array<{ functionName: string; predecessor: string; position: number }> = [];
  const enqueueSuccessors = (functionName: string, instanceName: string): void => {
    successorsOf(functionName).forEach((successor, position) =>
      queue.push({ functionName: successor, predecessor: instanceName, position }),
    );
  };
  enqueueSuccessors(entryPoint.name, entryInstance.name);

  let indexInDag = 1;
  for (let head = 0; head < queue.length; head++) {
    const { functionName, predecessor, position } = queue[head]!;
    const fn = byName.get(functionName)!;
    const instanceName = fn.isSync
      ? syncInstanceName(prefix(functionName))
      : successorInstanceName(prefix(functionName), predecessor, position, indexInDag);
    indexInDag += 1;
    if (!instances.has(instanceName)) {
      instances.set(instanceName, { name: instanceName, functionName, entryPoint: fn.entryPoint });
      enqueueSuccessors(functionName, instanceName);
    }
    edges.push([predecessor, instanceName]);
  }
  checkHopLimit(entryInstance.name, edges, (instance) => byName.get(instances.get(instance)!.functionName)!);
  return { entryPointInstance: entryInstance.name, instances: [...instances.values()], edges };
}

const at = (fn: DagFunction): string => (fn.location ? ` (${fn.location})` : '');

/**
 * A run takes one hop per function on its path, and the runtime stops a run past
 * MAXIMUM_HOPS_FROM_CLIENT_REQUEST hops: a longer chain can never complete.
 */
function checkHopLimit(entry: string, edges: readonly Edge[], functionOf: (instance: string) => DagFunction): void {
  const successors = new Map<string, string[]>();
  for (const [from, to] of edges) successors.set(from, [...(successors.get(from) ?? []), to]);
  const longest = new Map<string, string[]>();
  const chainFrom = (instance: string): string[] => {
    const known = longest.get(instance);
    if (known) return known;
    let best: string[] = [];
    for (const next of successors.get(instance) ?? []) {
      const chain = chainFrom(next);
      if (chain.length > best.length) best = chain;
    }
    const chain = [instance, ...best];
    longest.set(instance, chain);
    return chain;
  };
  const chain = chainFrom(entry);
  if (chain.length <= MAXIMUM_HOPS_FROM_CLIENT_REQUEST) return;
  const names = chain.map((instance) => functionOf(instance).name);
  const first = functionOf(chain[MAXIMUM_HOPS_FROM_CLIENT_REQUEST]!);
  throw new CaribouError(
    `The longest call chain has ${chain.length} functions (${names.join(' → ')}), over the ${MAXIMUM_HOPS_FROM_CLIENT_REQUEST} hops a run may take: every run along it would stop at ${first.name}${at(first)}; shorten the chain`,
  );
}

export function precedingInstances(edges: readonly Edge[], instanceName: string): string[] {
  return edges.filter(([, to]) => to === instanceName).map(([from]) => from);
}

export function succeedingInstances(edges: readonly Edge[], instanceName: string): string[] {
  return edges.filter(([from]) => from === instanceName).map(([, to]) => to);
}

/**
 * Every path from `start` along `edges` that ends at the first sync node it meets, in
 * depth-first edge order (`Workflow._find_all_paths_to_any_sync_node`). Equal parallel
 * edges are walked once. Unlike the reference, each path is built on its own: there, a
 * node with several direct sync successors kept appending them to one shared path
 * (reference-system §12.2 #18).
 */
export function findAllPathsToAnySyncNode(edges: readonly Edge[], start: string): string[][] {
  const paths: string[][] = [];
  const onPath = new Set<string>();
  const visit = (node: string, path: string[]): void => {
    onPath.add(node);
    const walked = new Set<string>();
    for (const [from, to] of edges) {
      if (from !== node || walked.has(to)) continue;
      walked.add(to);
      if (isSyncInstanceName(to)) paths.push([...path, to]);
      else if (!onPath.has(to)) visit(to, [...path, to]);
    }
    onPath.delete(node);
  };
  visit(start, [start]);
  return paths;
}

/**
 * `[predecessor of sync, sync]` for every path from `instanceName` to the first sync node
 * on it, without repeats, in the order `findAllPathsToAnySyncNode` finds them. When
 * `instanceName` is skipped (`conditional: false`), the runtime marks each pair as
 * reached so those sync nodes stop waiting for the skipped subtree.
 *
 * In a DAG the first depth-first visit of a node already yields all of its pairs, so one
 * visit per node suffices; this stays linear where enumerating every path would not.
 */
export function dependentSyncPredecessors(edges: readonly Edge[], instanceName: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const seenPairs = new Set<string>();
  const visited = new Set<string>();
  const visit = (node: string): void => {
    visited.add(node);
    for (const [from, to] of edges) {
      if (from !== node) continue;
      if (isSyncInstanceName(to)) {
        const key = `${node}\u0000${to}`;
        if (!seenPairs.has(key)) {
          seenPairs.add(key);
          pairs.push([node, to]);
        }
      } else if (!visited.has(to)) {
        visit(to);
      }
    }
  };
  visit(instanceName);
  return pairs;
}
