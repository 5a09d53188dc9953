/** Runs [first, last) of an evaluation that one worker simulates. */
export interface RunShare {
  first: number;
  last: number;
}

/**
 * Splits an evaluation's batches into `threads` contiguous, nearly equal shares, one per worker,
 * the same for every request: each worker keeps the draws and the timing states of its own runs
 * only, so a neighbour's evaluation finds its base's timing where it is simulated. Workers past
 * the number of batches get nothing. The split never changes results: every run has its draws.
 */
export function runShares(runs: number, batchSize: number, threads: number): RunShare[] {
  const batches = Math.ceil(runs / batchSize);
  return Array.from({ length: threads }, (_, w) => ({
    first: Math.min(runs, Math.floor((w * batches) / threads) * batchSize),
    last: Math.min(runs, Math.floor(((w + 1) * batches) / threads) * batchSize),
  }));
}
