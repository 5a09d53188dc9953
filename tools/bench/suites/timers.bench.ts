import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDatabase, LocalSchedulerLock, LocalTimerStore } from '@caribou/adapter-local';
import { TIMERS, TimerLoopService } from '@caribou/application';
import { nextTick, parseSchedule } from '@caribou/domain-common/schedule';
import type { BenchLine, BenchSuite } from '../bench';

const DAY = 86_400_000;

/**
 * What `caribou serve` costs between ticks: the loop over simulated days with the six default
 * timers on a real libsql home (actions that do nothing, a sleeper that advances the injected
 * clock), so the figure is the scheduler's own work: reading the timers every minute and
 * finding the next instants. The baseline is what the same passes cost when every pass asks
 * the cron parser for each timer's next instant again (the loop caches it per timer).
 */
const suite: BenchSuite = {
  name: 'caribou serve: scheduler overhead per simulated day (six default timers)',
  async run({ quick }) {
    const days = quick ? 3 : 30;
    const home = mkdtempSync(join(tmpdir(), 'caribou-bench-timers-'));
    const db = new LocalDatabase(join(home, 'local.db'));
    try {
      const start = Date.UTC(2030, 0, 1);
      const clock = { t: start, now: () => clock.t };
      const stop = new AbortController();
      let passes = 0;
      const sleeper = {
        async sleep(ms: number) {
          passes += 1;
          clock.t += ms;
          if (clock.t >= start + days * DAY) stop.abort();
        },
      };
      const timers = new LocalTimerStore(db, clock);
      for (const timer of TIMERS) await timers.putTimer(timer.name, timer.schedule, timer.payload);
      const loop = new TimerLoopService({
        timers,
        lock: new LocalSchedulerLock(db, home),
        clock,
        sleeper,
        actions: { run: async () => ({ ok: true, summary: '' }) },
      });
      const began = performance.now();
      const { ticks } = await loop.serve({ signal: stop.signal, report: () => undefined });
      const loopMs = performance.now() - began;

      // The baseline: the next instant of each timer computed again on every pass.
      const schedules = TIMERS.map((timer) => parseSchedule(timer.schedule));
      const baselineBegan = performance.now();
      for (let pass = 0; pass < passes; pass++) for (const schedule of schedules) nextTick(schedule, start + pass * 60_000, start);
      const baselineMs = performance.now() - baselineBegan;

      const lines: BenchLine[] = [
        {
          label: 'loop time per simulated day',
          value: loopMs / days,
          unit: 'ms',
          baseline: { label: 'next instants recomputed every pass', value: baselineMs / days },
          note: `${days} days, ${passes} passes (one a minute), ${ticks} ticks`,
        },
        { label: 'wake-ups per simulated day', value: passes / days, unit: 'wake-ups', note: 'a timer set up meanwhile is seen within a minute' },
      ];
      return lines;
    } finally {
      db.close();
      rmSync(home, { recursive: true, force: true });
    }
  },
};

export default suite;
