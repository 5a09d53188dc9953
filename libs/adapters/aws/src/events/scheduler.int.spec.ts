import { CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import { DescribeRuleCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetPolicyCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IamIdentityManager } from '../iam/identity-manager';
import { LambdaFunctionPlatform } from '../lambda/function-platform';
import { LambdaRemoteFramework, REMOTE_FRAMEWORK_ROLE } from '../remote/remote-framework';
import { emulatorClients, uniqueSuffix } from '../testing/emulator';
import { handlerZipArtifact } from '../testing/zip';
import { EventBridgeScheduler, REMOTE_FRAMEWORK_FUNCTION, TIMER_TARGET_ID, timerRuleName } from './scheduler';

describe('remote framework and its EventBridge timers on moto', () => {
  const clients = emulatorClients({ systemRegion: 'us-west-2' });
  const suffix = uniqueSuffix();
  const functionName = `caribou_cli_${suffix}`;
  const roleName = `caribou_deployment_policy_${suffix}`;
  const region = { provider: 'aws', region: 'us-west-2' };
  const scheduler = new EventBridgeScheduler(clients, { functionName });
  const remote = new LambdaRemoteFramework(clients, { functionName, roleName });
  const timer = `log_sync_${suffix}`;
  let functionArn: string;

  const deployFramework = async () => {
    const role = await new IamIdentityManager(clients).ensureNamedRole(
      roleName,
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: '*' }] }),
      clients.names.tags(),
    );
    functionArn = await new LambdaFunctionPlatform(clients).deploy({
      functionName,
      region,
      artifact: handlerZipArtifact(),
      environment: {},
      memoryMb: 1769,
      timeoutSeconds: 900,
      roleIdentifier: role.roleIdentifier,
    });
  };

  afterAll(async () => {
    await scheduler.removeTimer(timer);
    await new LambdaFunctionPlatform(clients).removeFunction(region, functionName);
    await new IamIdentityManager(clients).removeNamedRole(roleName);
    clients.destroy();
  });

  it('keeps the reference names of the framework in the default install; timer rules carry the install prefix', () => {
    expect(REMOTE_FRAMEWORK_FUNCTION).toBe('caribou_cli');
    expect(REMOTE_FRAMEWORK_ROLE).toBe('caribou_deployment_policy');
    expect(timerRuleName('log_sync')).toBe('caribou_log_sync-timer-rule');
    expect(TIMER_TARGET_ID).toBe('caribou_cli-target');
  });

  describe('before the framework is deployed', () => {
    it('reports the role and the function as missing', async () => {
      expect(await remote.isDeployed()).toEqual({
        deployed: false,
        missing: [`IAM role ${roleName}`, `Lambda function ${functionName} (us-west-2)`],
      });
    });

    it('refuses to set a timer, naming the command that deploys the framework', async () => {
      await expect(scheduler.putTimer(timer, 'cron(5 0 * * ? *)', { action: 'log_sync' })).rejects.toThrow(
        `Timer ${timer} needs the remote framework ${functionName} in us-west-2; run \`caribou deploy_remote_cli\` first`,
      );
      expect(await scheduler.getTimer(timer)).toBeUndefined();
    });
  });

  describe('after the framework is deployed', () => {
    beforeAll(deployFramework);

    it('is deployed; with image packaging the ECR repository is required too', async () => {
      expect(await remote.isDeployed()).toEqual({ deployed: true, missing: [] });
      const withImage = new LambdaRemoteFramework(clients, { functionName, roleName, packaging: 'image' });
      expect(await withImage.isDeployed()).toEqual({ deployed: false, missing: [`ECR repository ${functionName} (us-west-2)`] });
      await clients.ecr('us-west-2').send(new CreateRepositoryCommand({ repositoryName: functionName }));
      expect(await withImage.isDeployed()).toEqual({ deployed: true, missing: [] });
    });

    it('invokes the framework synchronously (parsed answer) and asynchronously (no answer)', async () => {
      // moto without Docker echoes the payload as the function's answer.
      expect(await remote.invoke({ action: 'version' }, 'request')).toEqual({ action: 'version' });
      expect(await remote.invoke({ action: 'log_sync' }, 'event')).toBeUndefined();
    });

    it('creates an enabled rule targeting the framework with the payload, and grants EventBridge invoke once', async () => {
      const rule = timerRuleName(timer);
      await scheduler.putTimer(timer, 'cron(5 0 * * ? *)', { action: 'log_sync' });
      await scheduler.putTimer(timer, 'rate(30 minutes)', { action: 'log_sync' });
      const described = await clients.events('us-west-2').send(new DescribeRuleCommand({ Name: rule }));
      expect(described).toMatchObject({ Name: rule, ScheduleExpression: 'rate(30 minutes)', State: 'ENABLED' });
      const targets = await clients.events('us-west-2').send(new ListTargetsByRuleCommand({ Rule: rule }));
      expect(targets.Targets).toEqual([expect.objectContaining({ Id: 'caribou_cli-target', Arn: functionArn, Input: '{"action":"log_sync"}' })]);
      const policy = JSON.parse((await clients.lambda('us-west-2').send(new GetPolicyCommand({ FunctionName: functionName }))).Policy ?? '{}');
      const grants = (policy.Statement as Array<{ Sid: string; Principal: unknown }>).filter((statement) => statement.Sid === `${rule}-invoke-lambda`);
      expect(grants).toHaveLength(1);
      expect(JSON.stringify(grants[0]!.Principal)).toContain('events.amazonaws.com');
      expect(await scheduler.getTimer(timer)).toBe('rate(30 minutes)');
    });

    it('removes the rule and its target; removing again is fine', async () => {
      await scheduler.putTimer(timer, 'cron(0 0 * * ? *)', { action: 'manage_deployments' });
      await scheduler.removeTimer(timer);
      expect(await scheduler.getTimer(timer)).toBeUndefined();
      await expect(scheduler.removeTimer(timer)).resolves.toBeUndefined();
      await expect(scheduler.removeTimer(`never_${suffix}`)).resolves.toBeUndefined();
    });
  });
});
