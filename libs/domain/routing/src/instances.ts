import { CaribouError } from '@caribou/domain-common';
import type { InstanceGraph } from './run-decision';

/** `<workflow name>-<version with . → _>-<function name>`: the prefix every instance of a function has. */
export function instancePrefix(workflowName: string, workflowVersion: string, functionName: string): string {
  return `${workflowName}-${workflowVersion.replace(/\./g, '_')}-${functionName}`;
}

export function isSyncInstance(instanceName: string): boolean {
  return instanceName.split(':')[1] === 'sync';
}

/** Position of a non-sync instance in its caller's successor list: the last `_` field of the middle segment. */
function callPosition(instanceName: string): string | undefined {
  const middle = instanceName.split(':')[1];
  return middle?.split('_').pop();
}

/**
 * The successor instance the `callIndex`-th `invokeServerlessFunction` call of the
 * running instance addresses. Instance names encode the call position `k`, and every
 * call runs on every invocation, so the call index identifies the instance. (The
 * reference counts only non-sync calls, which mis-routes bodies mixing sync calls and
 * repeated non-sync calls, §12.2 #13.)
 */
export function successorInstance(
  graph: InstanceGraph,
  currentInstance: string,
  successorPrefix: string,
  callIndex: number,
): string {
  const current = graph.links(currentInstance);
  if (!current) throw new CaribouError(`Could not find current instance name ${currentInstance} in the placement decision`);
  const candidates = current.succeeding_instances.filter((name) => name.split(':')[0] === successorPrefix);
  const match =
    candidates.find((name) => isSyncInstance(name)) ??
    candidates.find((name) => callPosition(name) === String(callIndex)) ??
    (candidates.length === 1 ? candidates[0] : undefined);
  if (!match) {
    throw new CaribouError(
      `Could not find successor instance for successor function name ${successorPrefix} (call ${callIndex} of ${currentInstance}); ` +
        'every invokeServerlessFunction call must run on every invocation (use conditional=false to skip)',
    );
  }
  return match;
}

/**
 * Incoming edges a sync node waits for: one per call site, so a predecessor that calls
 * it twice counts twice. (The reference counts distinct predecessors, which lets the
 * first of two calls from one predecessor decide alone whether the node runs.)
 */
export function expectedEdgeCount(graph: InstanceGraph, syncInstance: string): number {
  const description = graph.links(syncInstance);
  if (!description) throw new CaribouError(`Could not find sync instance ${syncInstance} in the placement decision`);
  return description.preceding_instances.length;
}

/** How many call sites `predecessor` has into `syncInstance`. */
export function edgeCountFrom(graph: InstanceGraph, predecessor: string, syncInstance: string): number {
  return (graph.links(syncInstance)?.preceding_instances ?? []).filter((name) => name === predecessor).length;
}

/** The sync store key of one incoming edge: the predecessor and the ordinal of its call. */
export function edgeKey(predecessor: string, slot: number): string {
  return `${predecessor}#${slot}`;
}
