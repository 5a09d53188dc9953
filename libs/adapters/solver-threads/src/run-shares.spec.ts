import { describe, expect, it } from 'vitest';
import { runShares } from './run-shares';

describe('runShares', () => {
  it('splits by whole batches into contiguous shares covering every run once', () => {
    expect(runShares(2000, 200, 2)).toEqual([
      { first: 0, last: 1000 },
      { first: 1000, last: 2000 },
    ]);
    expect(runShares(2000, 200, 3)).toEqual([
      { first: 0, last: 600 },
      { first: 600, last: 1200 },
      { first: 1200, last: 2000 },
    ]);
    for (const [runs, batch, threads] of [[2000, 200, 7], [950, 200, 2], [60, 20, 5], [100, 200, 3]] as const) {
      const shares = runShares(runs, batch, threads);
      expect(shares[0]!.first).toBe(0);
      expect(shares[threads - 1]!.last).toBe(runs);
      for (let w = 1; w < threads; w++) expect(shares[w]!.first).toBe(shares[w - 1]!.last);
      for (const share of shares) if (share.first < runs) expect(share.first % batch).toBe(0);
    }
  });

  it('gives workers beyond the number of batches nothing to do', () => {
    const shares = runShares(400, 200, 4);
    expect(shares.filter((s) => s.last > s.first)).toHaveLength(2);
  });
});
