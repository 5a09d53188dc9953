import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaribouError } from '@caribou/domain-common';
import { solverInputFromInstanceFile, WorkflowModel, type SolverInput } from '@caribou/domain-model';
import { createInThreadEvaluator, streamFor, type EvaluationRequest, type InThreadEvaluator } from '@caribou/domain-solver';
import instance from './__fixtures__/instance_n10_r10_s1.json';
import { claimSize } from './protocol';
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

describe('claimSize', () => {
  it('claims every batch of every request once, never across requests, whole requests while plenty is left', () => {
    for (const [count, batches, threads] of [[1, 10, 2], [23, 10, 2], [7, 3, 4], [5, 1, 3]] as const) {
      const total = count * batches;
      const claims: Array<[number, number]> = [];
      for (let unit = 0; unit < total; ) {
        const size = claimSize(unit, total, batches, threads);
        expect(size).toBeGreaterThanOrEqual(1);
        expect(Math.floor(unit / batches)).toBe(Math.floor((unit + size - 1) / batches));
        claims.push([unit, size]);
        unit += size;
      }
      expect(claims.reduce((sum, [, size]) => sum + size, 0)).toBe(total);
      if (count > 4 * threads) expect(claims[0]).toEqual([0, batches]);
    }
  });
});

describe('SolverThreadPool rounds (shared memory, batches claimed as the threads go)', () => {
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

  it('a bad request fails the call as a CaribouError; the pool keeps working', async () => {
    const bad = { deployment: model.permittedRegions.map(() => 99), hours: [5] };
    await expect(pool.evaluate([...requests.slice(0, 4), bad, ...requests.slice(4, 8)])).rejects.toThrow(CaribouError);
    await expect(pool.evaluate([{ deployment: requests[0]!.deployment, hours: [24] }])).rejects.toThrow(/not a UTC hour/);
    expect(await pool.evaluate(requests)).toEqual(expected);
  });
});
