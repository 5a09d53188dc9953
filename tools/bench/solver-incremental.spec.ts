import { describe, expect, it } from 'vitest';
import { compileModel, solverInputFromInstanceFile, WorkflowModel } from '@caribou/domain-model';
import { allocateSamples, BatchSimulator, metricsFromSamples, streamFor, type SampleBlock } from '@caribou/domain-solver';
import { generateSolverInstance } from './solver-instance-generator';

/**
 * Must-show of issue 24: incremental and full evaluation identical on 1,000 random neighbour
 * pairs — on the bench's 30 × 20 synthetic instance (sync nodes of two and three in-edges,
 * conditional edges with non-execution notices, instances pinned to North America, measured
 * data in other regions, a redirector), with the neighbours the stochastic search proposes
 * (int(0.2·N + 1) = 7 positions re-drawn) and one-instance neighbours, at 1 to 24 hours.
 */
const RUNS = 200;
const PAIRS = 1000;

describe('incremental evaluation on the 30 × 20 synthetic instance', () => {
  const model = new WorkflowModel(solverInputFromInstanceFile(generateSolverInstance({ functions: 30, regions: 20, seed: 1 })));
  const compiled = compileModel(model);
  const allowed = model.permittedRegions;
  const N = model.instanceCount;
  const learningRate = Math.trunc(0.2 * N + 1);

  it(`${PAIRS} random neighbour pairs: samples and metrics identical to a full simulation`, () => {
    const choose = streamFor(2024);
    const incremental = new BatchSimulator(compiled, RUNS, 200, 3);
    const full = new BatchSimulator(compiled, RUNS, 200, 3, { timingStateBytes: 0 });
    const run = (simulator: BatchSimulator, deployment: number[], slots: number[], base?: number[]): SampleBlock => {
      const out = allocateSamples(RUNS, slots.length);
      simulator.setDeployment(deployment, base);
      simulator.simulate(0, RUNS, slots, out, 0);
      return out;
    };
    let base = allowed.map((a) => a[Math.floor(choose.next() * a.length)]!);
    run(incremental, base, [1]);
    for (let pair = 0; pair < PAIRS; pair++) {
      const neighbour = base.slice();
      const changes = pair % 3 === 0 ? 1 : learningRate;
      for (let c = 0; c < changes; c++) {
        const i = Math.floor(choose.next() * N);
        neighbour[i] = allowed[i]![Math.floor(choose.next() * allowed[i]!.length)]!;
      }
      const slots = pair % 50 === 0 ? Array.from({ length: 24 }, (_, h) => h + 1) : [1 + (pair % 24)];
      const fast = run(incremental, neighbour, slots, base);
      const slow = run(full, neighbour, slots);
      expect(fast.cost).toEqual(slow.cost);
      expect(fast.runtime).toEqual(slow.runtime);
      expect(fast.carbon).toEqual(slow.carbon);
      expect(metricsFromSamples(fast, slots.length)).toEqual(metricsFromSamples(slow, slots.length));
      if (choose.next() < 0.4) base = neighbour;
    }
  });

  it('a latency memo of two rows, recycling rows as it turns over, gives the samples of a fresh simulator', () => {
    // Deployments that each place one edge on a region pair with latency data of its own (a
    // memoised row; the other pairs read the home pair's row), visited in a random order: the
    // memo's generations turn over at almost every lookup, and a recycled row must never still
    // serve a pair it held.
    const structure = new BatchSimulator(compiled, RUNS, 200, 3).structure;
    const deployments: number[][] = [];
    for (let e = 0; e < compiled.clientEdge; e++) {
      const from = compiled.edgeFrom[e]!;
      const to = compiled.edgeTo[e]!;
      for (const a of allowed[from]!)
        for (const b of allowed[to]!) {
          if (structure.conformingShift(e, a, b) !== null || (from === to && a !== b)) continue;
          const deployment = allowed.map(() => model.homeRegion);
          deployment[from] = a;
          deployment[to] = b;
          deployments.push(deployment);
        }
    }
    expect(deployments.length).toBeGreaterThanOrEqual(3);
    const choose = streamFor(99);
    const tiny = new BatchSimulator(compiled, RUNS, 200, 3, { latencyMemoBytes: 2 * 8 * RUNS, timingStateBytes: 0 });
    for (let round = 0; round < 60; round++) {
      const deployment = deployments[Math.floor(choose.next() * deployments.length)]!;
      const [a, b] = [tiny, new BatchSimulator(compiled, RUNS, 200, 3)].map((simulator) => {
        const out = allocateSamples(RUNS, 1);
        simulator.setDeployment(deployment);
        simulator.simulate(0, RUNS, [1], out, 0);
        return out;
      });
      expect(a!.runtime).toEqual(b!.runtime);
      expect(a!.cost).toEqual(b!.cost);
      expect(a!.carbon).toEqual(b!.carbon);
    }
  });
});
