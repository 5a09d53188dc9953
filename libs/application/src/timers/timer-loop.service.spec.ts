import { describe, expect, it } from 'vitest';
import { CaribouError } from '@caribou/domain-common';
import type { SchedulerLock, StoredTimer, TimerStore } from '@caribou/ports';
import { TIMERS } from '../remote-framework/timer-definitions';
import type { TimerActionOutcome } from './timer-actions';
import { TimerLoopService, type TickOutcome } from './timer-loop.service';

const at = (iso: string) => Date.parse(iso);

/** The ports' contract in memory (LocalTimerStore is tested on a real libsql file in the local adapter). */
class MemoryTimerStore implements TimerStore {
  readonly rows = new Map<string, StoredTimer>();
  constructor(private readonly now: () => number) {}
  async putTimer(name: string, expression: string, payload: Record<string, unknown>): Promise<void> {
    this.rows.set(name, { name, expression, payload, setUpMs: this.now(), anchorMs: this.now() });
  }
  async removeTimer(name: string): Promise<void> {
    this.rows.delete(name);
  }
  async getTimer(name: string): Promise<string | undefined> {
    return this.rows.get(name)?.expression;
  }
  async list(): Promise<StoredTimer[]> {
    return [...this.rows.values()].map((row) => ({ ...row }));
  }
  async recordTick(name: string, anchorMs: number): Promise<void> {
    const row = this.rows.get(name);
    if (row && row.anchorMs < anchorMs) row.anchorMs = anchorMs;
  }
}

class MemoryLock implements SchedulerLock {
  held = false;
  async acquire() {
    if (this.held) throw new CaribouError('Another caribou serve runs these timers');
    this.held = true;
    return { release: async () => void (this.held = false) };
  }
}

/** A loop whose sleeper advances the clock instead of waiting, stopping once the clock passes `until`. */
function harness(
  start: string,
  until: string,
  run: (payload: Record<string, unknown>, now: number) => Promise<TimerActionOutcome> = async () => ({ ok: true, summary: 'done' }),
  onSleep: () => Promise<void> = async () => undefined,
) {
  const clock = { t: at(start), now: () => clock.t };
  const stop = new AbortController();
  const sleeps: number[] = [];
  const sleeper = {
    async sleep(ms: number) {
      sleeps.push(ms);
      await onSleep();
      clock.t += ms;
      if (clock.t >= at(until)) stop.abort();
    },
  };
  const timers = new MemoryTimerStore(clock.now);
  const lock = new MemoryLock();
  const ran: Array<{ action: unknown; at: string }> = [];
  const loop = new TimerLoopService({
    timers,
    lock,
    clock,
    sleeper,
    actions: {
      run: async (payload) => {
        ran.push({ action: payload.collector ?? payload.action, at: new Date(clock.t).toISOString() });
        return run(payload, clock.t);
      },
    },
  });
  const lines: string[] = [];
  const ticks: TickOutcome[] = [];
  const serve = () => loop.serve({ signal: stop.signal, report: (line) => lines.push(line), onTick: (tick) => ticks.push(tick) });
  return { clock, timers, lock, loop, ran, lines, ticks, sleeps, stop, serve };
}

async function setUpAll(timers: TimerStore): Promise<void> {
  for (const timer of TIMERS) await timers.putTimer(timer.name, timer.schedule, timer.payload);
}

describe('TimerLoopService (caribou serve) with an injected clock', () => {
  it('runs the six default timers at their instants through a day that starts a month, in order', async () => {
    const h = harness('2030-01-31T23:00:00Z', '2030-02-01T23:00:00Z');
    await setUpAll(h.timers);
    const result = await h.serve();
    expect(h.ran).toEqual([
      { action: 'provider', at: '2030-02-01T00:05:00.000Z' },
      { action: 'log_sync', at: '2030-02-01T00:05:00.000Z' },
      { action: 'carbon', at: '2030-02-01T00:30:00.000Z' },
      { action: 'performance', at: '2030-02-01T00:30:00.000Z' },
      { action: 'manage_deployments', at: '2030-02-01T01:00:00.000Z' },
      { action: 'run_deployment_migrator', at: '2030-02-01T02:00:00.000Z' },
    ]);
    expect(result.ticks).toBe(6);
    expect(h.lines[0]).toBe('Serving 6 timer(s); next: provider_collector at 2030-02-01T00:05:00Z');
    expect(h.lines.slice(1)).toEqual([
      '2030-02-01T00:05:00Z provider_collector: ok — done',
      '2030-02-01T00:05:00Z log_syncer: ok — done',
      '2030-02-01T00:30:00Z carbon_collector: ok — done',
      '2030-02-01T00:30:00Z performance_collector: ok — done',
      '2030-02-01T01:00:00Z deployment_manager: ok — done',
      '2030-02-01T02:00:00Z deployment_migrator: ok — done',
    ]);
    // Never slept past a tick, and no longer than a minute (timers set up meanwhile are seen).
    expect(Math.max(...h.sleeps)).toBeLessThanOrEqual(60_000);
    expect(h.lock.held).toBe(false);
    expect((await h.timers.list()).find((t) => t.name === 'deployment_migrator')!.anchorMs).toBe(at('2030-02-01T02:00:00Z'));
  });

  it('catches a missed tick up once at start (the latest), then keeps to the schedule', async () => {
    const h = harness('2030-03-01T00:00:00Z', '2030-03-05T03:00:00Z');
    await h.timers.putTimer('log_syncer', 'cron(5 0 * * ? *)', { action: 'log_sync' });
    await h.timers.putTimer('deployment_migrator', 'cron(0 2 * * ? *)', { action: 'run_deployment_migrator' });
    // serve was not running for three days and a bit.
    h.clock.t = at('2030-03-04T09:00:00Z');
    await h.serve();
    expect(h.lines[0]).toBe('Serving 2 timer(s); 2 due now');
    expect(h.lines.slice(1)).toEqual([
      '2030-03-04T09:00:00Z log_syncer: ok (catch-up of the tick due 2030-03-04T00:05:00Z, 3 earlier missed tick(s) not run) — done',
      '2030-03-04T09:00:00Z deployment_migrator: ok (catch-up of the tick due 2030-03-04T02:00:00Z, 3 earlier missed tick(s) not run) — done',
      '2030-03-05T00:05:00Z log_syncer: ok — done',
      '2030-03-05T02:00:00Z deployment_migrator: ok — done',
    ]);
    expect(h.ticks.map((t) => [t.timer, t.catchUp, t.missedTicks])).toEqual([
      ['log_syncer', true, 3],
      ['deployment_migrator', true, 3],
      ['log_syncer', false, 0],
      ['deployment_migrator', false, 0],
    ]);
  });

  it('counts a rate from its set-up and catches it up once', async () => {
    const h = harness('2030-03-01T10:17:00Z', '2030-03-01T22:20:00Z');
    await h.timers.putTimer('log_syncer', 'rate(6 hours)', { action: 'log_sync' });
    await h.serve();
    expect(h.ran.map((r) => r.at)).toEqual(['2030-03-01T16:17:00.000Z', '2030-03-01T22:17:00.000Z']);
  });

  it('reports a failed action in its line, records the tick and goes on', async () => {
    const h = harness('2030-01-01T00:00:00Z', '2030-01-02T00:06:00Z', async (payload) => {
      if (payload.action === 'log_sync') throw new Error('database is locked\nat somewhere');
      return { ok: payload.action !== 'manage_deployments', summary: payload.action === 'manage_deployments' ? 'wf-0.0.1: failed: no summary' : 'done' };
    });
    await h.timers.putTimer('log_syncer', 'cron(5 0 * * ? *)', { action: 'log_sync' });
    await h.timers.putTimer('deployment_manager', 'cron(0 1 * * ? *)', { action: 'manage_deployments' });
    await h.serve();
    expect(h.lines.slice(1)).toEqual([
      '2030-01-01T00:05:00Z log_syncer: failed — database is locked',
      '2030-01-01T01:00:00Z deployment_manager: failed — wf-0.0.1: failed: no summary',
      '2030-01-02T00:05:00Z log_syncer: failed — database is locked',
    ]);
  });

  it('names a timer whose stored expression cannot be read once, and runs the others', async () => {
    const h = harness('2030-01-01T00:00:00Z', '2030-01-01T03:00:00Z');
    await h.timers.putTimer('log_syncer', 'cron(5 0 * * ?)', { action: 'log_sync' });
    await h.timers.putTimer('deployment_manager', 'cron(0 1 * * ? *)', { action: 'manage_deployments' });
    await h.serve();
    expect(h.lines.filter((line) => line.startsWith('log_syncer'))).toEqual([
      "log_syncer: skipped, Schedule expression cron(5 0 * * ?) must have six fields: cron(minutes hours day-of-month month day-of-week year); set it up again with caribou setup_timer log_syncer -se '<expression>'",
    ]);
    expect(h.ran.map((r) => r.action)).toEqual(['manage_deployments']);
  });

  it('stops after the running action when aborted, and releases the lock', async () => {
    const h: ReturnType<typeof harness> = harness('2030-01-01T00:00:00Z', '2030-01-05T00:00:00Z', async () => {
      h.stop.abort(); // SIGTERM arrives while the first action runs
      return { ok: true, summary: 'finished anyway' };
    });
    await h.timers.putTimer('carbon_collector', 'cron(30 0 * * ? *)', { action: 'data_collect', collector: 'carbon' });
    await h.timers.putTimer('performance_collector', 'cron(30 0 * * ? *)', { action: 'data_collect', collector: 'performance' });
    const result = await h.serve();
    expect(result.ticks).toBe(1);
    expect(h.lines.at(-1)).toBe('2030-01-01T00:30:00Z carbon_collector: ok — finished anyway');
    expect(h.lock.held).toBe(false);
  });

  it('refuses to start while another loop holds the lock, running nothing', async () => {
    const h = harness('2030-01-01T00:00:00Z', '2030-01-02T00:00:00Z');
    await setUpAll(h.timers);
    h.lock.held = true;
    await expect(h.serve()).rejects.toThrow('Another caribou serve runs these timers');
    expect(h.ran).toEqual([]);
  });

  it('says when no timer is set up, and picks one up that is set up while it serves', async () => {
    let setUp = false;
    const h: ReturnType<typeof harness> = harness('2030-01-01T00:00:00Z', '2030-01-01T02:00:00Z', undefined, async () => {
      // Another process runs setup_timer while serve sleeps.
      if (!setUp) await h.timers.putTimer('deployment_manager', 'cron(0 1 * * ? *)', { action: 'manage_deployments' });
      setUp = true;
    });
    await h.serve();
    expect(h.lines[0]).toBe('Serving 0 timer(s)');
    expect(h.lines[1]).toBe('No timers are set up: run caribou setup_all_timers (timers are read again every minute)');
    expect(h.ran).toEqual([{ action: 'manage_deployments', at: '2030-01-01T01:00:00.000Z' }]);
  });
});
