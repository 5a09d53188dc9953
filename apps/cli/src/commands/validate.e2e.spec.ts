import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../testing/run-cli';

const QUICKSTART_PROJECT = join(REPO_ROOT, 'examples/small_sync_example');
const INSTANCES = [
  'small_sync_example-0_0_1-initial_function:entry_point:0',
  'small_sync_example-0_0_1-syncFunction:sync:',
  'small_sync_example-0_0_1-secondSyncFunction:sync:',
];

describe('caribou validate on the quickstart workflow', () => {
  it('is a few lines by default: one per function, what it calls and what a fan-in waits for', async () => {
    const result = await runCli(['validate', '-p', QUICKSTART_PROJECT]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      'Workflow small_sync_example-0.0.1 is valid: 3 functions, 3 instances, 4 calls (nothing deployed)',
      '  initial_function (entry point) → syncFunction ×2, secondSyncFunction',
      '  syncFunction (fan-in: waits for initial_function ×2) → secondSyncFunction',
      '  secondSyncFunction (fan-in: waits for initial_function, syncFunction)',
      '--verbose lists every instance name and edge; --json prints the graph.',
    ]);
  });

  it('--verbose (-v) lists every instance by its full name, then every edge', async () => {
    for (const flag of ['--verbose', '-v']) {
      const result = await runCli(['validate', '-p', QUICKSTART_PROJECT, flag]);
      expect(result.code, result.stderr).toBe(0);
      for (const instance of INSTANCES) expect(result.stdout).toContain(`\n  ${instance}`);
      expect(result.stdout).toContain(`Edges:\n  ${INSTANCES[0]} -> ${INSTANCES[1]}`);
    }
  });
});
