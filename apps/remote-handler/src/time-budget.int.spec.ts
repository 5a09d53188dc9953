import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createAwsAdapters, REMOTE_FRAMEWORK_TIMEOUT_VARIABLE } from '@caribou/adapter-aws';
import { emulatorConfig, handlerZipArtifact, uniqueSuffix } from '@caribou/adapter-aws/testing';
import { APPLICATION_TOKENS, type ManageDeploymentsService } from '@caribou/application';
import { createRemoteContainer } from './container';

/**
 * deploy_remote_cli -t <seconds> on moto, then the framework composed from the environment
 * Lambda gives that function: its solve budget follows the timeout (8/9 of it, the reference's
 * 800 s of 900), where it was a fixed 800 s whatever -t said.
 */
describe('the remote framework takes its time budget from its function timeout (moto)', () => {
  const SYSTEM = 'ap-south-1';
  const adapters = createAwsAdapters(emulatorConfig({ systemRegion: SYSTEM, install: `tb${uniqueSuffix()}`.slice(0, 16) }));
  const remote = adapters.remote;

  afterAll(async () => {
    await remote.remove();
    adapters.clients.destroy();
  });

  /** Deploys as deploy_remote_cli -t does, then composes the framework from the function's own configuration. */
  async function deployedWithTimeout(timeoutSeconds: number) {
    await remote.deploy({ artifact: handlerZipArtifact(), memoryMb: 256, timeoutSeconds, ephemeralStorageMb: 512, secrets: {} });
    const config = await adapters.clients.lambda(SYSTEM).send(new GetFunctionConfigurationCommand({ FunctionName: remote.function }));
    const env = { ...config.Environment?.Variables, CARIBOU_AWS_ENDPOINT: inject('awsEndpoint'), CARIBOU_OFFLINE_DATA: '1' };
    const container = createRemoteContainer(env, { log: () => undefined });
    return { config, manageDeployments: container.get<ManageDeploymentsService>(APPLICATION_TOKENS.ManageDeployments) };
  }

  it('-t 300: the function times out after 300 s and each solve may take 266.7 s', async () => {
    const { config, manageDeployments } = await deployedWithTimeout(300);
    expect(config.Timeout).toBe(300);
    expect(config.Environment?.Variables?.[REMOTE_FRAMEWORK_TIMEOUT_VARIABLE]).toBe('300');
    expect(manageDeployments.solveBudgetSeconds).toBeCloseTo(266.667, 3);
  });

  it('deployed again with -t 900 (updated in place): 800 s, the reference budget', async () => {
    const { config, manageDeployments } = await deployedWithTimeout(900);
    expect(config.Timeout).toBe(900);
    expect(manageDeployments.solveBudgetSeconds).toBeCloseTo(800, 6);
  });

  it('-t 60: 53.3 s', async () => {
    const { manageDeployments } = await deployedWithTimeout(60);
    expect(manageDeployments.solveBudgetSeconds).toBeCloseTo(53.333, 3);
  });
});
