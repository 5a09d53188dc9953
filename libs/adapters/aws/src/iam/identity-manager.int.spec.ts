import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListRolePoliciesCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { emulatorClients, uniqueSuffix } from '../testing/emulator';
import { startFaultProxy } from '../testing/fault-proxy';
import { iamRoleName, IamIdentityManager, LAMBDA_TRUST_POLICY } from './identity-manager';

describe('IamIdentityManager on moto', () => {
  const clients = emulatorClients();
  const iam = clients.iam();
  const manager = new IamIdentityManager(clients);
  const region = { provider: 'aws', region: 'us-east-1' };
  const suffix = uniqueSuffix();
  const policyA = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: '*' }] };
  const policyB = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: '*' }] };
  const decoded = (document: string | undefined) => JSON.parse(decodeURIComponent(document ?? ''));

  afterAll(() => clients.destroy());

  it('creates a Lambda-assumable role with the install prefix, the inline policy named like the role and the install tags', async () => {
    const logical = `wf-0_0_1-first-role-${suffix}`;
    const name = `caribou_${logical}`;
    const { roleIdentifier } = await manager.ensureRole(region, logical, JSON.stringify(policyA));
    expect(roleIdentifier).toBe(`arn:aws:iam::${await clients.accountId()}:role/${name}`);
    const role = await iam.send(new GetRoleCommand({ RoleName: name }));
    expect(decoded(role.Role?.AssumeRolePolicyDocument)).toEqual(LAMBDA_TRUST_POLICY);
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: name }))).PolicyNames).toEqual([name]);
    expect(decoded((await iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: name }))).PolicyDocument)).toEqual(policyA);
    expect(await manager.roleExists(region, logical)).toBe(true);
    const tags = Object.fromEntries((role.Role?.Tags ?? []).map((tag) => [tag.Key, tag.Value]));
    expect(tags).toEqual({ 'caribou:install': 'caribou', 'caribou:managed-by': 'caribou', 'caribou:workflow': 'wf', 'caribou:version': '0.0.1' });
  });

  it('replaces a different policy and a drifted trust policy on an existing role, and keeps the ARN', async () => {
    const logical = `update-role-${suffix}`;
    const name = `caribou_${logical}`;
    const first = await manager.ensureRole(region, logical, JSON.stringify(policyA));
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
    const second = await manager.ensureRole(region, logical, JSON.stringify(policyB, null, 2));
    expect(second.roleIdentifier).toBe(first.roleIdentifier);
    expect(decoded((await iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: name }))).PolicyDocument)).toEqual(policyB);
    expect(decoded((await iam.send(new GetRoleCommand({ RoleName: name }))).Role?.AssumeRolePolicyDocument)).toEqual(LAMBDA_TRUST_POLICY);
  });

  it('cuts names to 64 characters, ended by a hash, on create, lookup and removal alike', async () => {
    const long = `a-very-long-workflow-name-0_0_1-a_function_with_a_long_name_aws-ap-southeast-2-role-${suffix}`;
    expect(long.length).toBeGreaterThan(64);
    const { roleIdentifier } = await manager.ensureRole(region, long, JSON.stringify(policyA));
    expect(roleIdentifier.endsWith(`/${iamRoleName(long)}`)).toBe(true);
    expect(iamRoleName(long)).toHaveLength(64);
    expect(await manager.roleExists(region, long)).toBe(true);
    await manager.removeRole(region, long);
    expect(await manager.roleExists(region, long)).toBe(false);
  });

  it('removes inline and managed policies before the role; a missing role is not an error', async () => {
    const logical = `remove-role-${suffix}`;
    await manager.ensureRole(region, logical, JSON.stringify(policyA));
    const managed = await iam.send(new CreatePolicyCommand({ PolicyName: `managed-${suffix}`, PolicyDocument: JSON.stringify(policyB) }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: `caribou_${logical}`, PolicyArn: managed.Policy!.Arn! }));
    await manager.removeRole(region, logical);
    expect(await manager.roleExists(region, logical)).toBe(false);
    await expect(manager.removeRole(region, logical)).resolves.toBeUndefined();
  });

  it('removes the role when the answer to deleting its inline policy was lost (the SDK retry finds the policy gone)', async () => {
    const name = `lost-answer-${suffix}`;
    await manager.ensureRole(region, name, JSON.stringify(policyA));
    let lost = 0;
    const proxy = await startFaultProxy(inject('awsEndpoint'), ({ operation }) => (operation === 'DeleteRolePolicy' && lost++ === 0 ? 'lost-answer' : undefined));
    const proxied = emulatorClients({ endpoint: proxy.endpoint });
    try {
      await new IamIdentityManager(proxied).removeRole(region, name);
      expect(proxy.faults.lostAnswers).toBe(1);
      expect(await manager.roleExists(region, name)).toBe(false);
    } finally {
      proxied.destroy();
      await proxy.close();
    }
  });

  it('rejects a policy that is not a JSON object, naming the file to fix', async () => {
    await expect(manager.ensureRole(region, `bad-${suffix}`, '{not json')).rejects.toThrow(
      `The IAM policy for role caribou_bad-${suffix} is not JSON; fix the "aws" entry of .caribou/iam_policy.json`,
    );
    await expect(manager.ensureRole(region, `bad-${suffix}`, '[1]')).rejects.toThrow('must be a JSON object');
    expect(await manager.roleExists(region, `bad-${suffix}`)).toBe(false);
  });
});
