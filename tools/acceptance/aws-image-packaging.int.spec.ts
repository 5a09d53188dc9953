import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { NO_DOCKER_ENGINE_MESSAGE } from '@caribou/adapter-aws';
import { awsExampleProject } from '@caribou/adapter-aws/testing';
import { FileSystemProjectLoader } from '@caribou/adapter-project';
import type { DeployWorkflowService, ListWorkflowsService } from '@caribou/application';
import { createContainer, SERVICES, type CaribouContainer } from '@caribou/cli/composition';
import { Tables } from '@caribou/domain-common';
import { TOKENS, type FunctionPlatform, type KeyValueStore } from '@caribou/ports';

const EXAMPLE = join(import.meta.dirname, '../../examples/small_sync_example');

describe('packaging: image without a Docker engine', () => {
  const dirs: string[] = [];
  let container: CaribouContainer | undefined;
  afterAll(async () => {
    await container?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('the aws provider refuses with one clear line and leaves nothing behind', async () => {
    const dir = awsExampleProject(EXAMPLE, { version: '0.4.2' });
    dirs.push(dir);
    appendFileSync(join(dir, '.caribou', 'config.yml'), '\npackaging: image\n');
    container = await createContainer('aws', { ...process.env, CARIBOU_AWS_ENDPOINT: inject('awsEndpoint') });
    const project = await new FileSystemProjectLoader().load(dir);
    expect(project.config.packaging).toBe('image');
    await expect(container.get<DeployWorkflowService>(SERVICES.Deploy).deploy(project)).rejects.toThrow(NO_DOCKER_ENGINE_MESSAGE);
    expect(await container.get<ListWorkflowsService>(SERVICES.List).list()).not.toContain('small_sync_example-0.4.2');
    expect(await container.get<KeyValueStore>(TOKENS.KeyValueStore).has(Tables.resourceLedger, 'small_sync_example-0.4.2')).toBe(false);
    expect(await container.get<FunctionPlatform>(TOKENS.FunctionPlatform).list({ provider: 'aws', region: 'us-east-1' })).not.toContain(
      'small_sync_example-0_4_2-initial_function_aws-us-east-1',
    );
  });

  it('a bad packaging value is a one-line config error', async () => {
    const dir = awsExampleProject(EXAMPLE, { version: '0.4.3' });
    dirs.push(dir);
    appendFileSync(join(dir, '.caribou', 'config.yml'), '\npackaging: tarball\n');
    await expect(new FileSystemProjectLoader().load(dir)).rejects.toThrow(/packaging: packaging must be "zip" \(default\) or "image"/);
  });
});
