import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LambdaRemoteFramework } from '@caribou/adapter-aws';
import { handlerZipArtifact } from '@caribou/adapter-aws/testing';
import { TOKENS, type RemoteFramework } from '@caribou/ports';
import { invokeRemote } from './aws.module';
import { createContainer, type CaribouContainer } from './container';

describe('invokeRemote (-r/--remote, spec §1.3) on moto', () => {
  let container: CaribouContainer;
  let real: LambdaRemoteFramework;
  const sent: Array<[Record<string, unknown>, string]> = [];
  /** The container, with the real remote framework remembering what it sends to caribou_cli. */
  let recording: CaribouContainer;

  beforeAll(async () => {
    container = await createContainer('aws', { ...process.env, CARIBOU_AWS_ENDPOINT: inject('awsEndpoint'), CARIBOU_SYSTEM_REGION: 'eu-west-3' });
    real = container.get<LambdaRemoteFramework>(TOKENS.RemoteFramework);
    const remote: RemoteFramework = {
      isDeployed: () => real.isDeployed(),
      async invoke(payload, mode) {
        const result = await real.invoke(payload, mode);
        sent.push([payload, mode]);
        return result;
      },
    };
    recording = { provider: 'aws', get: <T>(token: symbol) => (token === TOKENS.RemoteFramework ? (remote as T) : container.get<T>(token)), close: () => container.close() };
  });

  afterAll(async () => {
    await real.remove();
    await container.close();
  });

  it('refuses, naming what is missing, while the framework is not deployed', async () => {
    const lines: string[] = [];
    await expect(invokeRemote(recording, 'log_sync', {}, (line) => lines.push(line))).rejects.toThrow(
      'The remote framework is not deployed. Deploy it with caribou deploy_remote_cli',
    );
    expect(lines).toEqual(['Missing Remote Framework IAM role caribou_deployment_policy', 'Missing Remote Framework Lambda function caribou_cli (eu-west-3)']);
    expect(sent).toEqual([]);
  });

  it('sends the command to caribou_cli asynchronously once it is deployed', async () => {
    await real.deploy({ artifact: handlerZipArtifact(), memoryMb: 128, timeoutSeconds: 30, ephemeralStorageMb: 512, environment: {} });
    const lines: string[] = [];
    await invokeRemote(recording, 'data_collect', { collector: 'workflow', workflow_id: 'wf-0.0.1' }, (line) => lines.push(line));
    await invokeRemote(recording, 'remove', { workflow_id: 'wf-0.0.1' }, (line) => lines.push(line));
    expect(lines).toEqual(['Running data_collect on the remote framework CLI.', 'Running remove on the remote framework CLI.']);
    expect(sent).toEqual([
      [{ action: 'data_collect', collector: 'workflow', workflow_id: 'wf-0.0.1' }, 'event'],
      [{ action: 'remove', workflow_id: 'wf-0.0.1' }, 'event'],
    ]);
    await expect(invokeRemote(recording, 'data_collect', { collector: 'workflow' }, () => undefined)).rejects.toThrow('Workflow ID must be provided for this command.');
  });

  it('needs the aws provider', async () => {
    await expect(invokeRemote({ ...recording, provider: 'local' }, 'log_sync', {}, () => undefined)).rejects.toThrow('--remote runs log_sync on the AWS remote framework');
  });
});
