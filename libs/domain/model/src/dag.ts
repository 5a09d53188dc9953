import { CaribouError } from '@caribou/domain-common';

/**
 * The workflow DAG over instance indices (§1.3). Successor and predecessor lists are in
 * index order; the topological order is Kahn's algorithm with a FIFO queue seeded with the
 * roots in index order, which is what the reference uses to order the simulation.
 */
export interface SolverDag {
  size: number;
  successors: number[][];
  predecessors: number[][];
  topologicalOrder: number[];
  /** The lowest-index root: the entry point. */
  startHop: number;
}

export function buildDag(names: readonly string[], succeeding: readonly (readonly string[])[]): SolverDag {
  const index = new Map(names.map((name, i) => [name, i]));
  const size = names.length;
  const adjacency = Array.from({ length: size }, () => new Uint8Array(size));
  for (let from = 0; from < size; from++) {
    for (const name of succeeding[from] ?? []) {
      const to = index.get(name);
      if (to !== undefined) adjacency[from]![to] = 1; // edges to unknown names are ignored
    }
  }
  const successors: number[][] = [];
  const predecessors: number[][] = Array.from({ length: size }, () => []);
  for (let from = 0; from < size; from++) {
    const list: number[] = [];
    for (let to = 0; to < size; to++) if (adjacency[from]![to]) list.push(to);
    successors.push(list);
  }
  for (let to = 0; to < size; to++) {
    for (let from = 0; from < size; from++) if (adjacency[from]![to]) predecessors[to]!.push(from);
  }
  const inDegree = predecessors.map((p) => p.length);
  const queue: number[] = [];
  for (let i = 0; i < size; i++) if (inDegree[i] === 0) queue.push(i);
  const order: number[] = [];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    order.push(node);
    for (const next of successors[node]!) {
      inDegree[next]! -= 1;
      if (inDegree[next] === 0) queue.push(next);
    }
  }
  if (order.length !== size)
    throw new CaribouError('workflow config: instances form a cycle; succeeding_instances must describe a DAG');
  return { size, successors, predecessors, topologicalOrder: order, startHop: order[0]! };
}
