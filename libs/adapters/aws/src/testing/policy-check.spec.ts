import { describe, expect, it } from 'vitest';
import { functionRolePolicy, remoteFrameworkPolicy } from '../iam/policies';
import { InstallNamespace } from '../install/install-namespace';
import { allowingStatement, authorizedCalls, unauthorizedCalls, wildcardMatch } from './policy-check';
import type { RecordedRequest } from './recording-proxy';

const ACCOUNT = '123456789012';
const names = new InstallNamespace('a');
const request = (service: string, region: string, target: string | undefined, body: unknown, method = 'POST', path = '/'): RecordedRequest => ({
  service,
  region,
  method,
  path,
  target,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('policy check (IAM semantics for recorded requests)', () => {
  const fnPolicy = functionRolePolicy({
    names,
    accountId: ACCOUNT,
    systemRegion: 'us-west-2',
    workflowName: 'wf',
    workflowVersion: '0.0.1',
    workflowId: 'wf-0.0.1',
    regions: ['us-east-1'],
  });
  const remote = remoteFrameworkPolicy({ names, accountId: ACCOUNT, systemRegion: 'us-west-2' });

  it('matches wildcards as IAM does: * any run, ? one character, actions case-insensitively', () => {
    expect(wildcardMatch('arn:aws:lambda:*:1:function:a_*', 'arn:aws:lambda:us-east-1:1:function:a_wf-0_0_1-f:caribou')).toBe(true);
    expect(wildcardMatch('arn:aws:lambda:*:1:function:a_*', 'arn:aws:lambda:us-east-1:1:function:ab_x')).toBe(false);
    expect(wildcardMatch('s3:Get?bject', 's3:GetObject')).toBe(true);
    expect(wildcardMatch('dynamodb:getitem', 'dynamodb:GetItem', true)).toBe(true);
  });

  it('maps a DynamoDB GetItem to the table ARN with its leading key, and the condition limits it to the workflow row', () => {
    const own = request('dynamodb', 'us-west-2', 'DynamoDB_20120810.GetItem', { TableName: 'a_workflow_placement_decision_table', Key: { key: { S: 'wf-0.0.1' } } });
    const [call] = authorizedCalls(own, ACCOUNT);
    expect(call).toMatchObject({ action: 'dynamodb:GetItem', resource: `arn:aws:dynamodb:us-west-2:${ACCOUNT}:table/a_workflow_placement_decision_table`, context: { 'dynamodb:LeadingKeys': ['wf-0.0.1'] } });
    expect(allowingStatement(fnPolicy, call!, ACCOUNT)).toBe('ReadOwnPlacementDecision');
    const other = request('dynamodb', 'us-west-2', 'DynamoDB_20120810.GetItem', { TableName: 'a_workflow_placement_decision_table', Key: { key: { S: 'other-0.0.1' } } });
    expect(unauthorizedCalls(fnPolicy, [other], ACCOUNT)).toHaveLength(1);
  });

  it('a Lambda CreateFunction also passes its role, which the remote framework may do only for its install and only to Lambda', () => {
    const create = request('lambda', 'ca-central-1', undefined, { FunctionName: 'a_wf-0_0_1-f_aws-ca-central-1', Role: `arn:aws:iam::${ACCOUNT}:role/a_wf-0_0_1-f` }, 'POST', '/2015-03-31/functions');
    expect(authorizedCalls(create, ACCOUNT).map((call) => call.action)).toEqual(['lambda:CreateFunction', 'iam:PassRole']);
    expect(unauthorizedCalls(remote, [create], ACCOUNT)).toEqual([]);
    const foreignRole = request('lambda', 'ca-central-1', undefined, { FunctionName: 'a_x', Role: `arn:aws:iam::${ACCOUNT}:role/admin` }, 'POST', '/2015-03-31/functions');
    expect(unauthorizedCalls(remote, [foreignRole], ACCOUNT)).toEqual([`iam:PassRole on arn:aws:iam::${ACCOUNT}:role/admin (lambda POST /2015-03-31/functions (ca-central-1) {"iam:PassedToService":["lambda.amazonaws.com"]})`]);
  });

  it('an explicit Deny beats an Allow: the remote framework may not touch its own role', () => {
    const own = request('iam', 'us-east-1', undefined, `Action=DeleteRole&RoleName=${names.remoteRole}&Version=2010-05-08`);
    expect(authorizedCalls(own, ACCOUNT)).toMatchObject([{ action: 'iam:DeleteRole', resource: `arn:aws:iam::${ACCOUNT}:role/a_deployment_policy` }]);
    expect(unauthorizedCalls(remote, [own], ACCOUNT)).toHaveLength(1);
    const functionRole = request('iam', 'us-east-1', undefined, 'Action=DeleteRole&RoleName=a_wf-0_0_1-f&Version=2010-05-08');
    expect(unauthorizedCalls(remote, [functionRole], ACCOUNT)).toEqual([]);
  });

  it("another install's resources are outside the policy; an invocation of an alias ARN of the install is inside", () => {
    const foreign = request('lambda', 'us-east-1', undefined, '{}', 'POST', '/2015-03-31/functions/b_wf-0_0_1-f_aws-us-east-1/invocations');
    expect(unauthorizedCalls(fnPolicy, [foreign], ACCOUNT)).toHaveLength(1);
    const alias = request('lambda', 'us-east-1', undefined, '{}', 'POST', `/2015-03-31/functions/${encodeURIComponent(`arn:aws:lambda:us-east-1:${ACCOUNT}:function:a_wf-0_0_1-f_aws-us-east-1:caribou`)}/invocations`);
    expect(unauthorizedCalls(fnPolicy, [alias], ACCOUNT)).toEqual([]);
  });

  it('an unknown Lambda route or condition key is reported, never silently allowed', () => {
    const unknown = request('lambda', 'us-east-1', undefined, '{}', 'PATCH', '/2099-01-01/whatever');
    expect(unauthorizedCalls(remote, [unknown], ACCOUNT)).toHaveLength(1);
    const conditioned = { Version: '2012-10-17' as const, Statement: [{ Effect: 'Allow' as const, Action: 'sqs:SendMessage', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } } }] };
    expect(unauthorizedCalls(conditioned, [request('sqs', 'us-east-1', 'AmazonSQS.SendMessage', { QueueUrl: `https://sqs/${ACCOUNT}/a_failed_invocations` })], ACCOUNT)).toHaveLength(1);
  });

  it('a create with tags is also authorized as the service\'s tagging action', () => {
    const queue = request('sqs', 'us-east-1', 'AmazonSQS.CreateQueue', { QueueName: 'a_failed_invocations', tags: { 'caribou:install': 'a' } });
    expect(authorizedCalls(queue, ACCOUNT).map((call) => call.action)).toEqual(['sqs:CreateQueue', 'sqs:TagQueue']);
    const untagged = request('sqs', 'us-east-1', 'AmazonSQS.CreateQueue', { QueueName: 'a_failed_invocations' });
    expect(authorizedCalls(untagged, ACCOUNT).map((call) => call.action)).toEqual(['sqs:CreateQueue']);
    const role = request('iam', 'us-east-1', undefined, 'Action=CreateRole&RoleName=a_x&Tags.member.1.Key=caribou%3Ainstall&Tags.member.1.Value=a');
    expect(authorizedCalls(role, ACCOUNT).map((call) => call.action)).toEqual(['iam:CreateRole', 'iam:TagRole']);
  });
});
