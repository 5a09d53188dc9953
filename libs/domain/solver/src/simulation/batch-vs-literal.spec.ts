import { describe, expect, it } from 'vitest';
import { compileModel } from '@caribou/domain-model';
import { instanceFiles, modelOf } from '../__fixtures__/fixtures';
import { syncInstance } from '../__fixtures__/sync-instance';
import { allocateSamples } from '../metrics';
import { streamFor } from '../random';
import { BatchSimulator } from './batch-simulator';
import { disagreementsWithLiteral, simulateRunLiterally } from './literal-simulator';

/**
 * The batch simulator must agree with the literal transcription of §3 run by run on the same
 * draws (up to summation order): this ties every shortcut of the fast path to the spec.
 */
const cases = [
  ['n3', instanceFiles.n3],
  ['n10', instanceFiles.n10],
  ['sync', syncInstance],
] as const;

const RUNS = 60;

describe('batch simulator = literal simulator, run by run', () => {
  for (const [name, file] of cases) {
    for (const referenceQuirks of [false, true]) {
      it(`${name} (quirks=${referenceQuirks})`, () => {
        const model = modelOf(file, { referenceQuirks });
        const compiled = compileModel(model);
        const batch = new BatchSimulator(compiled, RUNS, 20, 11);
        const choose = streamFor(99, name.length);
        const hours = [null, 3, 17] as const;
        const slots = hours.map((h) => (h === null ? 0 : h + 1));
        const out = allocateSamples(RUNS, hours.length);
        for (let d = 0; d < 10; d++) {
          const deployment =
            d === 0
              ? model.instanceNames.map(() => model.homeRegion)
              : model.permittedRegions.map((allowed) => allowed[Math.floor(choose.next() * allowed.length)]!);
          batch.setDeployment(deployment);
          batch.simulate(0, RUNS, slots, out, 0);
          expect(disagreementsWithLiteral(model, compiled, batch, deployment, hours, out)).toEqual([]);
        }
      });
    }
  }

  it('simulating a sub-range gives the same runs as simulating all of them', () => {
    const compiled = compileModel(modelOf(instanceFiles.n10));
    const batch = new BatchSimulator(compiled, RUNS, 20, 3);
    const whole = allocateSamples(RUNS, 1);
    const parts = allocateSamples(RUNS, 1);
    batch.setDeployment([4, 2, 1, 0, 3, 3, 2, 1, 4, 0]);
    batch.simulate(0, RUNS, [0], whole, 0);
    batch.simulate(40, 60, [0], parts, 40);
    batch.simulate(0, 40, [0], parts, 0);
    expect([...parts.cost]).toEqual([...whole.cost]);
    expect([...parts.carbon]).toEqual([...whole.carbon]);
  });

  it('the sync instance exercises simulated edges and the redirector', () => {
    const model = modelOf(syncInstance);
    const compiled = compileModel(model);
    const batch = new BatchSimulator(compiled, 200, 200, 3);
    let skippedB = 0;
    let redirected = 0;
    for (let run = 0; run < 200; run++) {
      const trace = simulateRunLiterally(model, compiled, batch.layout, [1, 0, 2, 1], 5, (site) => batch.draws.value(site, run));
      const [, b, , s] = trace.nodes;
      if (!b!.invoked && s!.invoked) skippedB++;
      if (trace.nodes.length === 6) redirected++;
    }
    expect(skippedB).toBeGreaterThan(30);
    expect(redirected).toBeGreaterThan(50);
  });
});
