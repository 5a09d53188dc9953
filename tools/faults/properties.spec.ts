import { describe, expect, it } from 'vitest';
import { CAMPAIGNS } from './campaigns';
import { formatFigures } from './figures';

/** Seeded, so CI tries the same inputs every time; `FAULT_SEED` / `FAULT_RUNS` explore further. */
const SEED = Number(process.env.FAULT_SEED ?? 22);
const RUNS = Number(process.env.FAULT_RUNS ?? 400);

describe('fault suite: bad inputs are refused cleanly (fast-check, in process)', () => {
  it.each(CAMPAIGNS)('$name', async ({ name, run }) => {
    const figures = await run({ seed: SEED, runs: RUNS });
    console.log(formatFigures(name, figures));
    expect(figures.inputsTried).toBe(RUNS);
    expect(figures.badInputs).toBeGreaterThan(0);
    expect(figures.unclean).toEqual([]);
    expect(figures.cleanRefusals).toBe(figures.badInputs);
  }, 120_000);
});
