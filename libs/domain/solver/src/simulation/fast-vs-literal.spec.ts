import { describe, expect, it } from 'vitest';
import { compileModel } from '@caribou/domain-model';
import { instanceFiles, modelOf } from '../__fixtures__/fixtures';
import { syncInstance } from '../__fixtures__/sync-instance';
import { streamFor } from '../random';
import { FastSimulator } from './fast-simulator';
import { simulateRunLiterally } from './literal-simulator';

/**
 * The fast simulator must consume the same draws as the literal transcription of §3 and give
 * the same run totals (up to summation order): this ties every typed-array shortcut to the spec.
 */
const cases = [
  ['n3', instanceFiles.n3],
  ['n10', instanceFiles.n10],
  ['sync', syncInstance],
] as const;

describe('fast simulator = literal simulator, run by run', () => {
  for (const [name, file] of cases) {
    for (const referenceQuirks of [false, true]) {
      it(`${name} (quirks=${referenceQuirks})`, () => {
        const model = modelOf(file, { referenceQuirks });
        const fast = new FastSimulator(compileModel(model));
        const choose = streamFor(99, name.length);
        const R = model.permittedRegionCount;
        let runsCompared = 0;
        for (let d = 0; d < 12; d++) {
          const deployment =
            d === 0
              ? model.instanceNames.map(() => model.homeRegion)
              : model.permittedRegions.map((allowed) => allowed[Math.floor(choose.next() * allowed.length)]!);
          const hour = d % 3 === 0 ? null : Math.floor(choose.next() * 24);
          fast.setDeployment(deployment);
          const fastDraws = streamFor(5, d);
          const literalDraws = streamFor(5, d);
          for (let run = 0; run < 40; run++) {
            fast.run(fastDraws);
            const literal = simulateRunLiterally(model, deployment, hour, literalDraws);
            expect(fast.runtime).toBe(literal.runtime);
            expect(fast.cost).toBeCloseTo(literal.cost, 15);
            expect(Math.abs(fast.cost - literal.cost)).toBeLessThanOrEqual(1e-12 * literal.cost);
            const carbon = fast.carbonAt(hour === null ? 0 : hour + 1);
            expect(Math.abs(carbon - literal.carbon)).toBeLessThanOrEqual(1e-12 * literal.carbon);
            runsCompared++;
          }
          // Both consumed exactly the same number of draws.
          expect(fastDraws.next()).toBe(literalDraws.next());
        }
        expect(runsCompared).toBe(480);
        expect(R).toBeGreaterThan(1);
      });
    }
  }

  it('the sync instance exercises simulated edges and the redirector', () => {
    const model = modelOf(syncInstance);
    const rng = streamFor(3);
    let skippedB = 0;
    let redirected = 0;
    for (let run = 0; run < 200; run++) {
      const trace = simulateRunLiterally(model, [1, 0, 2, 1], 5, rng);
      const [, b, , s] = trace.nodes;
      if (!b!.invoked && s!.invoked) skippedB++;
      if (trace.nodes.length === 6) redirected++;
    }
    expect(skippedB).toBeGreaterThan(30);
    expect(redirected).toBeGreaterThan(50);
  });
});
