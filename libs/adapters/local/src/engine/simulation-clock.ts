import type { Clock } from '@caribou/ports';
import type { LocalDatabase } from '../database';

/**
 * The local provider's "now": wall-clock time, or the latest simulated time any run
 * reached if that is later. Local runs add network latency and cold starts to their
 * timeline without sleeping, so they run slightly ahead of the wall clock; every local
 * component (log sync, planner, migrator) reads this clock so that what the simulation
 * has logged is always "in the past".
 */
export class SimulationClock implements Clock {
  constructor(
    private readonly db: LocalDatabase,
    private readonly wallClock: () => number = () => Date.now(),
  ) {}

  now(): number {
    const row = this.db.get<{ value: string }>("SELECT value FROM meta WHERE key = 'simulation_time'");
    const simulated = row ? Number(row.value) : 0;
    return Math.max(this.wallClock(), simulated);
  }

  /** Records that the simulation reached `timeMs` (never moves backwards). */
  advanceTo(timeMs: number): void {
    this.db.run(
      `INSERT INTO meta (key, value) VALUES ('simulation_time', ?)
       ON CONFLICT (key) DO UPDATE SET value = CASE WHEN CAST(value AS REAL) < CAST(excluded.value AS REAL) THEN excluded.value ELSE value END`,
      String(timeMs),
    );
  }
}

/**
 * The clock of one simulated invocation: starts at its simulated start, advances with real time
 * × region speed. `waitMs` is time the function spends waiting right after it starts (reading
 * its data in another region): the first reading — the runtime noting the function's start —
 * is before it, every later one after it, so the wait counts in the function's duration and
 * delays what it does, as a read at the top of the handler would.
 */
export function invocationClock(startMs: number, slowdown: number, waitMs = 0): Clock {
  const realStart = performance.now();
  let waited = 0;
  return {
    now: () => {
      const now = startMs + waited + (performance.now() - realStart) * slowdown;
      waited = waitMs;
      return now;
    },
  };
}
