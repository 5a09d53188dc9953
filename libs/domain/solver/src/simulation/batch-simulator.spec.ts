import { describe, expect, it } from 'vitest';
import { compileModel } from '@caribou/domain-model';
import { instanceFiles, modelOf } from '../__fixtures__/fixtures';
import { syncInstance } from '../__fixtures__/sync-instance';
import { allocateSamples, type SampleBlock } from '../metrics';
import { streamFor } from '../random';
import { BatchSimulator } from './batch-simulator';

/**
 * The fast path's bookkeeping — memoised latency rows, per-seed run lists, chunks on a fixed
 * grid — must never show in the samples: they are compared bit for bit here.
 */
const RUNS = 1000;
const SLOTS = [0, 4, 18];

function samples(simulator: BatchSimulator, deployment: number[], ranges: Array<[number, number]> = [[0, RUNS]]): SampleBlock {
  const out = allocateSamples(RUNS, SLOTS.length);
  simulator.setDeployment(deployment);
  for (const [first, last] of ranges) simulator.simulate(first, last, SLOTS, out, first);
  return out;
}

function expectSame(a: SampleBlock, b: SampleBlock): void {
  expect([...a.cost]).toEqual([...b.cost]);
  expect([...a.runtime]).toEqual([...b.runtime]);
  expect([...a.carbon]).toEqual([...b.carbon]);
}

for (const [name, file] of [
  ['n10', instanceFiles.n10],
  ['sync', syncInstance],
] as const) {
  for (const referenceQuirks of [false, true]) {
    describe(`batch simulator bookkeeping, ${name} (quirks=${referenceQuirks})`, () => {
      const model = modelOf(file, { referenceQuirks });
      const compiled = compileModel(model);
      const choose = streamFor(5, name.length);
      const deployments = Array.from({ length: 12 }, () =>
        model.permittedRegions.map((allowed) => allowed[Math.floor(choose.next() * allowed.length)]!),
      );

      it('a simulator reused across deployments (memo kept, or of two rows evicting all the time) = a fresh one', () => {
        const reused = new BatchSimulator(compiled, RUNS, 100, 7);
        const tiny = new BatchSimulator(compiled, RUNS, 100, 7, { latencyMemoBytes: 2 * 8 * RUNS, timingStateBytes: 0 });
        for (const deployment of [...deployments, ...deployments.slice().reverse()]) {
          const fresh = samples(new BatchSimulator(compiled, RUNS, 100, 7), deployment);
          expectSame(samples(reused, deployment), fresh);
          expectSame(samples(tiny, deployment), fresh);
        }
      });

      it('pricing one more hour at a time holds no more than pricing them all at once (no trail of outgrown rows)', () => {
        const [grown, direct] = [new BatchSimulator(compiled, RUNS, 100, 7), new BatchSimulator(compiled, RUNS, 100, 7)];
        const deployment = deployments[0]!;
        const price = (simulator: BatchSimulator, slots: number[]): void => {
          simulator.setDeployment(deployment);
          simulator.simulate(0, RUNS, slots, allocateSamples(RUNS, slots.length), 0);
        };
        for (let hours = 1; hours <= 25; hours++) price(grown, Array.from({ length: hours }, (_, h) => h));
        price(direct, Array.from({ length: 25 }, (_, h) => h));
        // One simulator's rows of one hour (its first carbon row, its first charge rows) are all it may hold more.
        expect(grown.cacheBytes.total - direct.cacheBytes.total).toBeLessThanOrEqual(8 * RUNS + 1024);
      });

      it('any split into sub-ranges, on or off the chunk grid, gives the same runs', () => {
        const simulator = new BatchSimulator(compiled, RUNS, 100, 7);
        for (const deployment of deployments.slice(0, 4)) {
          const whole = samples(simulator, deployment);
          expectSame(samples(simulator, deployment, [[0, 100], [100, 700], [700, 1000]]), whole);
          expectSame(samples(simulator, deployment, [[613, 1000], [1, 613], [0, 1]]), whole);
        }
      });
    });
  }
}
