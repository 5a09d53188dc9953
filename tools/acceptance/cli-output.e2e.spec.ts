import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '@caribou/cli/testing';
import { freshHome } from '../faults/cli-process';

const WORKFLOW = 'small_sync_example-0.0.1';
const PROJECT = join(REPO_ROOT, 'examples/small_sync_example');
let home: string;
const cli = (args: string[]) => runCli(args, { env: { CARIBOU_HOME: home } });

/**
 * A key we named in camelCase (`runsSynced`, `checkedAt`). Keys that are data — instance names
 * (`wf-0_0_1-syncFunction:sync:`), region keys (`local:us-east-1`), hours — contain `-`, `:` or
 * digits first and are the user's or the platform's names, so they are not judged.
 */
const CAMEL_NAME = /^[a-z]+(?:[A-Z][a-z0-9]*)+$/;

function camelCaseKeys(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => camelCaseKeys(item, `${path}[${index}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => [...(CAMEL_NAME.test(key) ? [`${path}.${key}`] : []), ...camelCaseKeys(child, `${path}.${key}`)]);
}

beforeAll(async () => {
  home = freshHome('cli-output');
  for (const args of [
    ['deploy', '-p', PROJECT],
    ['run', WORKFLOW, '-a', '{"execute_1": true, "execute_3": true}', '--times', '20'],
    ['log_sync'],
    ['data_collect', 'all'],
    // A staged plan, so plan and the migrator have something to show.
    ['manage_deployments'],
  ]) {
    const result = await cli(args);
    expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  }
}, 600_000);

afterAll(() => rmSync(home, { recursive: true, force: true }));

/** Every command that prints data, with --json, in the order of the loop. */
const OUTPUTS: string[][] = [
  ['validate', '-p', PROJECT, '--json'],
  ['list', '--json'],
  ['show', WORKFLOW, '--json'],
  ['run', WORKFLOW, '-a', '{"execute_1": true}', '--wait', '--json'],
  ['log_sync', '--json'],
  ['data_collect', 'carbon', '--json'],
  ['manage_deployments', '--json'],
  ['run_deployment_migrator', '--dry-run', '--json'],
  ['plan', WORKFLOW, '--json'],
  ['report', WORKFLOW, '--json'],
];

/** One user error per command, each under --json. */
const ERRORS: string[][] = [
  ['validate', '-p', '/nonexistent/project', '--json'],
  ['show', 'no_such_workflow-0.0.1', '--json'],
  ['run', 'no_such_workflow-0.0.1', '--json'],
  ['run', WORKFLOW, '--times', '0', '--json'],
  ['plan', 'no_such_workflow-0.0.1', '--json'],
  ['report', 'no_such_workflow-0.0.1', '--json'],
  ['data_collect', 'workflow', '--json'],
  ['no_such_command', '--json'],
];

describe('--json: every output and every error parses, keys in snake_case', () => {
  it.each(OUTPUTS.map((args) => ({ name: args.slice(0, 2).join(' '), args })))('$name', async ({ args }) => {
    const result = await cli(args);
    expect(result.code, result.stderr).toBe(0);
    const parsed: unknown = JSON.parse(result.stdout);
    expect(camelCaseKeys(parsed)).toEqual([]);
  }, 300_000);

  it.each(ERRORS.map((args) => ({ name: args.join(' '), args })))('error: $name', async ({ args }) => {
    const result = await cli(args);
    expect(result.code).not.toBe(0);
    const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(lines[0]!) as { error?: unknown };
    expect(Object.keys(parsed)).toEqual(['error']);
    expect(parsed.error).toEqual(expect.any(String));
  }, 120_000);
});

/**
 * What people read: the quick tour's commands on the same home. No storage-format timestamps,
 * no reference booleans or N/A placeholders, no internal source keys.
 */
const HUMAN: string[][] = [
  ['validate', '-p', PROJECT],
  ['run', WORKFLOW, '-a', '{"execute_1": true}'],
  ['run', WORKFLOW, '-a', '{"execute_1": true}', '--times', '3'],
  ['data_collect', 'all'],
  ['manage_deployments'],
  ['show', WORKFLOW],
  ['plan', WORKFLOW],
  ['run_deployment_migrator', '--dry-run'],
];
const UNREADABLE: Array<[string, RegExp]> = [
  ['a storage-format timestamp', /\d{2}:\d{2}:\d{2},\d{6}/],
  ['N/A', /N\/A/],
  ['a Python boolean', /\b(True|False)\b/],
  ['an internal source key', /\b(offline|fallback|electricity-maps|cloudping):[a-z0-9-]+/],
  ['a verb-less "would"', /would$/m],
];

describe('human output reads as words', () => {
  it.each(HUMAN.map((args) => ({ name: args.join(' '), args })))('$name', async ({ args }) => {
    const result = await cli(args);
    expect(result.code, result.stderr).toBe(0);
    for (const [what, pattern] of UNREADABLE) expect(result.stdout, `${what} in: ${result.stdout}`).not.toMatch(pattern);
  }, 300_000);
});
