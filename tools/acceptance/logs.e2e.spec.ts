import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '@caribou/cli/testing';
import { freshHome, writeProject } from '../faults/cli-process';

/**
 * Issue 25, `caribou logs` on the local provider through the real CLI: a function's own output
 * (console.log, console.error), which names no run, shown per execution with its region,
 * instance and run. The AWS side (CloudWatch on moto) is in aws-cli.int.spec.ts.
 */
const WORKFLOW = 'loud-0.0.1';
const app = `import { CaribouWorkflow } from '@caribou/sdk';
export const workflow = new CaribouWorkflow({ name: 'loud', version: '0.0.1' });
export const first = workflow.serverlessFunction({ name: 'first', entryPoint: true }, async (event: unknown) => {
  console.log('colour marker ' + (typeof event === 'string' ? event : JSON.stringify(event)));
  console.error('a complaint\\nover two lines');
  workflow.invokeServerlessFunction(second, { n: 1 });
  return { status: 200 };
});
export const second = workflow.serverlessFunction({ name: 'second' }, async () => {
  console.log('second says hello');
  return { status: 200 };
});
`;

let home: string;
let project: string;
const runIds: Record<string, string> = {};
const cli = (args: string[]) => runCli(args, { env: { CARIBOU_HOME: home } });

beforeAll(async () => {
  home = freshHome('logs');
  project = writeProject('loud', app);
  const deploy = await cli(['deploy', '-p', project]);
  expect(deploy.code, deploy.stderr).toBe(0);
  for (const colour of ['red', 'blue']) {
    const run = await cli(['run', WORKFLOW, '-a', JSON.stringify({ colour }), '--wait']);
    expect(run.code, run.stderr).toBe(0);
    runIds[colour] = /Run ID for current run: ([0-9a-f]{32})/.exec(run.stdout)![1]!;
  }
}, 300_000);

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(dirname(project), { recursive: true, force: true });
});

describe('caribou logs (local provider)', () => {
  it('--run prints the marker the function logged, with its region, instance and run; not the other run, no [CARIBOU] lines', async () => {
    const result = await cli(['logs', WORKFLOW, '--run', runIds.red!]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    const marker = lines.find((line) => line.includes('colour marker'));
    expect(marker).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC  local:us-east-1  loud-0_0_1-first:entry_point:0  run ${runIds.red}  INFO  colour marker .*red`));
    expect(marker).not.toContain('blue');
    expect(result.stdout).toContain(`run ${runIds.red}  ERROR  a complaint\n    over two lines\n`);
    expect(result.stdout).toContain(`run ${runIds.red}  INFO  second says hello`);
    expect(result.stdout).not.toContain('blue');
    expect(result.stdout).not.toContain('[CARIBOU]');
    expect(result.stdout).not.toContain('REPORT RequestId');
  }, 60_000);

  it('--system adds the framework and platform lines; --function keeps one function', async () => {
    const system = await cli(['logs', WORKFLOW, '--run', runIds.blue!, '--system']);
    expect(system.stdout).toContain('[CARIBOU]');
    expect(system.stdout).toContain('REPORT RequestId');
    const second = await cli(['logs', WORKFLOW, '--function', 'second']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.trimEnd().split('\n').map((line) => line.replace(/^.*  INFO  /, ''))).toEqual(['second says hello', 'second says hello']);
  }, 60_000);

  it('--json: an array of objects with snake_case keys, the run and region of each line', async () => {
    const result = await cli(['logs', WORKFLOW, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const entries = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(Object.keys(entries[0]!)).toEqual(['time', 'region', 'function', 'instance', 'run_id', 'request_id', 'level', 'message', 'system']);
    const markers = entries.filter((entry) => String(entry.message).startsWith('colour marker'));
    expect(markers.map((entry) => [entry.run_id, entry.region, entry.function])).toEqual([
      [runIds.red, 'local:us-east-1', 'first'],
      [runIds.blue, 'local:us-east-1', 'first'],
    ]);
  }, 60_000);

  it.each([
    [['logs', WORKFLOW, '--function', 'third'], 'Error: --function third: loud-0.0.1 has no such function; choose one of first, second\n'],
    [['logs', WORKFLOW, '--since', 'yesterday'], 'Error: --since "yesterday" is neither a duration (30s, 10m, 2h, 1d, 1w) nor a UTC day (2026-12-01) or ISO 8601 time\n'],
    [['logs', 'quiet-0.0.1', '--json'], '{"error":"Workflow quiet-0.0.1 is not deployed; caribou list shows the deployed workflows"}\n'],
  ])('%j is refused in one line naming the fix', async (args, stderr) => {
    const result = await cli(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(stderr);
    expect(result.stdout).toBe('');
  }, 60_000);

  it('--follow prints the lines of a run that starts while it reads, once each, and Ctrl-C ends it with exit 0', async () => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'apps/cli/bin/run.js'), 'logs', WORKFLOW, '--follow', '--function', 'second', '--json'], {
      cwd: REPO_ROOT,
      env: { ...process.env, CARIBOU_HOME: home, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const lines = () => stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { run_id: string; message: string });
    const until = async (condition: () => boolean) => {
      while (!condition()) await new Promise((resolve) => setTimeout(resolve, 200));
    };
    await until(() => lines().length >= 2);
    const run = await cli(['run', WORKFLOW, '-a', '{"colour": "green"}', '--wait']);
    const green = /Run ID for current run: ([0-9a-f]{32})/.exec(run.stdout)![1]!;
    await until(() => lines().some((line) => line.run_id === green));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(lines().map((line) => line.run_id)).toEqual([runIds.red, runIds.blue, green]);
  }, 120_000);

  it('a run with no lines says so and how to look further back', async () => {
    const result = await cli(['logs', WORKFLOW, '--run', 'f'.repeat(32), '--since', '10m']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`No log lines of run ${'f'.repeat(32)} since 10m (--system also shows the framework's lines); --since reaches further back\n`);
  }, 60_000);
});
