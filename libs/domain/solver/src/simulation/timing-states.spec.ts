import { describe, expect, it } from 'vitest';
import { streamFor } from '../random';
import { RUNS_PER_CHUNK } from './run-structure';
import { DownstreamSets, TimingStates } from './timing-states';

/** A random DAG over `nodes` instances (edges go from lower to higher topological positions). */
function randomDag(nodes: number, seed: number): { order: number[]; children: number[][] } {
  const draw = streamFor(seed);
  const order = Array.from({ length: nodes }, (_, i) => i);
  for (let i = nodes - 1; i > 0; i--) {
    const j = Math.floor(draw.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const children = order.map(() => [] as number[]);
  for (let a = 0; a < nodes; a++)
    for (let b = a + 1; b < nodes; b++) if (draw.next() < 2 / nodes) children[order[a]!]!.push(order[b]!);
  return { order, children };
}

/** What re-timing `deployment` from `base` recomputes, the slow way: the changed instances and all their descendants. */
function retimedSlowly(children: number[][], deployment: Int32Array, base: Int32Array): Set<number> {
  const marked = new Set<number>();
  const visit = (v: number): void => {
    if (marked.has(v)) return;
    marked.add(v);
    children[v]!.forEach(visit);
  };
  deployment.forEach((r, i) => r !== base[i] && visit(i));
  return marked;
}

describe('DownstreamSets', () => {
  for (const nodes of [1, 7, 32, 33, 100]) {
    it(`counts and marks what a change re-times like a graph walk (${nodes} instances, several words)`, () => {
      const { order, children } = randomDag(nodes, nodes);
      const sets = new DownstreamSets(nodes, order, (v) => children[v]!);
      const draw = streamFor(nodes, 1);
      const changed = new Uint8Array(nodes);
      for (let trial = 0; trial < 200; trial++) {
        const base = Int32Array.from({ length: nodes }, () => Math.floor(draw.next() * 3));
        const deployment = base.map((r) => (draw.next() < 0.1 ? (r + 1) % 3 : r));
        const expected = retimedSlowly(children, deployment, base);
        expect(sets.count(deployment, base, 0, nodes + 1)).toBe(expected.size);
        // Below the limit exactly, at or above it some number ≥ the limit.
        const limit = Math.max(1, expected.size);
        const limited = sets.count(deployment, base, 0, limit);
        if (expected.size < limit) expect(limited).toBe(expected.size);
        else expect(limited).toBeGreaterThanOrEqual(limit);
        sets.mark(deployment, base, changed);
        expect([...changed]).toEqual(Array.from({ length: nodes }, (_, v) => (expected.has(v) ? 1 : 0)));
      }
    });
  }
});

describe('TimingStates.baseFor', () => {
  // A chain 0 → 1 → 2 → 3: a change at instance i re-times 4 − i instances.
  const nodes = 4;
  const runs = RUNS_PER_CHUNK;
  const chain = new DownstreamSets(nodes, [0, 1, 2, 3], (v) => (v < nodes - 1 ? [v + 1] : []));
  const keyOf = (d: number[]): string => d.join(',');
  const store = (): TimingStates => new TimingStates({ nodes, rowsOf: new Uint8Array(nodes) }, runs, 1 << 30, chain);
  const kept = (states: TimingStates, deployment: number[], complete = true) => {
    const state = states.create(keyOf(deployment), deployment, null, new Uint8Array(nodes));
    if (complete) {
      state.filled.fill(1);
      state.filledCount = state.filled.length;
    }
    return state;
  };

  it('takes the complete kept state that re-times fewest instances, and marks them', () => {
    const states = store();
    kept(states, [1, 0, 0, 0]); // re-times all four
    const closest = kept(states, [0, 0, 1, 0]); // re-times instances 2 and 3
    kept(states, [0, 0, 0, 1], false); // would re-time one, but is not complete
    const changed = new Uint8Array(nodes);
    expect(states.baseFor(Int32Array.from([0, 0, 0, 0]), null, changed)).toBe(closest);
    expect([...changed]).toEqual([0, 0, 1, 1]);
  });

  it('prefers the named base on a tie, else the least recently used; none unnamed when every state re-times all', () => {
    const states = store();
    const older = kept(states, [0, 0, 1, 0]);
    const newer = kept(states, [0, 0, 2, 0]);
    const wanted = Int32Array.from([0, 0, 0, 0]);
    const changed = new Uint8Array(nodes);
    expect(states.baseFor(wanted, keyOf([0, 0, 2, 0]), changed)).toBe(newer);
    // baseFor marked `newer` used: `older` is now the least recently used.
    expect(states.baseFor(wanted, null, changed)).toBe(older);
    expect(states.baseFor(wanted, null, changed)).toBe(newer);
    const far = store();
    kept(far, [1, 1, 1, 1]);
    changed.fill(7);
    expect(far.baseFor(wanted, null, changed)).toBeNull();
    expect([...changed]).toEqual([7, 7, 7, 7]);
    // A named base is taken even then (re-timing everything from it is a full simulation).
    expect(far.baseFor(wanted, keyOf([1, 1, 1, 1]), changed)).not.toBeNull();
    expect([...changed]).toEqual([1, 1, 1, 1]);
  });
});
