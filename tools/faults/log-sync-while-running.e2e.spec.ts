import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '@caribou/cli/testing';
import { LocalHomeInspector, sumOf } from './local-home';

const WORKFLOW = 'small_sync_example-0.0.1';
const RUNS = 1500;

/** Polls `condition` every 100 ms until it holds (or `limitMs` passes): waits for an observed state, not for a guessed time. */
async function until(condition: () => boolean, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('log_sync while runs execute (issue 22: nothing lost)', () => {
  const home = mkdtempSync(join(tmpdir(), 'caribou-sync-race-'));
  const env = { CARIBOU_HOME: home };
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it(`${RUNS} runs, a log_sync in another process while they run, then a final one: ${RUNS} synced, daily count ${RUNS}`, async () => {
    const deploy = await runCli(['deploy', '-p', join(REPO_ROOT, 'examples/small_sync_example')], { env });
    expect(deploy.code, deploy.stderr).toBe(0);
    const inspector = new LocalHomeInspector(home);

    const child = spawn(process.execPath, [join(REPO_ROOT, 'apps/cli/bin/run.js'), 'run', WORKFLOW, '-a', '{"execute_1": true, "execute_3": true}', '--times', String(RUNS)], {
      env: { ...process.env, ...env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let exited = false;
    const exit = new Promise<number | null>((resolve) => child.on('close', (code) => ((exited = true), resolve(code))));

    // Force the sync into the middle of the runs: once a fifth have finished and some are executing.
    await until(() => {
      try {
        const runs = inspector.runs();
        return (runs.succeeded ?? 0) >= RUNS / 5 && (runs.running ?? 0) > 0;
      } catch {
        return false; // the database is still being created
      }
    }, 600_000);
    const middle = await runCli(['log_sync', '--json'], { env });
    expect(middle.code, middle.stderr).toBe(0);
    const runsStillGoing = !exited && (inspector.runs().running ?? 0) > 0;
    expect(runsStillGoing).toBe(true);
    const [midReport] = JSON.parse(middle.stdout) as Array<{ runs_synced: number; runs_incomplete: number }>;
    expect(midReport!.runs_synced).toBeGreaterThan(0);
    expect(midReport!.runs_synced).toBeLessThan(RUNS);

    expect(await exit, stderr).toBe(0);
    expect(stdout.match(/^Run ID: [0-9a-f]{32}$/gm)).toHaveLength(RUNS);

    const final = await runCli(['log_sync', '--json'], { env });
    expect(final.code, final.stderr).toBe(0);
    const [finalReport] = JSON.parse(final.stdout) as Array<{ runs_synced: number; runs_incomplete: number }>;
    expect(midReport!.runs_synced + finalReport!.runs_synced).toBe(RUNS);
    expect(midReport!.runs_incomplete + finalReport!.runs_incomplete).toBe(0);

    const summary = inspector.summary(WORKFLOW)!;
    expect(summary.logs).toHaveLength(RUNS);
    expect(new Set(summary.logs.map((log) => log.run_id)).size).toBe(RUNS);
    expect(sumOf(summary.daily_invocation_counts)).toBe(RUNS);
    expect(inspector.runs()).toEqual({ succeeded: RUNS });
  }, 900_000);
});
