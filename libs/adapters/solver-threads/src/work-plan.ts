/** Batches [batchFrom, batchTo) of request `request`. */
export interface WorkSegment {
  request: number;
  batchFrom: number;
  batchTo: number;
}

/**
 * Splits requests × batches into `workers` contiguous, nearly equal shares (request-major), so
 * several deployments go to different threads whole, and a single deployment is split by
 * batches. The split never changes results: every batch has its own fixed draws.
 *
 * A static plan; the pool itself no longer uses it: its workers claim batches from a shared
 * counter as they go (`claimSize` in protocol.ts), which keeps them busy when requests differ
 * in cost (hours priced, memoised latencies, other load on the machine).
 */
export function planWork(requestCount: number, batches: number, workers: number): WorkSegment[][] {
  const total = requestCount * batches;
  const plan: WorkSegment[][] = [];
  for (let w = 0; w < workers; w++) {
    const from = Math.floor((w * total) / workers);
    const to = Math.floor(((w + 1) * total) / workers);
    const segments: WorkSegment[] = [];
    let unit = from;
    while (unit < to) {
      const request = Math.floor(unit / batches);
      const batchFrom = unit % batches;
      const batchTo = Math.min(batches, batchFrom + (to - unit));
      segments.push({ request, batchFrom, batchTo });
      unit += batchTo - batchFrom;
    }
    plan.push(segments);
  }
  return plan;
}
