import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaribouError } from '@caribou/domain-common';
import { solverInputFromInstanceFile, WorkflowModel, type SolverInput } from '@caribou/domain-model';
import { createInThreadEvaluator, streamFor, type EvaluationRequest, type InThreadEvaluator } from '@caribou/domain-solver';
import instance from './__fixtures__/instance_n10_r10_s1.json';
import { SolverThreadPool } from './solver-thread-pool';

const input: SolverInput = solverInputFromInstanceFile(instance);
const model = new WorkflowModel(input);
const choose = streamFor(17);
const allHours = Array.from({ length: 24 }, (_, h) => h);
const hourSets: Array<Array<number | null>> = [[null], [3], allHours, [null, 23]];
const requests: EvaluationRequest[] = Array.from({ length: 23 }, (_, i) => ({
  deployment: model.permittedRegions.map((allowed) => allowed[Math.floor(choose.next() * allowed.length)]!),
  hours: hourSets[i % hourSets.length]!,
}));

describe('SolverThreadPool rounds (shared memory, each thread its share of the runs)', () => {
  let inThread: InThreadEvaluator;
  let pool: SolverThreadPool;
  let expected: Awaited<ReturnType<InThreadEvaluator['evaluate']>>;
  beforeAll(async () => {
    [inThread, pool] = await Promise.all([
      createInThreadEvaluator({ input, seed: 9 }),
      SolverThreadPool.start({ input, seed: 9 }, { threads: 3 }),
    ]);
    expected = await inThread.evaluate(requests);
  });
  afterAll(async () => {
    await pool?.close();
  });

  it('many requests of 1 to 24 hours: identical metrics to the in-thread evaluator, in request order', async () => {
    expect(await pool.evaluate(requests)).toEqual(expected);
    expect(await pool.evaluate(requests.slice(5, 6))).toEqual(expected.slice(5, 6));
  });

  it('calls made without waiting run one after another, each with its own results', async () => {
    const [a, b, c] = await Promise.all([pool.evaluate(requests.slice(0, 9)), pool.evaluate(requests.slice(9)), pool.evaluate([])]);
    expect(a).toEqual(expected.slice(0, 9));
    expect(b).toEqual(expected.slice(9));
    expect(c).toEqual([]);
  });

  it('neighbours evaluated from a base kept by the threads (or one they never saw) give the same metrics', async () => {
    // Each request a neighbour of the one before: the threads re-time it from that one's timing.
    const chain = requests.map((request, i) => ({ ...request, base: requests[Math.max(0, i - 1)]!.deployment }));
    const unknownBase = { ...requests[3]!, base: model.permittedRegions.map((allowed) => allowed[0]!) };
    const fresh = await Promise.all([createInThreadEvaluator({ input, seed: 9 }), SolverThreadPool.start({ input, seed: 9 }, { threads: 2 })]);
    try {
      expect(await fresh[1].evaluate(chain)).toEqual(expected);
      expect(await fresh[1].evaluate([unknownBase])).toEqual([expected[3]]);
      expect(await fresh[0].evaluate(chain)).toEqual(expected);
    } finally {
      await fresh[1].close();
    }
  });

  it('rounds that outgrow the shared memory get new memory (sent once), smaller rounds reuse it', async () => {
    const growing = await SolverThreadPool.start({ input, seed: 9 }, { threads: 2 });
    try {
      expect(await growing.evaluate(requests.slice(0, 1))).toEqual(expected.slice(0, 1));
      expect(await growing.evaluate(requests)).toEqual(expected);
      expect(await growing.evaluate(requests.slice(2, 4))).toEqual(expected.slice(2, 4));
      expect(await growing.evaluate(requests.slice(7))).toEqual(expected.slice(7));
    } finally {
      await growing.close();
    }
  });

  it('a bad request fails the call as a CaribouError; the pool keeps working', async () => {
    const bad = { deployment: model.permittedRegions.map(() => 99), hours: [5] };
    await expect(pool.evaluate([...requests.slice(0, 4), bad, ...requests.slice(4, 8)])).rejects.toThrow(CaribouError);
    await expect(pool.evaluate([{ deployment: requests[0]!.deployment, hours: [24] }])).rejects.toThrow(/not a UTC hour/);
    expect(await pool.evaluate(requests)).toEqual(expected);
  });
});
