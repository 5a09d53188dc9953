import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetRoleCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IamIdentityManager, InstallNamespace, remoteFrameworkPolicy, type AwsClients, type PolicyDocument, type PolicyStatement } from '@caribou/adapter-aws';
import { awsExampleProject, emulatorClients, uniqueSuffix } from '@caribou/adapter-aws/testing';
import { FileSystemProjectLoader, TemplateProjectScaffolder } from '@caribou/adapter-project';
import { regionsOfWorkflow } from '@caribou/application';

const ROOT = join(import.meta.dirname, '../..');
const SYSTEM = 'us-west-2';
/** The emulator's account, from STS as on AWS. */
let ACCOUNT = '';

/** Actions that only read: everything else counts as a write. */
const READ_ONLY = /^[a-z0-9-]+:(Get|List|Describe|BatchGet|Filter|Query|Scan|Search|Lookup)/;
/** `*`, or a whole service in every region and account (`arn:aws:dynamodb:*:*:*`). */
const EVERYTHING = /^(\*|arn:aws:[a-z0-9-]+:\*:\*:\*)$/;

const list = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

/** Every rule of issue 13 that one policy breaks, as readable lines (empty when it keeps them all). */
function violations(name: string, policy: PolicyDocument, names: InstallNamespace): string[] {
  const found: string[] = [];
  const installRoles = `arn:aws:iam::${ACCOUNT}:role/${names.prefix}`;
  for (const [index, statement] of policy.Statement.entries()) {
    const where = `${name} statement ${statement.Sid ?? index}`;
    if ('NotResource' in statement) found.push(`${where} uses NotResource`);
    if ('NotAction' in statement) found.push(`${where} uses NotAction`);
    if (statement.Effect !== 'Allow') continue;
    const actions = list(statement.Action);
    const resources = list(statement.Resource);
    for (const action of actions) {
      if (action.includes('*')) found.push(`${where} allows the wildcard action ${action}`);
      if (!READ_ONLY.test(action) && resources.some((resource) => EVERYTHING.test(resource))) found.push(`${where} allows the write ${action} on every resource`);
      if (action.startsWith('iam:') && resources.some((resource) => !resource.startsWith(installRoles))) found.push(`${where} allows ${action} outside ${installRoles}*`);
      if (action === 'iam:PassRole' && !statement.Condition?.StringEquals?.['iam:PassedToService']) found.push(`${where} passes roles without iam:PassedToService`);
      if (['iam:CreateRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:CreatePolicyVersion', 'iam:PutRolePermissionsBoundary', 'iam:DeleteRolePermissionsBoundary'].includes(action)) {
        found.push(`${where} may grant permissions (${action})`);
      }
    }
  }
  return found;
}

describe('generated IAM policies (issue 13): least privilege, checked statement by statement and created on moto', () => {
  const names = new InstallNamespace();
  const suffix = uniqueSuffix();
  let clients: AwsClients;
  let scratch: string;
  const projects: Array<{ name: string; dir: string }> = [];
  const policies: Array<{ name: string; policy: PolicyDocument }> = [];

  beforeAll(async () => {
    clients = emulatorClients({ systemRegion: SYSTEM });
    ACCOUNT = await clients.accountId();
    scratch = mkdtempSync(join(tmpdir(), 'caribou-policies-'));
    const template = await new TemplateProjectScaffolder().create('template_flow', scratch);
    for (const [name, source, regions] of [
      ['small_sync_example', join(ROOT, 'examples/small_sync_example'), ['ca-central-1']],
      ['map_reduce', join(ROOT, 'examples/map_reduce'), []],
      ['the new_workflow template', template.directory, ['eu-west-1']],
    ] as const) {
      projects.push({ name, dir: awsExampleProject(source, { home: 'us-east-1', regions: [...regions] }) });
    }
    const identity = new IamIdentityManager(clients);
    const loader = new FileSystemProjectLoader();
    for (const project of projects) {
      const loaded = await loader.load(project.dir);
      const { workflow } = loaded;
      const policy = await identity.rolePolicy({
        workflowName: workflow.workflowName,
        workflowVersion: workflow.workflowVersion,
        workflowId: workflow.workflowId,
        regions: regionsOfWorkflow(workflow),
        userPolicy: loaded.iamPolicy.aws,
      });
      policies.push({ name: `${project.name} function role`, policy: JSON.parse(policy) as PolicyDocument });
    }
    policies.push({ name: 'remote framework role', policy: remoteFrameworkPolicy({ names, accountId: ACCOUNT, systemRegion: SYSTEM }) });
  });

  afterAll(() => {
    clients.destroy();
    for (const project of projects) rmSync(project.dir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  it('the user policy files of the examples and the template add nothing: their code calls no AWS service', async () => {
    const loader = new FileSystemProjectLoader();
    for (const project of projects) expect((await loader.load(project.dir)).iamPolicy.aws).toEqual({ Version: '2012-10-17', Statement: [] });
  });

  it('no policy allows a write on * or arn:aws:<service>:*:*:*, uses NotResource, acts on IAM outside the install prefix or may grant permissions', () => {
    expect(policies).toHaveLength(4);
    expect(policies.flatMap(({ name, policy }) => violations(name, policy, names))).toEqual([]);
  });

  it('the checks catch what the reference policies did (the test can fail)', () => {
    const reference: PolicyStatement[] = [
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], Resource: 'arn:aws:dynamodb:*:*:*' },
      { Effect: 'Allow', Action: ['iam:CreateRole', 'iam:PassRole'], Resource: '*' },
    ];
    expect(violations('reference', { Version: '2012-10-17', Statement: reference }, names)).toEqual([
      'reference statement 0 allows the write dynamodb:UpdateItem on every resource',
      'reference statement 1 allows the write iam:CreateRole on every resource',
      `reference statement 1 allows iam:CreateRole outside arn:aws:iam::${ACCOUNT}:role/caribou_*`,
      'reference statement 1 may grant permissions (iam:CreateRole)',
      'reference statement 1 allows the write iam:PassRole on every resource',
      `reference statement 1 allows iam:PassRole outside arn:aws:iam::${ACCOUNT}:role/caribou_*`,
      'reference statement 1 passes roles without iam:PassedToService',
    ]);
  });

  it('function roles are scoped to their workflow: its placement row, its functions, the install tables, queues and log groups', () => {
    const small = policies[0]!.policy;
    const statement = (sid: string) => small.Statement.find((entry) => entry.Sid === sid)!;
    expect(statement('ReadOwnPlacementDecision').Condition).toEqual({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['small_sync_example-0.0.1'] } });
    expect(statement('InvokeOwnWorkflow').Resource).toEqual(
      ['ca-central-1', 'us-east-1'].map((region) => `arn:aws:lambda:${region}:${ACCOUNT}:function:caribou_small_sync_example-0_0_1-*`),
    );
    expect(list(statement('FanInTables').Resource).every((arn) => new RegExp(`^arn:aws:dynamodb:(ca-central-1|us-east-1):${ACCOUNT}:table/caribou_`).test(arn))).toBe(true);
    expect(list(statement('FailureDestinations').Resource)).toContain(`arn:aws:sqs:us-east-1:${ACCOUNT}:caribou_failed_invocations`);
    // map_reduce stays at home: one region.
    expect(list(policies[1]!.policy.Statement.find((entry) => entry.Sid === 'InvokeOwnWorkflow')!.Resource)).toEqual([`arn:aws:lambda:us-east-1:${ACCOUNT}:function:caribou_map_reduce-0_0_1-*`]);
  });

  it('the remote framework passes roles only to Lambda and is denied every IAM action on its own role', () => {
    const remote = policies[3]!.policy;
    const pass = remote.Statement.find((entry) => list(entry.Action).includes('iam:PassRole'))!;
    expect(pass.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } });
    expect(remote.Statement).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: ['iam:*'], Resource: [`arn:aws:iam::${ACCOUNT}:role/caribou_deployment_policy`] }));
    const scoped = remote.Statement.filter((entry) => entry.Effect === 'Allow' && !list(entry.Resource).includes('*') && !list(entry.Action)[0]!.startsWith('iam:'));
    for (const entry of scoped) expect(entry.Condition, entry.Sid).toEqual({ StringEquals: { 'aws:ResourceAccount': ACCOUNT } });
  });

  it('moto accepts every policy as the inline policy of a tagged role and returns it unchanged', async () => {
    const identity = new IamIdentityManager(clients);
    for (const [index, { policy }] of policies.entries()) {
      const roleName = `${names.prefix}policy-check-${index}-${suffix}`;
      const { roleIdentifier } = await identity.ensureNamedRole(roleName, JSON.stringify(policy), names.tags());
      expect(roleIdentifier).toBe(`arn:aws:iam::${ACCOUNT}:role/${roleName}`);
      const stored = await clients.iam().send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: roleName }));
      expect(JSON.parse(decodeURIComponent(stored.PolicyDocument ?? ''))).toEqual(policy);
      const role = await clients.iam().send(new GetRoleCommand({ RoleName: roleName }));
      expect(role.Role?.Tags).toEqual(expect.arrayContaining([{ Key: 'caribou:install', Value: 'caribou' }, { Key: 'caribou:managed-by', Value: 'caribou' }]));
      await identity.removeNamedRole(roleName);
    }
  });
});
