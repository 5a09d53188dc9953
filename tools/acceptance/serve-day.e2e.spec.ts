import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContainer, SERVICES, type CaribouContainer } from '@caribou/cli/composition';
import { REPO_ROOT, runCli } from '@caribou/cli/testing';
import type { TickOutcome } from '@caribou/application';

const WF = 'small_sync_example-0.0.1';
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * `caribou serve`'s loop as the CLI composes it (the same container, services and libsql
 * home), with the wall clock under the local provider's simulation clock injected and a
 * sleeper that advances it: a day passes in seconds and every instant is exact.
 */
describe('caribou serve through a day on the local provider (injected clock)', () => {
  const home = mkdtempSync(join(tmpdir(), 'caribou-serve-day-'));
  const env = { CARIBOU_HOME: home, ELECTRICITY_MAPS_AUTH_TOKEN: '', GOOGLE_API_KEY: '' };
  // 22:00 UTC on the last day of next month: later than anything the CLI stamps with the real
  // clock (the deploy), and the night after starts a month, when the provider collector runs too.
  const now = new Date();
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 0, 22, 0, 0);
  const firstOfMonth = start + 2 * HOUR;
  const clock = { t: start };
  let stop = new AbortController();
  let stopAt = Infinity;
  const sleeper = {
    async sleep(ms: number) {
      clock.t += ms;
      if (clock.t >= stopAt) stop.abort();
    },
  };
  let container: CaribouContainer;

  beforeAll(async () => {
    const deploy = await runCli(['deploy', '-p', join(REPO_ROOT, 'examples/small_sync_example')], { env });
    expect(deploy.code, deploy.stderr).toBe(0);
    container = await createContainer('local', { ...process.env, ...env }, { quietProgress: true, time: { wallClock: () => clock.t, sleeper } });
    // The workflow has runs: 24 of them, at the injected time, in this process's engine.
    const runner = container.get(SERVICES.Run);
    const tracker = container.get(SERVICES.RunTracker);
    const started: string[] = [];
    for (let i = 0; i < 24; i++) {
      await tracker.waitForSlot?.();
      started.push((await runner.run(WF, JSON.stringify({ execute_1: true, execute_2: false, execute_3: true }))).runId);
    }
    for (const runId of started) expect((await tracker.waitForRun(runId)).failed).toBe(false);
  }, 240_000);

  afterAll(async () => {
    await container?.close();
    rmSync(home, { recursive: true, force: true });
  });

  const serve = async (until: number) => {
    stop = new AbortController();
    stopAt = until;
    const lines: string[] = [];
    const ticks: TickOutcome[] = [];
    await container.get(SERVICES.TimerLoop).serve({ signal: stop.signal, report: (line) => lines.push(line), onTick: (tick) => ticks.push(tick) });
    return { lines, ticks };
  };

  it('runs the six actions at their times and ends the day with a migrated plan for the workflow that had runs', async () => {
    const setup = await container.get(SERVICES.Timers).setup(() => undefined);
    expect(setup).toEqual({ deployed: true, failed: [] });

    const { lines, ticks } = await serve(start + 24 * HOUR);
    const at = (hours: number, minutes: number) => iso(firstOfMonth + hours * HOUR + minutes * 60_000);
    expect(ticks.map((t) => [t.timer, iso(t.ranAtMs), t.ok, t.catchUp])).toEqual([
      ['provider_collector', at(0, 5), true, false],
      ['log_syncer', at(0, 5), true, false],
      ['carbon_collector', at(0, 30), true, false],
      ['performance_collector', at(0, 30), true, false],
      ['deployment_manager', at(1, 0), true, false],
      ['deployment_migrator', at(2, 0), true, false],
    ]);
    // One line per tick, after the start line; what each action did, through the real services.
    expect(lines[0]).toBe(`Serving 6 timer(s); next: provider_collector at ${at(0, 5)}`);
    expect(lines).toHaveLength(7);
    expect(lines[2]).toBe(`${at(0, 5)} log_syncer: ok — ${WF}: 24 runs synced`);
    expect(lines[5]).toMatch(new RegExp(`^${at(1, 0)} deployment_manager: ok — ${WF}: solved \\d+ hour\\(s\\), plan staged for the migrator$`));
    expect(lines[6]).toMatch(new RegExp(`^${at(2, 0)} deployment_migrator: ok — ${WF}: migrated \\(\\d+ action\\(s\\)\\)$`));

    const plan = await runCli(['plan', WF, '--json'], { env });
    expect(plan.code, plan.stderr).toBe(0);
    const report = JSON.parse(plan.stdout) as { status: string; time_keys: Array<{ moved_instances: string[] }> };
    expect(report.status).toBe('published');
    expect(report.time_keys.length).toBeGreaterThan(0);
    expect(report.time_keys.some((key) => key.moved_instances.length > 0)).toBe(true);
  }, 240_000);

  it('after two days without serve, the next serve catches each daily timer up once (the monthly one had no missed tick)', async () => {
    clock.t = firstOfMonth + 2 * 24 * HOUR + 12 * HOUR; // noon on the 3rd
    const { ticks } = await serve(clock.t + 1);
    const due = (hours: number, minutes: number) => iso(firstOfMonth + 2 * 24 * HOUR + hours * HOUR + minutes * 60_000);
    expect(ticks.map((t) => [t.timer, iso(t.tickMs), t.catchUp, t.missedTicks, t.ok])).toEqual([
      ['log_syncer', due(0, 5), true, 1, true],
      ['carbon_collector', due(0, 30), true, 1, true],
      ['performance_collector', due(0, 30), true, 1, true],
      ['deployment_manager', due(1, 0), true, 1, true],
      ['deployment_migrator', due(2, 0), true, 1, true],
    ]);
  }, 240_000);
});
