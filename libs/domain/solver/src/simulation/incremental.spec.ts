import { describe, expect, it } from 'vitest';
import { compileModel } from '@caribou/domain-model';
import { instanceFiles, modelOf } from '../__fixtures__/fixtures';
import { syncInstance } from '../__fixtures__/sync-instance';
import { allocateSamples, type SampleBlock } from '../metrics';
import { streamFor } from '../random';
import { BatchSimulator } from './batch-simulator';

/**
 * Incremental evaluation — re-timing only the instances whose region differs from a kept base
 * and what lies downstream — must give bit for bit the samples of a full simulation. Pairs of
 * (base, neighbour) are drawn at random, as the stochastic search draws them: neighbours of
 * neighbours, one to several changed instances, any hours. (The 30 × 20 synthetic instance, with
 * sync nodes of three in-edges and many simulated edges, is checked the same way in
 * tools/bench/solver-incremental.spec.ts.)
 */
const RUNS = 400;
const HOUR_SETS = [[0], [13], [0, 5, 24], Array.from({ length: 25 }, (_, s) => s)];

function samples(simulator: BatchSimulator, deployment: number[], slots: number[], base?: number[]): SampleBlock {
  const out = allocateSamples(RUNS, slots.length);
  simulator.setDeployment(deployment, base);
  simulator.simulate(0, RUNS, slots, out, 0);
  return out;
}

for (const [name, file, pairs] of [
  ['n10', instanceFiles.n10, 150],
  ['sync', syncInstance, 150],
] as const) {
  for (const referenceQuirks of [false, true]) {
    describe(`incremental evaluation, ${name} (quirks=${referenceQuirks})`, () => {
      const model = modelOf(file, { referenceQuirks });
      const compiled = compileModel(model);
      const allowed = model.permittedRegions;
      const N = model.instanceCount;

      it(`${pairs} random neighbour pairs: identical to a full simulation`, () => {
        const choose = streamFor(31, name.length, referenceQuirks ? 1 : 0);
        const incremental = new BatchSimulator(compiled, RUNS, 100, 5);
        let base = model.instanceNames.map(() => model.homeRegion);
        samples(incremental, base, [0]);
        let reused = 0;
        for (let pair = 0; pair < pairs; pair++) {
          const neighbour = base.slice();
          const changes = 1 + Math.floor(choose.next() * Math.max(1, N / 3));
          for (let c = 0; c < changes; c++) {
            const i = Math.floor(choose.next() * N);
            neighbour[i] = allowed[i]![Math.floor(choose.next() * allowed[i]!.length)]!;
          }
          const slots = HOUR_SETS[pair % HOUR_SETS.length]!;
          const before = incremental.timingStateBytes;
          const fast = samples(incremental, neighbour, slots, base);
          if (incremental.timingStateBytes - before < 8 * RUNS * N) reused++;
          const full = samples(new BatchSimulator(compiled, RUNS, 100, 5), neighbour, slots);
          expect([...fast.cost]).toEqual([...full.cost]);
          expect([...fast.runtime]).toEqual([...full.runtime]);
          expect([...fast.carbon]).toEqual([...full.carbon]);
          // Walk on from the neighbour half of the time, as an accepting search does.
          if (choose.next() < 0.5) base = neighbour;
        }
        // The pairs did exercise reuse (a neighbour shares its base's timing upstream of the change).
        expect(reused).toBeGreaterThan(pairs / 4);
      });

      it('unpriced (no hour: cost and runtime only), full and incremental: the cost and runtime of a priced simulation', () => {
        const choose = streamFor(11, name.length, referenceQuirks ? 1 : 0);
        const unpriced = new BatchSimulator(compiled, RUNS, 100, 5);
        const priced = new BatchSimulator(compiled, RUNS, 100, 5);
        let base = allowed.map((a) => a[Math.floor(choose.next() * a.length)]!);
        samples(unpriced, base, [0]);
        for (let pair = 0; pair < 60; pair++) {
          const neighbour = base.slice();
          const i = Math.floor(choose.next() * N);
          neighbour[i] = allowed[i]![Math.floor(choose.next() * allowed[i]!.length)]!;
          // Alternately from the base's kept timing and from scratch (a new simulator).
          const fast = pair % 2 === 0 ? samples(unpriced, neighbour, [], base) : samples(new BatchSimulator(compiled, RUNS, 100, 5), neighbour, []);
          const full = samples(priced, neighbour, pair % 3 === 0 ? [0, 7, 13] : [13]);
          expect(fast.carbon.length).toBe(0);
          expect([...fast.cost]).toEqual([...full.cost]);
          expect([...fast.runtime]).toEqual([...full.runtime]);
          // A priced simulation after an unpriced one of the same deployment (its timing kept) is complete.
          const again = samples(unpriced, neighbour, [13]);
          expect([...again.carbon]).toEqual([...full.carbon.subarray(full.carbon.length - RUNS)]);
          if (choose.next() < 0.5) base = neighbour;
        }
      });

      it('without a kept base named, the closest kept state is re-timed from: fewer new rows, same samples', () => {
        const choose = streamFor(13, name.length, referenceQuirks ? 1 : 0);
        const simulator = new BatchSimulator(compiled, RUNS, 100, 5);
        const random = (): number[] => allowed.map((a) => a[Math.floor(choose.next() * a.length)]!);
        // The last instance in topological order with a choice of regions: nothing downstream of it is re-timed.
        const sink = [...compiled.topologicalOrder].reverse().find((v) => v < N && allowed[v]!.length > 1)!;
        let reused = 0;
        for (let k = 0; k < 20; k++) {
          const kept = random();
          samples(simulator, kept, [2]);
          samples(simulator, random(), [2]); // the most recent state is another one
          const neighbour = kept.slice();
          neighbour[sink] = allowed[sink]!.find((r) => r !== kept[sink])!;
          const before = simulator.timingStateBytes;
          const fast = samples(simulator, neighbour, [2], k % 2 === 0 ? undefined : random()); // no base, or one never evaluated
          if (simulator.timingStateBytes - before < 8 * RUNS * N) reused++;
          const full = samples(new BatchSimulator(compiled, RUNS, 100, 5), neighbour, [2]);
          expect([...fast.cost, ...fast.runtime, ...fast.carbon]).toEqual([...full.cost, ...full.runtime, ...full.carbon]);
        }
        expect(reused).toBe(20);
      });

      it('a base whose timing was dropped (no memory for states) is simulated in full, same samples', () => {
        const choose = streamFor(7, name.length);
        const starved = new BatchSimulator(compiled, RUNS, 100, 5, { timingStateBytes: 0 });
        const plenty = new BatchSimulator(compiled, RUNS, 100, 5);
        const random = (): number[] => allowed.map((a) => a[Math.floor(choose.next() * a.length)]!);
        const base = random();
        samples(starved, base, [3]);
        samples(plenty, base, [3]);
        for (let k = 0; k < 20; k++) {
          // Pushes the base's timing out (it may serve a random deployment as the closest kept state for a while).
          for (let j = 0; j < 20 && (j === 0 || starved.keepsTimingOf(base)); j++) samples(starved, random(), [3]);
          expect(starved.keepsTimingOf(base)).toBe(false);
          const neighbour = base.slice();
          const i = Math.floor(choose.next() * N);
          neighbour[i] = allowed[i]![Math.floor(choose.next() * allowed[i]!.length)]!;
          const a = samples(starved, neighbour, [3], base);
          const b = samples(plenty, neighbour, [3], base);
          expect(plenty.keepsTimingOf(base)).toBe(true);
          expect([...a.cost, ...a.runtime, ...a.carbon]).toEqual([...b.cost, ...b.runtime, ...b.carbon]);
        }
        // Not a deployment, so not kept (the store's key is one UTF-16 code unit per region index).
        expect(plenty.keepsTimingOf(base.map((r) => r + 65536))).toBe(false);
        expect(plenty.keepsTimingOf(base.map((r) => r + 0.25))).toBe(false);
        expect(plenty.keepsTimingOf(base.slice(1))).toBe(false);
      });
    });
  }
}
