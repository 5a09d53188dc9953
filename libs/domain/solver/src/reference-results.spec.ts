import { describe, expect, it } from 'vitest';
import { compileModel } from '@caribou/domain-model';
import type { DeploymentMetrics } from '@caribou/domain-workflow';
import { compiledOf, instanceFiles, modelOf, referenceResults, type ReferenceResult } from './__fixtures__/fixtures';
import { InThreadEvaluator } from './evaluator';
import { solve, type AlgorithmName } from './solve';

/*
 * Side-by-side with what the original Python solver computed on the same instances
 * (result_*.json, seed 1, 3–5 repeats per deployment). Our runs use different random numbers
 * (no bit-exact replay), so averages are compared within Monte-Carlo noise: our mean over S seeds
 * against their mean over k repeats, allowing 3 standard deviations of the difference,
 * σ·√(1/S + 1/k). σ is the per-evaluation noise; their estimate from 3–5 repeats is rough, so the
 * larger of theirs and ours (from our S seeds) is used. `referenceQuirks` reproduces their model.
 * Averages must agree within 3σ. Tails (p95 of 2000 samples, a noisier, skewed estimator) are
 * checked too, at 4σ: with ~50 tail comparisons, 3σ would fail about one in ten honest runs.
 */
const SEEDS = 6;
const FIELDS = ['average_cost', 'average_runtime', 'average_carbon', 'tail_cost', 'tail_runtime', 'tail_carbon'] as const;

function meanAndStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((s, x) => s + x, 0) / values.length;
  const variance = values.reduce((s, x) => s + (x - mean) ** 2, 0) / (values.length - 1);
  return { mean, std: Math.sqrt(variance) };
}

const instances: Array<[string, unknown, ReferenceResult]> = [
  ['n3_r5_s1', instanceFiles.n3, referenceResults.n3],
  ['n10_r10_s1', instanceFiles.n10, referenceResults.n10],
];

describe('reference deployments agree with the original within Monte-Carlo noise', () => {
  for (const [name, file, result] of instances) {
    const compiled = compiledOf(file, { referenceQuirks: true });
    const evaluators = Array.from({ length: SEEDS }, (_, s) => new InThreadEvaluator(compiled, 100 + s));
    const repeats = result.reference_deployments.repeats;
    it.each(result.reference_deployments.evaluations.map((e) => [e.label, e] as const))(`${name} %s`, (_, reference) => {
      const ours = evaluators.map((ev) => ev.evaluateOne(reference.deployment, [null])[0]!);
      for (const field of FIELDS) {
        const { mean, std } = meanAndStd(ours.map((m) => m[field]!));
        const sigma = Math.max(reference.metrics_std_over_repeats[field]!, std);
        const deviations = field.startsWith('average_') ? 3 : 4;
        const allowed = deviations * sigma * Math.sqrt(1 / SEEDS + 1 / repeats);
        expect(Math.abs(mean - reference.metrics_mean_over_repeats[field]!), `${field}`).toBeLessThanOrEqual(allowed);
      }
    });
  }
});

describe('chosen plans are at least as good in average carbon as the original’s', () => {
  const algorithms: Record<string, AlgorithmName> = { coarse: 'coarse', fine: 'fine', stochastic: 'stochastic' };
  for (const [name, file, result] of instances) {
    for (const run of result.algorithms) {
      it(`${name} ${run.algorithm}`, async () => {
        const model = modelOf(file, { referenceQuirks: true });
        const evaluator = new InThreadEvaluator(compileModel(model), 1);
        const solved = await solve(model, evaluator, { algorithm: algorithms[run.algorithm]!, hours: null, seed: 1 });
        const ours = solved.plans[0]!.metrics.average_carbon;
        const theirs = run.staging_area_result.deployment_metrics['0']!.average_carbon!;
        // Their plan's deployment, to find its Monte-Carlo noise in their repeats.
        const placement = run.staging_area_result.time_keys_to_staging_area_data['0']!;
        const deployment = model.instanceNames.map((n) =>
          model.regionKeys.indexOf(`${placement[n]!.provider_region.provider}:${placement[n]!.provider_region.region}`),
        );
        const noise = result.reference_deployments.evaluations.find((e) => e.deployment.join() === deployment.join());
        const sigma = Math.max(noise?.metrics_std_over_repeats.average_carbon ?? 0, theirs * 0.0035);
        expect(ours).toBeLessThanOrEqual(theirs + 3 * Math.SQRT2 * sigma);
        expect(solved.plans[0]!.timeKey).toBe('0');
      });
    }
  }

  it('the intended model (no quirks) also improves on home and on every single-region plan', async () => {
    for (const [, file] of instances) {
      const model = modelOf(file);
      const evaluator = new InThreadEvaluator(compileModel(model), 2);
      const solved = await solve(model, evaluator, { algorithm: 'stochastic', hours: [0, 12], seed: 2 });
      for (const plan of solved.plans) {
        expect(plan.metrics.average_carbon).toBeLessThan(plan.homeMetrics.average_carbon);
        for (let r = 0; r < model.permittedRegionCount; r++) {
          if (!model.permittedRegions.every((allowed) => allowed.includes(r))) continue;
          const [uniform] = evaluator.evaluateOne(model.instanceNames.map(() => r), [plan.hour]) as DeploymentMetrics[];
          const passes = uniform!.tail_cost <= 1.5 * plan.homeMetrics.tail_cost && uniform!.tail_runtime <= 1.25 * plan.homeMetrics.tail_runtime;
          if (passes) expect(plan.metrics.average_carbon).toBeLessThanOrEqual(uniform!.average_carbon);
        }
      }
    }
  });
});

describe('worked example (§11): every algorithm picks all of ca-central-1 at hours 0 and 12', () => {
  it.each(['coarse', 'fine', 'stochastic'] as const)('%s', async (algorithm) => {
    for (const referenceQuirks of [false, true]) {
      const model = modelOf(instanceFiles.workedExample, { referenceQuirks });
      const solved = await solve(model, new InThreadEvaluator(compileModel(model), 3), { algorithm, hours: [0, 12], seed: 3 });
      expect(solved.plans.map((p) => [p.timeKey, p.deployment])).toEqual([
        ['0', [1, 1, 1]],
        ['12', [1, 1, 1]],
      ]);
    }
  });
});
