import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '@caribou/cli/testing';
import { freshHome, writeProject } from './cli-process';
import { emptyFigures, errorLinesOf, formatFigures, isCleanMessage, recordRefusal, saveFigures } from './figures';
import { LocalHomeInspector } from './local-home';

/**
 * Issue 22, CLI flags as a property: seeded random command lines — a command with flags and
 * arguments out of range, of the wrong type, empty, unknown or missing — run by the real
 * CLI on a home with one deployed workflow. Each is accepted (exit 0) or refused cleanly:
 * exit 1 or 2, one stderr line without a stack, and the store as it was. Each case is a CLI
 * process (seconds), so the default count is small: `FAULT_CLI_RUNS` explores further.
 */
const SEED = Number(process.env.FAULT_SEED ?? 22);
const RUNS = Number(process.env.FAULT_CLI_RUNS ?? 24);
const WORKFLOW = 'cli_flags-0.0.1';
const app = `import { CaribouWorkflow } from '@caribou/sdk';
export const workflow = new CaribouWorkflow({ name: 'cli_flags', version: '0.0.1' });
export const only = workflow.serverlessFunction({ name: 'only', entryPoint: true }, async () => ({ status: 200 }));
`;

const scratch = mkdtempSync(join(tmpdir(), 'caribou-cli-flags-'));
const figures = emptyFigures();
let home: string;

/** Words a user might type where a value belongs. */
const word = fc.oneof(
  fc.constantFrom('', ' ', '-1', '0', '1.5', '1e999', 'NaN', 'null', '{}', '[]', '{not json', 'üñí', '--', 'a'.repeat(300), WORKFLOW, 'other-0.0.1', '2026-13-45', '2026-12-07', 'yesterday'),
  fc.string({ maxLength: 20 }),
);
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const flag = (name: string, value: fc.Arbitrary<string>) => maybe(value.map((v) => [name, v]));
const toggle = (name: string) => maybe(fc.constant([name]));
const workflowId = fc.oneof(fc.constant(WORKFLOW), word);

const commandLine: fc.Arbitrary<string[]> = fc
  .oneof(
    fc.tuple(fc.constant(['run']), maybe(workflowId), flag('--times', fc.oneof(fc.constantFrom('0', '-1', '10001', 'x', '1.5', '', '2'), word)), flag('-a', word)),
    fc.tuple(fc.constant(['report']), maybe(workflowId), flag('--since', word), flag('--until', word), flag('--html', fc.constantFrom(join(scratch, 'r.html'), '/nonexistent-dir/r.html', ''))),
    fc.tuple(fc.constant(['show']), maybe(workflowId), toggle('--json')),
    fc.tuple(fc.constant(['plan']), maybe(workflowId), flag('--html', fc.constantFrom(join(scratch, 'p.html'), '/nonexistent-dir/p.html'))),
    fc.tuple(fc.constant(['log_sync']), flag('--workflow', word)),
    fc.tuple(fc.constant(['manage_deployments']), flag('--calculator', fc.oneof(fc.constantFrom('simple', 'fast'), word)), flag('--workflow', word)),
    fc.tuple(fc.constant(['data_collect']), maybe(fc.oneof(fc.constantFrom('provider', 'workflow', 'bogus'), word)), flag('--workflow_id', word)),
    fc.tuple(fc.constant(['remove']), maybe(word.filter((w) => w !== WORKFLOW))),
    fc.tuple(fc.constant(['validate']), flag('-p', fc.oneof(fc.constantFrom('/nonexistent', '/dev/null', scratch), word))),
    fc.tuple(fc.constant(['deploy']), flag('-p', fc.oneof(fc.constantFrom('/nonexistent', '/dev/null', scratch), word))),
    fc.tuple(fc.constantFrom(['list'], ['bogus_command'], ['run-deployment-migrator'], ['version'])),
  )
  .chain((parts) =>
    fc.tuple(fc.constant(parts as ReadonlyArray<string | readonly string[] | undefined>), maybe(fc.constantFrom('--bogus', '-z', '--provider=gcp', '--provider', 'extra-argument'))).map(
      ([parts, extra]) => {
        // Each part: the command, an argument, or a flag with its value; undefined when left out.
        const args = parts.flatMap((part) => (part === undefined ? [] : typeof part === 'string' ? [part] : [...part]));
        if (extra) args.push(extra);
        return args;
      },
    ),
  );

describe('fault suite: CLI flags and arguments as a property (real CLI)', () => {
  beforeAll(async () => {
    home = freshHome('cli-flags');
    const deploy = await runCli(['deploy', '-p', writeProject('cli_flags', app)], { env: { CARIBOU_HOME: home } });
    expect(deploy.code, deploy.stderr).toBe(0);
  }, 300_000);

  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  it(`${RUNS} random command lines: each accepted, or refused in one line with the store unchanged`, async () => {
    const inspector = new LocalHomeInspector(home);
    await fc.assert(
      fc.asyncProperty(commandLine, async (args) => {
        figures.inputsTried += 1;
        const before = inspector.snapshot();
        // No API keys: a collector that is accepted runs on the shipped data, offline.
        const result = await runCli(args, { env: { CARIBOU_HOME: home, ELECTRICITY_MAPS_AUTH_TOKEN: '', GOOGLE_API_KEY: '', CARIBOU_OFFLINE_DATA: '1' } });
        if (result.code === 0) return true;
        const lines = errorLinesOf(result.stderr);
        const problems = [
          result.code === 1 || result.code === 2 ? '' : `exit ${result.code}`,
          lines.length === 1 && isCleanMessage(lines[0]!) ? '' : `${lines.length} stderr lines`,
          inspector.snapshot() === before ? '' : 'the store changed',
        ].filter(Boolean);
        recordRefusal(figures, problems.length === 0, () => `caribou ${args.join(' ')} → ${problems.join(', ')}: ${result.stderr.slice(0, 300)}`);
        return true;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(formatFigures('CLI flags (real CLI)', figures));
    saveFigures('CLI flags (real CLI)', figures);
    expect(figures.unclean).toEqual([]);
    expect(figures.badInputs).toBeGreaterThan(0);
    expect(figures.cleanRefusals).toBe(figures.badInputs);
  }, 1_800_000);
});
