import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSystemProjectLoader } from '@caribou/adapter-project';
import type { DeployWorkflowService, RollbackWorkflowService } from '@caribou/application';
import { createContainer, SERVICES, type CaribouContainer } from '@caribou/cli/composition';
import { Tables } from '@caribou/domain-common';
import { TOKENS, type KeyValueStore } from '@caribou/ports';

const EXAMPLE = join(import.meta.dirname, '../../examples/small_sync_example');
const WF = 'small_sync_example-0.0.1';

/** The bundle each local copy runs: the sha256 the local platform recorded for it. */
async function bundles(home: string): Promise<string[]> {
  const { LocalDatabase } = await import('@caribou/adapter-local');
  const db = new LocalDatabase(join(home, 'local.db'));
  try {
    return db.all<{ artifact_sha256: string }>('SELECT artifact_sha256 FROM functions ORDER BY name').map((row) => row.artifact_sha256);
  } finally {
    db.close();
  }
}

describe('deploy of a deployed workflow on the local provider (no versions)', () => {
  let home: string;
  let projectDir: string;
  let container: CaribouContainer;
  const load = () => new FileSystemProjectLoader().load(projectDir);

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'caribou-redeploy-'));
    projectDir = mkdtempSync(join(tmpdir(), 'caribou-redeploy-project-'));
    cpSync(EXAMPLE, projectDir, { recursive: true, filter: (source) => !source.includes('deployment-packages') });
    container = await createContainer('local', { ...process.env, CARIBOU_HOME: home, CARIBOU_LOCAL_EXECUTOR: 'thread' });
  });

  afterAll(async () => {
    await container.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(projectDir, { recursive: true, force: true });
  });

  it('updates every copy in place after an edit, says unchanged otherwise, and refuses a change of shape in one line', async () => {
    const deploy = container.get<DeployWorkflowService>(SERVICES.Deploy);
    expect((await deploy.deploy(await load())).outcome).toBe('deployed');
    const first = await bundles(home);
    expect((await deploy.deploy(await load())).outcome).toBe('unchanged');

    const appPath = join(projectDir, 'src', 'app.ts');
    const app = readFileSync(appPath, 'utf8');
    const marker = 'function readFlags(event: unknown): Flags {\n';
    writeFileSync(appPath, app.replace(marker, `${marker}  if (event === 'release-2') return {};\n`));
    const planned = await deploy.deploy(await load(), { dryRun: true });
    expect(planned.outcome).toBe('planned');
    expect(planned.changes.map((c) => `${c.action} ${c.kind}`)).toEqual(['update function', 'update function', 'update function']);
    expect(await bundles(home)).toEqual(first);

    const updated = await deploy.deploy(await load());
    expect(updated.outcome).toBe('updated');
    expect(updated.changes).toEqual(planned.changes);
    const second = await bundles(home);
    expect(second.every((sha, i) => sha !== first[i])).toBe(true);
    expect((await deploy.deploy(await load())).outcome).toBe('unchanged');

    // A function added to the app changes the workflow's shape: a new version is needed.
    writeFileSync(
      appPath,
      `${readFileSync(appPath, 'utf8')}\nexport const extra = workflow.serverlessFunction({ name: 'extra' }, async () => 'x');\n`,
    );
    await expect(deploy.deploy(await load())).rejects.toThrow(/small_sync_example-0_0_1-extra_local-us-east-1.*deploy it under a new workflow_version/);
    expect(await bundles(home)).toEqual(second);

    // No versions locally: rollback says so in one line.
    await expect(container.get<RollbackWorkflowService>(SERVICES.Rollback).rollback(WF)).rejects.toThrow(
      `rollback needs function versions, which the local provider does not keep; deploy the previous code of ${WF} again`,
    );
    expect(await container.get<KeyValueStore>(TOKENS.KeyValueStore).has(Tables.deploymentManagerResource, WF)).toBe(true);
  });
});
