import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '@caribou/cli/testing';

const WORKFLOW = 'small_sync_example-0.0.1';
const T = 'small_sync_example-0_0_1-secondSyncFunction:sync:';

interface FailureView {
  run_id: string;
  instance: string;
  region: string;
  error: string;
  condition: string;
  attempts: number;
}

/**
 * The local provider treats a failed asynchronous invocation as Lambda does: it retries the
 * event (retry_attempts, here 1), then writes an invocation record to the region's on-failure
 * destination; `run --wait`, `show` and `log_sync` report what was drained from it.
 */
describe('caribou CLI on the local provider: invocations that keep failing are never silent', () => {
  const home = mkdtempSync(join(tmpdir(), 'caribou-e2e-failures-'));
  const project = mkdtempSync(join(tmpdir(), 'caribou-e2e-failing-project-'));
  const env = { CARIBOU_HOME: home };

  beforeAll(async () => {
    cpSync(join(REPO_ROOT, 'examples/small_sync_example'), project, { recursive: true });
    const appPath = join(project, 'src', 'app.ts');
    const app = readFileSync(appPath, 'utf8');
    const failing = app.replace("console.log('secondSyncFunction received', JSON.stringify(received));", "throw new Error(`secondSyncFunction always fails (${received.length} inputs)`);");
    expect(failing).not.toBe(app);
    writeFileSync(appPath, failing);
    const configPath = join(project, '.caribou', 'config.yml');
    writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('        memory: 128', '        memory: 128\n        retry_attempts: 1'));
    const deploy = await runCli(['deploy', '-p', project], { env });
    expect(deploy.code, deploy.stderr).toBe(0);
  });
  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
    rmSync(project, { recursive: true, force: true });
  });

  let failedRun = '';

  it('run --wait retries the failing function once, then reports the invocation given up on and fails', async () => {
    const run = await runCli(['run', WORKFLOW, '-a', '{"execute_3": true}', '--wait', '--json'], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/run [0-9a-f]{32} failed in small_sync_example-0_0_1-secondSyncFunction:sync:: .*always fails/);
    const result = JSON.parse(run.stdout) as {
      run_id: string;
      executions: Array<{ instance_name: string; status: string }>;
      failed_invocations: Array<{ instance_name: string; region: string; error: string; condition: string; attempts: number }>;
    };
    failedRun = result.run_id;
    expect(result.executions.filter((e) => e.instance_name === T).map((e) => e.status)).toEqual(['failed', 'failed']);
    expect(result.failed_invocations).toEqual([
      { instance_name: T, region: 'local:us-east-1', error: 'Error: secondSyncFunction always fails (1 inputs)', condition: 'RetriesExhausted', attempts: 2 },
    ]);
  });

  it('show --json lists the failed invocation with run id, instance, region and error', async () => {
    const show = await runCli(['show', WORKFLOW, '--json'], { env });
    expect(show.code, show.stderr).toBe(0);
    const view = JSON.parse(show.stdout) as { failed_invocations: FailureView[]; failed_runs: string[] };
    expect(view.failed_runs).toEqual([failedRun]);
    expect(view.failed_invocations).toEqual([
      expect.objectContaining({ run_id: failedRun, instance: T, region: 'local:us-east-1', error: 'Error: secondSyncFunction always fails (1 inputs)', attempts: 2 }),
    ]);
  });

  it('log_sync counts the failures it drains; a run that never reaches the failing function reports none', async () => {
    // Without --wait the run still executes locally, but nothing drains the destination yet.
    const run = await runCli(['run', WORKFLOW, '-a', '{"execute_3": true}'], { env });
    expect(run.code).toBe(1);
    const sync = await runCli(['log_sync', '--json'], { env });
    expect(sync.code, sync.stderr).toBe(0);
    const [report] = JSON.parse(sync.stdout) as Array<{ workflow_id: string; failed_invocations: number; runs_with_failed_invocations: number }>;
    expect(report).toMatchObject({ workflow_id: WORKFLOW, failed_invocations: 1, runs_with_failed_invocations: 1 });
    const show = await runCli(['show', WORKFLOW, '--json'], { env });
    expect((JSON.parse(show.stdout) as { failed_runs: string[] }).failed_runs).toHaveLength(2);
    const ok = await runCli(['run', WORKFLOW, '-a', '{}', '--wait', '--json'], { env });
    expect(ok.code, ok.stderr).toBe(0);
    expect((JSON.parse(ok.stdout) as { failed_invocations: unknown[] }).failed_invocations).toEqual([]);
  });
});
