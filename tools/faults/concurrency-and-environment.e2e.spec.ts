import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '@caribou/cli/testing';
import { freshHome, writeProject } from './cli-process';
import { isCleanMessage } from './figures';
import { LocalHomeInspector } from './local-home';

const homes: string[] = [];
afterAll(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

describe('concurrent commands on one fresh home (issue 22)', () => {
  it('20 concurrent `caribou list` on a fresh CARIBOU_HOME: 0 errors', async () => {
    const home = freshHome('concurrent');
    homes.push(home);
    const results = await Promise.all(Array.from({ length: 20 }, () => runCli(['list'], { env: { CARIBOU_HOME: home } })));
    const errors = results.filter((r) => r.code !== 0 || r.stdout !== 'No workflows deployed\n');
    expect(errors.map((r) => r.stderr)).toEqual([]);
  }, 600_000);
});

describe('different commands at once on one home (issue 22)', () => {
  const WORKFLOW = 'small_sync_example-0.0.1';
  const ARGUMENT = '{"execute_1": true, "execute_3": true}';

  it('two run --times 8, two log_sync, show, list and report together: each completes, the store is intact, then every run is synced once', async () => {
    const home = freshHome('mixed');
    homes.push(home);
    const env = { CARIBOU_HOME: home };
    const deploy = await runCli(['deploy', '-p', join(REPO_ROOT, 'examples/small_sync_example')], { env });
    expect(deploy.code, deploy.stderr).toBe(0);
    const commands = [
      ['run', WORKFLOW, '-a', ARGUMENT, '--times', '8'],
      ['log_sync'],
      ['show', WORKFLOW],
      ['run', WORKFLOW, '-a', ARGUMENT, '--times', '8'],
      ['list'],
      ['log_sync'],
      ['report', WORKFLOW],
    ];
    const results = await Promise.all(commands.map((args) => runCli(args, { env })));
    const failures = results
      .map((result, i) => ({ command: commands[i]!.join(' '), ...result }))
      // Before the first sync has read a whole run, the report says so in one line: that is an answer, not a failure.
      .filter((r) => r.code !== 0 && !(r.command.startsWith('report') && isCleanMessage(r.stderr.trim()) && /No synced runs/.test(r.stderr)));
    expect(failures.map((f) => `${f.command} → ${f.code}: ${f.stderr}`)).toEqual([]);
    const inspector = new LocalHomeInspector(home);
    expect(inspector.integrity()).toBe('ok');

    const runIds = results.flatMap((r, i) => (commands[i]![0] === 'run' ? [...r.stdout.matchAll(/Run ID: ([0-9a-f]{32})/g)].map((m) => m[1]!) : []));
    expect(new Set(runIds).size).toBe(16);
    const last = await runCli(['log_sync'], { env });
    expect(last.code, last.stderr).toBe(0);
    const synced = inspector.summary(WORKFLOW)!.logs.map((log) => log.run_id);
    expect(synced.length).toBe(new Set(synced).size);
    expect(runIds.filter((id) => !synced.includes(id))).toEqual([]);
  }, 600_000);
});

describe('what a local function sees in process.env (issue 22)', () => {
  const app = `import { CaribouWorkflow } from '@caribou/sdk';
export const workflow = new CaribouWorkflow({ name: 'env_probe', version: '0.0.1' });
export const probe = workflow.serverlessFunction({ name: 'probe', entryPoint: true }, async () => {
  console.log('ENVIRONMENT ' + JSON.stringify(process.env));
  return { status: 200 };
});
`;

  it('a function that logs process.env shows only its declared variables and Caribou’s own, not the deployer’s secrets', async () => {
    const home = freshHome('env');
    homes.push(home);
    const env = {
      CARIBOU_HOME: home,
      AWS_SECRET_ACCESS_KEY: 'deployer-secret-key',
      ELECTRICITY_MAPS_AUTH_TOKEN: 'deployer-em-token',
      GOOGLE_API_KEY: 'deployer-google-key',
    };
    const deploy = await runCli(['deploy', '-p', writeProject('env_probe', app)], { env });
    expect(deploy.code, deploy.stderr).toBe(0);
    const run = await runCli(['run', 'env_probe-0.0.1', '--wait'], { env });
    expect(run.code, run.stderr).toBe(0);
    const [line] = new LocalHomeInspector(home).lines("SELECT line FROM logs WHERE line LIKE '%ENVIRONMENT {%'");
    const seen = JSON.parse(line!.slice(line!.indexOf('ENVIRONMENT ') + 'ENVIRONMENT '.length)) as Record<string, string>;
    // CARIBOU_CLIENT_REGION: where the workflow's clients call from (issue 19), the home region unless configured.
    expect(Object.keys(seen).sort()).toEqual(
      ['AWS_DEFAULT_REGION', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_REGION', 'CARIBOU_CLIENT_REGION', 'CARIBOU_REGION', 'DECLARED_VARIABLE'].sort(),
    );
    expect(seen.DECLARED_VARIABLE).toBe('declared');
    expect(JSON.stringify(new LocalHomeInspector(home).lines('SELECT line FROM logs'))).not.toMatch(/deployer-(secret-key|em-token|google-key)/);
  }, 600_000);
});
