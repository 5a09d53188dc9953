import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { ListRolesCommand } from '@aws-sdk/client-iam';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import type { AwsClients } from './config';

/** Every kind of resource Caribou creates in one region. Names sorted. */
export interface AwsRegionInventory {
  lambdaFunctions: string[];
  dynamodbTables: string[];
  ecrRepositories: string[];
  logGroups: string[];
  eventRules: string[];
}

export interface AwsInventory {
  /** IAM is global. */
  iamRoles: string[];
  regions: Record<string, AwsRegionInventory>;
}

async function collect(fetchPage: (token: string | undefined) => Promise<{ names: Array<string | undefined>; next: string | undefined }>): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    for (const name of page.names) if (name) names.push(name);
    token = page.next;
  } while (token);
  return names.sort();
}

async function regionInventory(clients: AwsClients, region: string): Promise<AwsRegionInventory> {
  const [lambdaFunctions, dynamodbTables, ecrRepositories, logGroups, eventRules] = await Promise.all([
    collect(async (marker) => {
      const page = await clients.lambda(region).send(new ListFunctionsCommand({ Marker: marker }));
      return { names: (page.Functions ?? []).map((fn) => fn.FunctionName), next: page.NextMarker };
    }),
    collect(async (start) => {
      const page = await clients.dynamodb(region).send(new ListTablesCommand({ ExclusiveStartTableName: start }));
      return { names: page.TableNames ?? [], next: page.LastEvaluatedTableName };
    }),
    collect(async (token) => {
      const page = await clients.ecr(region).send(new DescribeRepositoriesCommand({ nextToken: token }));
      return { names: (page.repositories ?? []).map((repository) => repository.repositoryName), next: page.nextToken };
    }),
    collect(async (token) => {
      const page = await clients.logs(region).send(new DescribeLogGroupsCommand({ nextToken: token }));
      return { names: (page.logGroups ?? []).map((group) => group.logGroupName), next: page.nextToken };
    }),
    collect(async (token) => {
      const page = await clients.events(region).send(new ListRulesCommand({ NextToken: token }));
      return { names: (page.Rules ?? []).map((rule) => rule.Name), next: page.NextToken };
    }),
  ]);
  return { lambdaFunctions, dynamodbTables, ecrRepositories, logGroups, eventRules };
}

/**
 * Lists every resource type Caribou creates (Lambda functions, IAM roles, DynamoDB tables,
 * ECR repositories, log groups, EventBridge rules) in the given regions, so a test or an
 * operator can compare the account before a deploy and after a remove.
 */
export async function inventoryAwsResources(clients: AwsClients, regions: readonly string[]): Promise<AwsInventory> {
  const iamRoles = collect(async (marker) => {
    const page = await clients.iam().send(new ListRolesCommand({ Marker: marker }));
    return { names: (page.Roles ?? []).map((role) => role.RoleName), next: page.IsTruncated ? page.Marker : undefined };
  });
  const perRegion = await Promise.all(regions.map(async (region) => [region, await regionInventory(clients, region)] as const));
  return { iamRoles: await iamRoles, regions: Object.fromEntries(perRegion) };
}

/** Resources present in `after` but not in `before` (and the reverse), as `"<region> <kind> <name>"` lines. */
export function diffAwsInventories(before: AwsInventory, after: AwsInventory): { added: string[]; removed: string[] } {
  const lines = (inventory: AwsInventory): Set<string> => {
    const set = new Set(inventory.iamRoles.map((role) => `global iamRoles ${role}`));
    for (const [region, resources] of Object.entries(inventory.regions)) {
      for (const [kind, names] of Object.entries(resources) as Array<[string, string[]]>) for (const name of names) set.add(`${region} ${kind} ${name}`);
    }
    return set;
  };
  const a = lines(before);
  const b = lines(after);
  return { added: [...b].filter((line) => !a.has(line)).sort(), removed: [...a].filter((line) => !b.has(line)).sort() };
}
