import { describe, expect, it } from 'vitest';
import { SolverThreadPool } from '@caribou/adapter-solver-threads';
import { solverInputFromInstanceFile, WorkflowModel, type SolverInput } from '@caribou/domain-model';
import { createInThreadEvaluator, solve, streamFor, type DeploymentEvaluator, type InThreadEvaluator } from '@caribou/domain-solver';
import { generateSolverInstance } from './solver-instance-generator';

/**
 * Carbon screening (CarbonMeanScreen): its interval holds the simulated average carbon, and a
 * stochastic search that skips simulating the proposals it rejects on their bounds is the same
 * search — same plans, metrics, temperatures — as the one that simulates every proposal.
 */
function instance(functions: number, regions: number, hard: boolean): SolverInput {
  const file = generateSolverInstance({ functions, regions, seed: 1 }) as { workflow_config: { constraints: { hard_resource_constraints: unknown } } };
  if (!hard) file.workflow_config.constraints.hard_resource_constraints = null;
  return solverInputFromInstanceFile(file);
}

/** The same evaluator without its screen: every proposal is simulated. */
const unscreened = (evaluator: InThreadEvaluator): DeploymentEvaluator => ({ evaluate: (requests) => evaluator.evaluate(requests) });

describe('carbon screening', () => {
  it('bounds hold the simulated average carbon of 60 random deployments at daily and hourly intensities, within 0.1 %', async () => {
    const input = instance(30, 20, true);
    const model = new WorkflowModel(input);
    const evaluator = await createInThreadEvaluator({ input, seed: 5 });
    const choose = streamFor(4);
    for (let i = 0; i < 60; i++) {
      const deployment = model.permittedRegions.map((allowed) => allowed[Math.floor(choose.next() * allowed.length)]!);
      const hour = i % 4 === 0 ? null : i % 24;
      const [low, high] = evaluator.averageCarbonBounds(deployment, hour)!;
      const carbon = evaluator.evaluateOne(deployment, [hour])[0]!.average_carbon!;
      expect(low).toBeLessThanOrEqual(carbon);
      expect(high).toBeGreaterThanOrEqual(carbon);
      expect((high - low) / carbon).toBeLessThan(1e-3);
    }
  });

  it('a screened stochastic search plans exactly as one that simulates every proposal (12 x 6, 4 hours)', async () => {
    const input = instance(12, 6, false);
    const model = new WorkflowModel(input);
    const options = { algorithm: 'stochastic' as const, hours: [0, 6, 12, 18], seed: 3 };
    const screenedEvaluator = await createInThreadEvaluator({ input, seed: 7 });
    const screened = await solve(model, screenedEvaluator, options);
    const full = await solve(model, unscreened(await createInThreadEvaluator({ input, seed: 7 })), options);
    expect(screened.stochastic!.screened).toBeGreaterThan(0);
    expect(full.stochastic!.screened).toBe(0);
    expect(screened.simulations + screened.stochastic!.screened).toBeGreaterThanOrEqual(full.simulations);
    expect(screened.plans).toEqual(full.plans);
    expect(screened.evaluations).toBe(full.evaluations);
    expect(screened.stochastic!.finalTemperature).toEqual(full.stochastic!.finalTemperature);
    expect(screened.stochastic!.biasRegions).toEqual(full.stochastic!.biasRegions);
  }, 120_000);

  it('the thread pool screens in its own thread with the same bounds as the in-thread evaluator', async () => {
    const input = instance(12, 6, false);
    const model = new WorkflowModel(input);
    const inThread = await createInThreadEvaluator({ input, seed: 7 });
    const pool = await SolverThreadPool.start({ input, seed: 7 }, { threads: 2 });
    try {
      const choose = streamFor(8);
      for (let i = 0; i < 10; i++) {
        const deployment = model.permittedRegions.map((allowed) => allowed[Math.floor(choose.next() * allowed.length)]!);
        expect(pool.averageCarbonBounds(deployment, i)).toEqual(inThread.averageCarbonBounds(deployment, i));
      }
    } finally {
      await pool.close();
    }
  });

  it('with hard constraints, coolings of screened proposals wait until a decision needs them: the same plans (12 x 6, 4 hours)', async () => {
    const input = instance(12, 6, true);
    const model = new WorkflowModel(input);
    const options = { algorithm: 'stochastic' as const, hours: [0, 6, 12, 18], seed: 3 };
    const screened = await solve(model, await createInThreadEvaluator({ input, seed: 7 }), options);
    const full = await solve(model, unscreened(await createInThreadEvaluator({ input, seed: 7 })), options);
    const report = screened.stochastic!;
    expect(report.screened).toBeGreaterThan(0);
    expect(screened.plans).toEqual(full.plans);
    expect(screened.evaluations).toBe(full.evaluations);
    expect(report.biasRegions).toEqual(full.stochastic!.biasRegions);
    expect(screened.simulations).toBeLessThan(full.simulations);
    // The reported temperature leaves out unresolved coolings: exact when there are none, higher otherwise.
    report.finalTemperature.forEach((temperature, h) => {
      if (report.unresolvedCoolings[h] === 0) expect(temperature).toBe(full.stochastic!.finalTemperature[h]);
      else expect(temperature).toBeGreaterThan(full.stochastic!.finalTemperature[h]!);
    });
  }, 120_000);

  it('a budgeted search (evaluations) with hard constraints plans the same screened or not', async () => {
    const input = instance(12, 6, true);
    const model = new WorkflowModel(input);
    const options = { algorithm: 'stochastic' as const, hours: [3, 15], seed: 5, searchBudget: { evaluations: 200 } };
    const screened = await solve(model, await createInThreadEvaluator({ input, seed: 7 }), options);
    const full = await solve(model, unscreened(await createInThreadEvaluator({ input, seed: 7 })), options);
    expect(screened.stochastic!.screened).toBeGreaterThan(0);
    expect(screened.plans).toEqual(full.plans);
  }, 120_000);
});
