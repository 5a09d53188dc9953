import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PackageBuilder } from '@caribou/ports';
import { AwsClients } from '../config';
import { DEFAULT_FUNCTION_DOCKERFILE, ImagePackageBuilder, NO_DOCKER_ENGINE_MESSAGE } from './image-package-builder';

const request = { workflowName: 'wf', workflowVersion: '0.0.1', projectDir: '/tmp/none', appEntry: 'src/app.ts', provider: 'aws' };

describe('ImagePackageBuilder without a Docker engine', () => {
  const clients = new AwsClients({ credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, accountId: '123456789012' });
  let bundled = 0;
  const bundler: PackageBuilder = {
    build: async () => {
      bundled += 1;
      return { kind: 'directory', path: '/tmp/none', sha256: 'x' };
    },
  };

  it('fails with the one-line packaging error before bundling when the docker CLI is missing', async () => {
    const builder = new ImagePackageBuilder(clients, { bundler, dockerCommand: 'caribou-no-such-docker-cli' });
    await expect(builder.build(request)).rejects.toThrow(NO_DOCKER_ENGINE_MESSAGE);
    expect(NO_DOCKER_ENGINE_MESSAGE).toBe('packaging: image needs a running Docker engine (docker info failed); use packaging: zip or start Docker');
    expect(bundled).toBe(0);
  });

  // This machine has the docker CLI but no engine; where an engine runs the case does not apply.
  const engineAnswers = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 15_000 }).stdout?.trim();
  it.skipIf(Boolean(engineAnswers))('fails with the same error when `docker info` cannot reach an engine', async () => {
    const builder = new ImagePackageBuilder(clients, { bundler });
    await expect(builder.build(request)).rejects.toThrow(NO_DOCKER_ENGINE_MESSAGE);
    expect(bundled).toBe(0);
  });
});

describe('image packaging files', () => {
  it('finds docker/function/Dockerfile of this repository by default', () => {
    expect(existsSync(DEFAULT_FUNCTION_DOCKERFILE)).toBe(true);
  });
});
