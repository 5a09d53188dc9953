import { ListTagsForResourceCommand as ListLogTagsCommand, paginateDescribeLogGroups } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTableCommand, ListTagsOfResourceCommand, paginateListTables } from '@aws-sdk/client-dynamodb';
import { ListTagsForResourceCommand as ListEcrTagsCommand, paginateDescribeRepositories } from '@aws-sdk/client-ecr';
import { ListRulesCommand, ListTagsForResourceCommand as ListRuleTagsCommand, type ListRulesCommandOutput } from '@aws-sdk/client-eventbridge';
import { ListRoleTagsCommand, paginateListRoles } from '@aws-sdk/client-iam';
import { ListTagsCommand as ListFunctionTagsCommand, paginateListFunctions } from '@aws-sdk/client-lambda';
import { ListQueueTagsCommand, paginateListQueues } from '@aws-sdk/client-sqs';
import { ListTagsForResourceCommand as ListParameterTagsCommand, paginateDescribeParameters } from '@aws-sdk/client-ssm';
import type { AwsClients } from '../config';

/** The kinds of AWS resource an install owns. */
export type InstallResourceType = 'iam-role' | 'lambda-function' | 'dynamodb-table' | 'sqs-queue' | 'log-group' | 'event-rule' | 'ecr-repository' | 'ssm-parameter';

export interface InstallResource {
  type: InstallResourceType;
  /** `global` for IAM. */
  region: string;
  name: string;
  tags: Record<string, string>;
}

const fromList = (tags: ReadonlyArray<{ Key?: string | undefined; Value?: string | undefined }> | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).flatMap((tag) => (tag.Key ? [[tag.Key, tag.Value ?? '']] : [])));

/** EventBridge's client has no paginators: NextToken by hand. */
async function* rulePages(clients: AwsClients, region: string, prefix: string): AsyncGenerator<ListRulesCommandOutput> {
  let token: string | undefined;
  do {
    const page = await clients.events(region).send(new ListRulesCommand({ NamePrefix: prefix, NextToken: token }));
    yield page;
    token = page.NextToken;
  } while (token);
}

async function regionResources(clients: AwsClients, region: string): Promise<InstallResource[]> {
  const { prefix, parameterPath } = clients.names;
  const found: InstallResource[] = [];
  const add = (type: InstallResourceType, name: string, tags: Record<string, string>) => found.push({ type, region, name, tags });

  const lambda = clients.lambda(region);
  for await (const page of paginateListFunctions({ client: lambda }, {})) {
    for (const fn of page.Functions ?? []) {
      if (!fn.FunctionName?.startsWith(prefix) || !fn.FunctionArn) continue;
      add('lambda-function', fn.FunctionName, (await lambda.send(new ListFunctionTagsCommand({ Resource: fn.FunctionArn }))).Tags ?? {});
    }
  }
  const dynamodb = clients.dynamodb(region);
  for await (const page of paginateListTables({ client: dynamodb }, {})) {
    for (const table of page.TableNames ?? []) {
      if (!table.startsWith(prefix)) continue;
      const arn = (await dynamodb.send(new DescribeTableCommand({ TableName: table }))).Table?.TableArn;
      add('dynamodb-table', table, arn ? fromList((await dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags) : {});
    }
  }
  const sqs = clients.sqs(region);
  for await (const page of paginateListQueues({ client: sqs }, { QueueNamePrefix: prefix })) {
    for (const url of page.QueueUrls ?? []) add('sqs-queue', url.split('/').pop()!, (await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags ?? {});
  }
  const logs = clients.logs(region);
  for await (const page of paginateDescribeLogGroups({ client: logs }, { logGroupNamePrefix: `/aws/lambda/${prefix}` })) {
    for (const group of page.logGroups ?? []) {
      if (!group.logGroupName || !group.arn) continue;
      add('log-group', group.logGroupName, (await logs.send(new ListLogTagsCommand({ resourceArn: group.arn.replace(/:\*$/, '') }))).tags ?? {});
    }
  }
  const events = clients.events(region);
  for await (const page of rulePages(clients, region, prefix)) {
    for (const rule of page.Rules ?? []) {
      if (rule.Name && rule.Arn) add('event-rule', rule.Name, fromList((await events.send(new ListRuleTagsCommand({ ResourceARN: rule.Arn }))).Tags));
    }
  }
  const ecr = clients.ecr(region);
  for await (const page of paginateDescribeRepositories({ client: ecr }, {})) {
    for (const repository of page.repositories ?? []) {
      if (!repository.repositoryName?.startsWith(prefix.toLowerCase()) || !repository.repositoryArn) continue;
      add('ecr-repository', repository.repositoryName, fromList((await ecr.send(new ListEcrTagsCommand({ resourceArn: repository.repositoryArn }))).tags));
    }
  }
  const ssm = clients.ssm(region);
  for await (const page of paginateDescribeParameters({ client: ssm }, { ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: [parameterPath] }] })) {
    for (const parameter of page.Parameters ?? []) {
      if (!parameter.Name?.startsWith(parameterPath)) continue;
      add('ssm-parameter', parameter.Name, fromList((await ssm.send(new ListParameterTagsCommand({ ResourceType: 'Parameter', ResourceId: parameter.Name }))).TagList));
    }
  }
  return found;
}

/**
 * Every resource of this install (names `<install>_…`, log groups `/aws/lambda/<install>_…`,
 * parameters `/<install>/…`) in the given regions and IAM, with its tags — what an operator
 * or a test reads to see what one install owns, and that nothing of another install is in it.
 * Sorted by type, region and name.
 */
export async function listInstallResources(clients: AwsClients, regions: readonly string[]): Promise<InstallResource[]> {
  const iam = clients.iam();
  const roles: InstallResource[] = [];
  for await (const page of paginateListRoles({ client: iam }, {})) {
    for (const role of page.Roles ?? []) {
      if (!role.RoleName?.startsWith(clients.names.prefix)) continue;
      roles.push({ type: 'iam-role', region: 'global', name: role.RoleName, tags: fromList((await iam.send(new ListRoleTagsCommand({ RoleName: role.RoleName }))).Tags) });
    }
  }
  const perRegion = await Promise.all(regions.map((region) => regionResources(clients, region)));
  const key = (resource: InstallResource) => `${resource.type} ${resource.region} ${resource.name}`;
  return [...roles, ...perRegion.flat()].sort((a, b) => key(a).localeCompare(key(b)));
}
