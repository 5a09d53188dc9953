import { describe, expect, it } from 'vitest';
import { TIMING_STATE_BYTES } from '@caribou/domain-solver';
import { cachesUnderSearchLoad } from './solver-phases';

/**
 * The documented bound of the solver's caches (libs/domain/solver/README.md): at 100 functions
 * × 34 regions and 2000 runs, one simulator holds at most 128 MiB — its whole row arena (the
 * per-seed structure, the memoised latency rows, the timing states within their budget, rows
 * kept for reuse; arena rows are never freed) and the shift table — under a search-like load
 * (24 current deployments, neighbours of 21 re-drawn instances, priced at 1 to 24 hours).
 */
describe('solver cache memory, 100 functions × 34 regions', () => {
  it('stays under 128 MiB; timing states within their budget', () => {
    const { peak, last } = cachesUnderSearchLoad(2);
    expect(peak).toBeLessThanOrEqual(128 * 2 ** 20);
    // The budget is held to after each evaluation (the state being written and its base may exceed it briefly).
    expect(last.timingStates).toBeLessThanOrEqual(TIMING_STATE_BYTES + 2 * 2000 * 8 * 140);
    expect(last.timingStates).toBeGreaterThan(TIMING_STATE_BYTES / 2);
  }, 180_000);
});
