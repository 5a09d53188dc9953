import { describe, expect, it } from 'vitest';
import { planWork } from './work-plan';

describe('planWork', () => {
  it('splits one deployment by batches', () => {
    expect(planWork(1, 10, 2)).toEqual([[{ request: 0, batchFrom: 0, batchTo: 5 }], [{ request: 0, batchFrom: 5, batchTo: 10 }]]);
  });

  it('gives several deployments whole to different threads when they divide evenly', () => {
    expect(planWork(4, 10, 2)).toEqual([
      [
        { request: 0, batchFrom: 0, batchTo: 10 },
        { request: 1, batchFrom: 0, batchTo: 10 },
      ],
      [
        { request: 2, batchFrom: 0, batchTo: 10 },
        { request: 3, batchFrom: 0, batchTo: 10 },
      ],
    ]);
  });

  it('covers every batch of every request exactly once', () => {
    for (const [requests, workers] of [[3, 2], [7, 3], [1, 4], [5, 1]] as const) {
      const seen = new Set<string>();
      for (const segments of planWork(requests, 10, workers))
        for (const s of segments) for (let b = s.batchFrom; b < s.batchTo; b++) seen.add(`${s.request}:${b}`);
      expect(seen.size).toBe(requests * 10);
    }
  });
});
