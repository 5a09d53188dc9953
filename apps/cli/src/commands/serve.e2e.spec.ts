import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TIMERS } from '@caribou/application/timers';
import { REPO_ROOT, runCli } from '../testing/run-cli';

/** A `caribou serve` child whose output is collected; `waitFor` resolves once stdout has matched. */
function startServe(env: Record<string, string>): { child: ChildProcess; stdout: () => string; stderr: () => string; waitFor: (pattern: RegExp) => Promise<void>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'apps/cli/bin/run.js'), 'serve'], {
    cwd: REPO_ROOT,
    env: { ...process.env, CI: '1', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  child.stdout!.on('data', (chunk) => {
    stdout += String(chunk);
    for (const waiter of waiters.filter((w) => w.pattern.test(stdout))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const waitFor = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      if (pattern.test(stdout)) return resolve();
      waiters.push({ pattern, resolve });
      void exited.then((code) => reject(new Error(`serve exited (${code}) before printing ${pattern}: ${stdout}${stderr}`)));
    });
  return { child, stdout: () => stdout, stderr: () => stderr, waitFor, exited };
}

describe('timers on the local provider, through the real CLI', () => {
  const home = mkdtempSync(join(tmpdir(), 'caribou-serve-'));
  const env = { CARIBOU_HOME: home };
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('setup_all_timers then list_timers --json lists the six timers with their default expressions', async () => {
    const setup = await runCli(['setup_all_timers'], { env });
    expect(setup.code, setup.stderr).toBe(0);
    expect(setup.stdout).toContain('Successfully created timer rule for deployment_migrator, schedule expression: cron(0 2 * * ? *)');
    const list = await runCli(['list_timers', '--json'], { env });
    expect(list.code, list.stderr).toBe(0);
    const timers = JSON.parse(list.stdout) as Array<{ name: string; expression: string | null; description: string }>;
    expect(timers.map((t) => [t.name, t.expression])).toEqual(TIMERS.map((t) => [t.name, t.schedule]));
    expect(timers[4]!.description).toBe('At 01:00 (UTC; Cron Expression: cron(0 1 * * ? *))');
  });

  it('setup_timer takes a custom expression, refuses a bad one in one line, and remove_timer / remove_all_timers remove them', async () => {
    const custom = await runCli(['setup_timer', 'log_syncer', '-se', 'rate(6 hours)'], { env });
    expect(custom.stdout).toBe('Successfully created timer rule for log_syncer, schedule expression: rate(6 hours) - Every 6 hours (Rate Expression: rate(6 hours))\n');
    const bad = await runCli(['setup_timer', 'log_syncer', '-se', 'cron(0 25 * * ? *)'], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'Error: Schedule expression cron(0 25 * * ? *): Constraint error, got value 25 expected range 0-23; the fields are cron(minutes hours day-of-month month day-of-week year), e.g. cron(0 1 * * ? *) or rate(1 day)\n',
    );
    const removed = await runCli(['remove_timer', 'log_syncer'], { env });
    expect(removed.stdout).toBe('Removed timer log_syncer\n');
    const list = JSON.parse((await runCli(['list_timers', '--json'], { env })).stdout) as Array<{ name: string; expression: string | null }>;
    expect(list.find((t) => t.name === 'log_syncer')!.expression).toBeNull();
    expect((await runCli(['remove_all_timers'], { env })).stdout).toContain('Timer log_syncer is not configured\n');
    const empty = JSON.parse((await runCli(['list_timers', '--json'], { env })).stdout) as Array<{ expression: string | null }>;
    expect(empty.every((t) => t.expression === null)).toBe(true);
    expect((await runCli(['setup_all_timers'], { env })).code).toBe(0);
  });

  it("setup_all_timers -prc 'cron(0 3 1 * ? *)' sets only provider_collector's schedule, the others their defaults; a bad -los changes nothing", async () => {
    const setup = await runCli(['setup_all_timers', '-prc', 'cron(0 3 1 * ? *)'], { env });
    expect(setup.code, setup.stderr).toBe(0);
    const expressions = async () => (JSON.parse((await runCli(['list_timers', '--json'], { env })).stdout) as Array<{ name: string; expression: string | null }>).map((t) => [t.name, t.expression]);
    const expected = TIMERS.map((t) => [t.name, t.name === 'provider_collector' ? 'cron(0 3 1 * ? *)' : t.schedule]);
    expect(await expressions()).toEqual(expected);
    // The long form, and a bad expression for another timer: refused before any timer is touched.
    const bad = await runCli(['setup_all_timers', '--carbon_collector', 'rate(2 hours)', '-los', 'cron(0 25 * * ? *)'], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error: Schedule expression cron\(0 25 \* \* \? \*\): .*\n$/);
    expect(await expressions()).toEqual(expected);
    // A near miss is refused in one line, never read as -p cr.
    const typo = await runCli(['setup_all_timers', '-pcr', 'cron(0 3 1 * ? *)'], { env });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe(
      'Error: Unknown flag -pcr: did you mean -prc? short flags are one letter with the value after a space (-p DIR, not -pDIR); the longer ones are -se, -prc, -cac, -pec, -los, -dma, -dmi\n',
    );
    expect(await expressions()).toEqual(expected);
    expect((await runCli(['setup_all_timers'], { env })).code).toBe(0);
    expect(await expressions()).toEqual(TIMERS.map((t) => [t.name, t.schedule]));
  });

  it('a second serve on the same home refuses in one line; SIGTERM stops the first cleanly and frees the home', async () => {
    const first = startServe(env);
    await first.waitFor(/^Serving 6 timer\(s\); next: \w+ at \S+Z$/m);

    const second = await runCli(['serve'], { env });
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toMatch(
      new RegExp(`^Error: Another caribou serve \\(pid ${first.child.pid} on \\S+, since \\S+Z\\) runs the timers of CARIBOU_HOME=${home}: stop it first \\(kill ${first.child.pid}\\) or point CARIBOU_HOME at another directory\\n$`),
    );

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.stdout()).toMatch(/SIGTERM received: stopping after the running action \(send it again to stop now\)\nStopped after \d+ tick\(s\)\n$/);
    expect(first.stderr()).toBe('');

    // The lock went with it: the next serve starts without a take-over.
    const third = startServe(env);
    await third.waitFor(/^Serving 6 timer\(s\)/m);
    third.child.kill('SIGINT');
    expect(await third.exited).toBe(0);
    expect(third.stdout()).not.toContain('Took over');
  }, 60_000);

  it('a serve killed with SIGKILL leaves a lock the next serve takes over', async () => {
    const killed = startServe(env);
    await killed.waitFor(/^Serving/m);
    killed.child.kill('SIGKILL');
    await killed.exited;
    const next = startServe(env);
    await next.waitFor(/^Serving/m);
    expect(next.stdout()).toContain(`Took over from a caribou serve that is gone (pid ${killed.child.pid} on `);
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  }, 60_000);

  it('serve is for the local provider: --provider aws is refused in one line', async () => {
    const aws = await runCli(['serve', '--provider', 'aws'], { env });
    expect(aws.code).toBe(1);
    expect(aws.stderr).toBe("Error: caribou serve runs the local provider's timers; on aws EventBridge runs them: use caribou setup_all_timers --provider aws\n");
  });
});
