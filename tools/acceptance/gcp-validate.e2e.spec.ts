import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gcpExampleProject } from '@caribou/adapter-gcp/testing';
import { REPO_ROOT, runCli } from '@caribou/cli/testing';

/*
 * Issue 21: `caribou validate` accepts a workflow at home in gcp:us-east4 (providers.gcp,
 * allowed in northamerica-northeast1) and refuses a gcp region outside the shipped Cloud Run
 * regions in one line naming the field and the fix — through the real binary.
 */
const EXAMPLE = join(REPO_ROOT, 'examples/small_sync_example');
const projects: string[] = [];
const project = (home: string, regions: string[]) => {
  const dir = gcpExampleProject(EXAMPLE, { home, regions });
  projects.push(dir);
  return dir;
};

describe('caribou validate with a gcp home region', () => {
  afterAll(() => projects.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('accepts gcp:us-east4 allowed with northamerica-northeast1', async () => {
    const result = await runCli(['validate', '-p', project('us-east4', ['northamerica-northeast1'])]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Workflow small_sync_example-0.0.1 is valid: 3 functions/);
  }, 60_000);

  it('refuses an AWS code as a gcp region in one line naming the field and the fix', async () => {
    const result = await runCli(['validate', '-p', project('us-east4', ['us-east-1'])]);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toBe(
      'Error: Invalid project config: regions_and_providers.allowed_regions[1]: Region gcp:us-east-1 is not a Cloud Run functions region of the shipped Google Cloud data (no carbon, latency or price for it); use a Google Cloud region code such as us-east4 or northamerica-northeast1',
    );
  }, 60_000);
});
