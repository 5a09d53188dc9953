import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AWS_TOKENS } from '@caribou/adapter-aws';
import { handlerZipArtifact, startRecordingProxy, type RecordingProxy } from '@caribou/adapter-aws/testing';
import { createContainer, type CaribouContainer } from './container';
import { SERVICES } from './tokens';

describe('caribou <command> -r (spec §1.3) on moto, through the CLI container', () => {
  let proxy: RecordingProxy;
  let container: CaribouContainer;

  beforeAll(async () => {
    // The proxy sees the Lambda Invoke requests the SDK really sends to caribou_cli.
    proxy = await startRecordingProxy(inject('awsEndpoint'));
    container = await createContainer('aws', { ...process.env, CARIBOU_AWS_ENDPOINT: proxy.endpoint, CARIBOU_SYSTEM_REGION: 'eu-west-3' });
  });

  afterAll(async () => {
    await container.get(SERVICES.RemoteFramework).remove(() => undefined);
    container.get(AWS_TOKENS.Adapters).clients.destroy();
    await container.close();
    await proxy.close();
  });

  it('refuses, naming what is missing, while the framework is not deployed', async () => {
    const lines: string[] = [];
    await expect(container.get(SERVICES.RemoteFramework).runCommand('log_sync', {}, (line) => lines.push(line))).rejects.toThrow(
      'The remote framework is not deployed. Deploy it with caribou deploy_remote_cli',
    );
    expect(lines).toEqual(['Missing Remote Framework IAM role caribou_deployment_policy', 'Missing Remote Framework Lambda function caribou_cli (eu-west-3)']);
    expect(proxy.invokes).toEqual([]);
  });

  it('sends the command to caribou_cli asynchronously once it is deployed, as an event the framework accepts', async () => {
    const remote = container.get(SERVICES.RemoteFramework);
    await remote.deploy({ artifact: handlerZipArtifact(), memoryMb: 128, timeoutSeconds: 30, ephemeralStorageMb: 512, secrets: {} });
    const lines: string[] = [];
    await remote.runCommand('data_collect', { collector: 'workflow', workflow_id: 'wf-0.0.1' }, (line) => lines.push(line));
    await remote.runCommand('remove', { workflow_id: 'wf-0.0.1' }, (line) => lines.push(line));
    await remote.runCommand('manage_deployments', { deployment_metrics_calculator_type: 'go' }, (line) => lines.push(line));
    expect(lines).toEqual([
      'Running data_collect on the remote framework CLI.',
      'Running remove on the remote framework CLI.',
      'Running manage_deployments on the remote framework CLI.',
    ]);
    expect(proxy.invokes).toEqual([
      { functionName: 'caribou_cli', invocationType: 'Event', payload: { action: 'data_collect', collector: 'workflow', workflow_id: 'wf-0.0.1' } },
      { functionName: 'caribou_cli', invocationType: 'Event', payload: { action: 'remove', workflow_id: 'wf-0.0.1' } },
      { functionName: 'caribou_cli', invocationType: 'Event', payload: { action: 'manage_deployments', deployment_metrics_calculator_type: 'go' } },
    ]);
    await expect(remote.runCommand('data_collect', { collector: 'workflow' }, () => undefined)).rejects.toThrow('Workflow ID must be provided for this command.');
    // Checked against the framework's own event schema before anything is sent.
    await expect(remote.runCommand('data_collect', { collector: 'weather' }, () => undefined)).rejects.toThrow(
      'caribou data_collect --remote: Invalid collector specified, Allowed values are provider, carbon, performance, workflow, all',
    );
    expect(proxy.invokes).toHaveLength(3);
  });
});
