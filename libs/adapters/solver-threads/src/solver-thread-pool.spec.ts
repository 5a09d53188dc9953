import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaribouError } from '@caribou/domain-common';
import { solverInputFromInstanceFile, WorkflowModel, type SolverInput } from '@caribou/domain-model';
import { createInThreadEvaluator, solve, type EvaluationRequest } from '@caribou/domain-solver';
import instance from './__fixtures__/instance_n10_r10_s1.json';
import { SolverThreadPool, ThreadedEvaluatorFactory } from './solver-thread-pool';

const input: SolverInput = solverInputFromInstanceFile(instance);
const model = new WorkflowModel(input);
const home = model.instanceNames.map(() => model.homeRegion);
const requests: EvaluationRequest[] = [
  { deployment: home, hours: [null, 0, 13] },
  { deployment: [4, 4, 4, 4, 4, 4, 4, 4, 4, 4], hours: [7] },
  { deployment: [2, 3, 7, 3, 1, 7, 8, 2, 1, 4], hours: [null, 23] },
];

describe('SolverThreadPool', () => {
  let one: SolverThreadPool;
  let two: SolverThreadPool;
  beforeAll(async () => {
    [one, two] = await Promise.all([
      SolverThreadPool.start({ input, seed: 42 }, { threads: 1 }),
      SolverThreadPool.start({ input, seed: 42 }, { threads: 2 }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()]);
  });

  it('same seed → identical metrics in-thread, with 1 thread and with 2 threads', async () => {
    const inThread = await createInThreadEvaluator({ input, seed: 42 });
    const expected = await inThread.evaluate(requests);
    expect(await one.evaluate(requests)).toEqual(expected);
    expect(await two.evaluate(requests)).toEqual(expected);
    // A single request is split into the two threads' shares of the runs and still agrees.
    expect(await two.evaluate([requests[2]!])).toEqual([expected[2]]);
    expect(two.threads).toBe(2);
    expect(two.simulations).toBe(4);
  });

  it('a request without hours: the cost and runtime metrics of a priced one, carbon NaN, in-thread and on 2 threads', async () => {
    const inThread = await createInThreadEvaluator({ input, seed: 42 });
    const unpriced: EvaluationRequest[] = [
      { deployment: requests[2]!.deployment, hours: [] },
      { deployment: requests[1]!.deployment, hours: [] },
    ];
    const [priced2, priced1] = (await inThread.evaluate([requests[2]!, requests[1]!])).map((metrics) => metrics[0]!);
    const expected = [priced2!, priced1!].map((m) => [{ ...m, average_carbon: NaN, tail_carbon: NaN }]);
    expect(await inThread.evaluate(unpriced)).toEqual(expected);
    expect(await two.evaluate(unpriced)).toEqual(expected);
    expect(await one.evaluate([unpriced[0]!, requests[0]!])).toEqual([expected[0], (await inThread.evaluate([requests[0]!]))[0]]);
  });

  it('a different seed gives different draws', async () => {
    const other = await createInThreadEvaluator({ input, seed: 43 });
    const [a] = await two.evaluate([requests[0]!]);
    const [b] = await other.evaluate([requests[0]!]);
    expect(a![0]!.average_runtime).not.toBe(b![0]!.average_runtime);
  });

  it('a whole stochastic solve gives the same plans on 2 threads as in-thread', async () => {
    const options = { algorithm: 'stochastic' as const, hours: [0, 12], seed: 5 };
    const inThread = await solve(model, await createInThreadEvaluator({ input, seed: 42 }), options);
    const threaded = await solve(model, two, options);
    expect(threaded.plans).toEqual(inThread.plans);
    expect(threaded.simulations).toBe(inThread.simulations);
  });

  it('reports bad input from the workers as the CaribouError it is', async () => {
    const broken = { ...input, workflowConfig: { ...input.workflowConfig, home_region: { provider: 'aws', region: 'mars-1' } } };
    await expect(new ThreadedEvaluatorFactory({ threads: 2 }).create({ input: broken, seed: 1 })).rejects.toThrow(CaribouError);
    await expect(new ThreadedEvaluatorFactory({ threads: 1 }).create({ input: broken, seed: 1 })).rejects.toThrow(/home region aws:mars-1/);
  });

  it('refuses work after close', async () => {
    const pool = await SolverThreadPool.start({ input, seed: 1 }, { threads: 1 });
    await pool.close();
    await pool.close();
    await expect(pool.evaluate(requests)).rejects.toThrow(/closed/);
  });
});
