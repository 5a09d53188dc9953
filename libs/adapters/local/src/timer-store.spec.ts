import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalDatabase } from './database';
import { LocalSchedulerLock } from './scheduler-lock';
import { LocalTimerStore } from './timer-store';

const opened: LocalDatabase[] = [];
const dirs: string[] = [];
function database(dir = mkdtempSync(join(tmpdir(), 'caribou-timers-'))): { db: LocalDatabase; dir: string } {
  if (!dirs.includes(dir)) dirs.push(dir);
  const db = new LocalDatabase(join(dir, 'local.db'));
  opened.push(db);
  return { db, dir };
}
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('LocalTimerStore (libsql file)', () => {
  it('keeps timers with their payloads; a set-up restarts the count; ticks only move forward', async () => {
    const clock = { t: 1_000, now: () => clock.t };
    const { db, dir } = database();
    const store = new LocalTimerStore(db, clock);
    await store.putTimer('log_syncer', 'cron(5 0 * * ? *)', { action: 'log_sync' });
    clock.t = 2_000;
    await store.putTimer('deployment_manager', 'cron(0 1 * * ? *)', { action: 'manage_deployments', deployment_metrics_calculator_type: 'simple' });
    expect(await store.getTimer('log_syncer')).toBe('cron(5 0 * * ? *)');
    expect(await store.getTimer('carbon_collector')).toBeUndefined();

    await store.recordTick('log_syncer', 5_000);
    await store.recordTick('log_syncer', 4_000); // a tick recorded late never moves the anchor back
    // Another process (a second handle on the same file) sees it.
    const other = new LocalTimerStore(database(dir).db, clock);
    expect(await other.list()).toEqual([
      { name: 'deployment_manager', expression: 'cron(0 1 * * ? *)', payload: { action: 'manage_deployments', deployment_metrics_calculator_type: 'simple' }, setUpMs: 2_000, anchorMs: 2_000 },
      { name: 'log_syncer', expression: 'cron(5 0 * * ? *)', payload: { action: 'log_sync' }, setUpMs: 1_000, anchorMs: 5_000 },
    ]);

    clock.t = 9_000;
    await store.putTimer('log_syncer', 'rate(6 hours)', { action: 'log_sync' });
    expect((await other.list()).find((t) => t.name === 'log_syncer')).toMatchObject({ expression: 'rate(6 hours)', setUpMs: 9_000, anchorMs: 9_000 });
    await store.removeTimer('log_syncer');
    await store.removeTimer('log_syncer');
    expect((await other.list()).map((t) => t.name)).toEqual(['deployment_manager']);
  });

  it('reads a damaged payload as no event (the scheduler then names the timer)', async () => {
    const { db } = database();
    const store = new LocalTimerStore(db, { now: () => 0 });
    await store.putTimer('log_syncer', 'cron(5 0 * * ? *)', { action: 'log_sync' });
    db.run("UPDATE timers SET payload = '{not json' WHERE name = 'log_syncer'");
    expect((await store.list())[0]!.payload).toEqual({});
  });
});

describe('LocalSchedulerLock (one caribou serve per CARIBOU_HOME)', () => {
  it('refuses a second holder while the first holds it, naming it, and is free again once released', async () => {
    const { db, dir } = database();
    const first = await new LocalSchedulerLock(db, dir).acquire();
    expect(first.tookOverFrom).toBeUndefined();
    const second = new LocalSchedulerLock(database(dir).db, dir);
    await expect(second.acquire()).rejects.toThrow(
      new RegExp(`^Another caribou serve \\(pid ${process.pid} on ${hostname()}, since .*Z\\) runs the timers of CARIBOU_HOME=${dir}: stop it first \\(kill ${process.pid}\\)`),
    );
    await first.release();
    const again = await second.acquire();
    expect(again.tookOverFrom).toBeUndefined();
    await again.release();
  });

  it('takes over from a holder whose process is gone', async () => {
    const { db, dir } = database();
    // A real process that has exited: its pid names nobody now.
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    db.run("INSERT INTO meta (key, value) VALUES ('scheduler_lock', ?)", JSON.stringify({ pid: gone, host: hostname(), processStart: null, since: 0 }));
    const lease = await new LocalSchedulerLock(db, dir).acquire();
    expect(lease.tookOverFrom).toBe(`pid ${gone} on ${hostname()}, since 1970-01-01T00:00:00Z`);
    await lease.release();
  });

  it('does not take over from a live process, nor from a pid reused by a later process', async () => {
    const { db, dir } = database();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      const holder = (processStart: string | null) => JSON.stringify({ pid: child.pid, host: hostname(), processStart, since: 0 });
      db.run("INSERT INTO meta (key, value) VALUES ('scheduler_lock', ?)", holder(null));
      await expect(new LocalSchedulerLock(db, dir).acquire()).rejects.toThrow(`Another caribou serve (pid ${child.pid} on ${hostname()}`);
      // The same pid with another start time is another process: the holder is gone.
      db.run("UPDATE meta SET value = ? WHERE key = 'scheduler_lock'", holder('1'));
      const lease = await new LocalSchedulerLock(db, dir).acquire();
      expect(lease.tookOverFrom).toContain(`pid ${child.pid}`);
      await lease.release();
    } finally {
      child.kill('SIGKILL');
    }
  });
});
