import { describe, expect, it } from 'vitest';
import { compileModel } from '@caribou/domain-model';
import { CaribouError } from '@caribou/domain-common';
import { instanceFiles, modelOf } from '../__fixtures__/fixtures';
import { InThreadEvaluator, REFERENCE_MONTE_CARLO } from '../evaluator';
import { solve, type SolveOptions } from '../solve';

/**
 * Budgeted mode (SolveOptions.searchBudget): the stochastic search fitted to a budget — fewer
 * iterations, faster cooling — instead of the reference's full 3·R·N iterations.
 */
const model = modelOf(instanceFiles.n10);
const settings = { ...REFERENCE_MONTE_CARLO, runs: 400 };
const evaluator = (): InThreadEvaluator => new InThreadEvaluator(compileModel(model), 4, settings);
const base: SolveOptions = { algorithm: 'stochastic', hours: [0, 12], seed: 8 };

describe('budgeted stochastic search', () => {
  it('a budget the full search fits in changes nothing', async () => {
    const full = await solve(model, evaluator(), base);
    const budgeted = await solve(model, evaluator(), { ...base, searchBudget: { evaluations: 1e9 } });
    expect(budgeted.plans).toEqual(full.plans);
    expect(budgeted.simulations).toBe(full.simulations);
    expect(budgeted.stochastic!.iterations).toBe(full.stochastic!.parameters.iterations);
    expect(budgeted.stochastic!.cooling).toBe(0.99);
  });

  it('an evaluation budget: planned iterations fit it, cooling is faster, the plans still beat home', async () => {
    const full = await solve(model, evaluator(), base);
    const fullSearch = full.simulations;
    const budget = Math.floor(fullSearch / 4);
    const budgeted = await solve(model, evaluator(), { ...base, searchBudget: { evaluations: budget } });
    expect(budgeted.stochastic!.iterations).toBeLessThan(full.stochastic!.iterations / 2);
    expect(budgeted.stochastic!.cooling).toBeLessThan(0.99);
    // Home and the uniform deployments are not counted; the search itself stays near the budget.
    expect(budgeted.simulations).toBeLessThan(budget + 12 + 2 * 2);
    for (const plan of budgeted.plans) expect(plan.metrics.average_carbon).toBeLessThan(plan.homeMetrics.average_carbon);
    // Deterministic: the same budget gives the same plans.
    const again = await solve(model, evaluator(), { ...base, searchBudget: { evaluations: budget } });
    expect(again.plans).toEqual(budgeted.plans);
  });

  it('a time budget is read on the solve’s clock: slower evaluations leave fewer iterations', async () => {
    // A clock that advances with the work done: each Monte-Carlo evaluation takes `ms`.
    const clocked = async (ms: number) => {
      let t = 0;
      const inner = evaluator();
      const timed = { evaluate: (requests: Parameters<InThreadEvaluator['evaluate']>[0]) => ((t += ms * requests.length), inner.evaluate(requests)) };
      return solve(model, timed, { ...base, searchBudget: { seconds: 5 }, now: () => t });
    };
    const fast = await clocked(1);
    const slow = await clocked(40);
    expect(fast.stochastic!.iterations).toBe(fast.stochastic!.parameters.iterations);
    expect(slow.stochastic!.iterations).toBeLessThan(fast.stochastic!.iterations / 2);
    expect(slow.stochastic!.cooling).toBeLessThan(0.99);
  });

  it('a time budget plans the search at its own pace: a slow start-up leaves less time, not a slower pace', async () => {
    // Each evaluated deployment takes 40 ms of the solve's clock, except the two calls before
    // the search (the home deployment, then the uniform ones), which take `startUpMs` together.
    const clocked = async (startUpMs: number, seconds: number) => {
      let t = 0;
      let calls = 0;
      const inner = evaluator();
      const timed = {
        evaluate: (requests: Parameters<InThreadEvaluator['evaluate']>[0]) => {
          t += calls++ < 2 ? startUpMs / 2 : 40 * requests.length;
          return inner.evaluate(requests);
        },
      };
      const result = await solve(model, timed, { ...base, searchBudget: { seconds }, now: () => t });
      return result.stochastic!.iterations;
    };
    // The same 2 s left for the search, after a start-up of 0.1 s or of 3 s.
    const quickStart = await clocked(100, 2.1);
    const slowStart = await clocked(3000, 5);
    expect(slowStart).toBeGreaterThan(quickStart * 0.8);
    expect(slowStart).toBeLessThan(quickStart * 1.25);
  });

  it('re-plans as it goes: when iterations get cheaper than the pilot’s, the search still spends its time budget', async () => {
    // The first 25 evaluated deployments (the start-up's and the pilot's) take 100 ms each of the
    // solve's clock, the rest 5 ms: a plan made once, at the pilot's pace, stops far short of the
    // budget (it spent 2.6 of 4 s; re-planning spends 3.3).
    let t = 0;
    let evaluated = 0;
    const inner = evaluator();
    const timed = {
      evaluate: (requests: Parameters<InThreadEvaluator['evaluate']>[0]) => {
        for (let k = 0; k < requests.length; k++) t += evaluated++ < 25 ? 100 : 5;
        return inner.evaluate(requests);
      },
    };
    const full = await solve(model, evaluator(), base);
    const result = await solve(model, timed, { ...base, searchBudget: { seconds: 4 }, now: () => t });
    expect(result.stochastic!.iterations).toBeLessThan(full.stochastic!.iterations);
    expect(t / 1000).toBeGreaterThan(4 * 0.8);
    expect(t / 1000).toBeLessThan(4 * 1.05);
    for (const plan of result.plans) expect(plan.metrics.average_carbon).toBeLessThan(plan.homeMetrics.average_carbon);
  });

  it.each([
    [{ algorithm: 'coarse' as const, searchBudget: { evaluations: 10 } }, /applies to the stochastic algorithm/],
    [{ searchBudget: { evaluations: 0 } }, /is not a budget/],
    [{ searchBudget: { minutes: 3 } as never }, /is not a budget/],
  ])('refuses %j in one line', async (options, message) => {
    await expect(solve(model, evaluator(), { ...base, ...options })).rejects.toThrow(CaribouError);
    await expect(solve(model, evaluator(), { ...base, ...options })).rejects.toThrow(message);
  });

  it('is not offered in the reference’s mode', async () => {
    const quirks = modelOf(instanceFiles.n10, { referenceQuirks: true });
    await expect(
      solve(quirks, new InThreadEvaluator(compileModel(quirks), 4, settings), { ...base, searchBudget: { evaluations: 10 } }),
    ).rejects.toThrow(/referenceQuirks/);
  });
});
