import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMALL_SYNC_TRUTH_TABLE } from './small-sync-truth-table';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'libsql';
import { REPO_ROOT, runCli } from '@caribou/cli/testing';

const WORKFLOW = 'small_sync_example-0.0.1';
const E = 'small_sync_example-0_0_1-initial_function:entry_point:0';
const S = 'small_sync_example-0_0_1-syncFunction:sync:';
const T = 'small_sync_example-0_0_1-secondSyncFunction:sync:';


describe('caribou CLI on the local provider: small_sync_example', () => {
  const home = mkdtempSync(join(tmpdir(), 'caribou-e2e-'));
  const env = { CARIBOU_HOME: home };

  beforeAll(async () => {
    const deploy = await runCli(['deploy', '-p', join(REPO_ROOT, 'examples/small_sync_example')], { env });
    expect(deploy.stderr + deploy.stdout).toContain(`Workflow id: ${WORKFLOW}`);
    expect(deploy.code).toBe(0);
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('deploying the same workflow id again without a change says unchanged and updates nothing (the reference refused)', async () => {
    const again = await runCli(['deploy', '-p', join(REPO_ROOT, 'examples/small_sync_example')], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(`Workflow ${WORKFLOW} is unchanged: nothing to update (deployed release kept)\n`);
    const dry = await runCli(['deploy', '-p', join(REPO_ROOT, 'examples/small_sync_example'), '--dry-run'], { env });
    expect(dry.stdout).toBe(`Workflow ${WORKFLOW} is unchanged: nothing to update\n`);
    const rollback = await runCli(['rollback', WORKFLOW], { env });
    expect(rollback.code).toBe(1);
    expect(rollback.stderr).toBe(`Error: rollback needs function versions, which the local provider does not keep; deploy the previous code of ${WORKFLOW} again\n`);
  });

  it.each(SMALL_SYNC_TRUTH_TABLE)(
    'execute_1=%s execute_2=%s execute_3=%s → syncFunction runs: %s, secondSyncFunction runs: %s (each at most once)',
    async (e1, e2, e3, syncRuns, secondRuns) => {
      const argument = JSON.stringify({ execute_1: e1, execute_2: e2, execute_3: e3 });
      const run = await runCli(['run', WORKFLOW, '-a', argument, '--wait', '--json'], { env });
      expect(run.code, run.stderr).toBe(0);
      const result = JSON.parse(run.stdout) as { run_id: string; executions: Array<{ instance_name: string; region: string; status: string }> };
      expect(result.run_id).toMatch(/^[0-9a-f]{32}$/);
      const count = (instance: string) => result.executions.filter((e) => e.instance_name === instance).length;
      expect(count(E)).toBe(1);
      expect(count(S)).toBe(syncRuns ? 1 : 0);
      expect(count(T)).toBe(secondRuns ? 1 : 0);
      for (const execution of result.executions) {
        expect(execution.status).toBe('succeeded');
        expect(execution.region).toBe('local:us-east-1');
      }
    },
  );

  it('lists and shows the workflow', async () => {
    const list = await runCli(['list'], { env });
    expect(list.stdout).toBe(`Deployed workflows:\n${WORKFLOW}\n`);
    const show = await runCli(['show', WORKFLOW, '--json'], { env });
    const view = JSON.parse(show.stdout) as { deployed_functions: unknown[]; home_region: string };
    expect(view.home_region).toBe('local:us-east-1');
    expect(view.deployed_functions).toHaveLength(3);
  });

  it('remove leaves no row, function copy, log or run record of the workflow behind', async () => {
    const removed = await runCli(['remove', WORKFLOW], { env });
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain(`Removed workflow ${WORKFLOW}`);
    const db = new Database(join(home, 'local.db'));
    const count = (sql: string, ...params: unknown[]) => (db.prepare(sql).get(...params) as { n: number }).n;
    expect(count('SELECT count(*) AS n FROM kv WHERE key LIKE ? AND value IS NOT NULL', 'small_sync_example%')).toBe(0);
    expect(count('SELECT count(*) AS n FROM functions')).toBe(0);
    expect(count('SELECT count(*) AS n FROM roles')).toBe(0);
    expect(count('SELECT count(*) AS n FROM logs')).toBe(0);
    expect(count('SELECT count(*) AS n FROM executions')).toBe(0);
    for (const table of ['sync_messages', 'sync_marks', 'sync_claims']) expect(count(`SELECT count(*) AS n FROM ${table}`)).toBe(0);
    db.close();
    expect(readdirSync(join(home, 'functions', 'us-east-1'))).toEqual([]);
    const list = await runCli(['list'], { env });
    expect(list.stdout).toBe('No workflows deployed\n');
    const again = await runCli(['remove', WORKFLOW], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`No workflow ${WORKFLOW} is deployed`);
  });
});
