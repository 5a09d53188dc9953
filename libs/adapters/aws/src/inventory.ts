import { paginateDescribeLogGroups } from '@aws-sdk/client-cloudwatch-logs';
import { paginateListTables } from '@aws-sdk/client-dynamodb';
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { paginateDescribeRepositories } from '@aws-sdk/client-ecr';
import { ListRulesCommand, type EventBridgeClient, type ListRulesCommandOutput } from '@aws-sdk/client-eventbridge';
import { paginateListPolicies, paginateListRoles } from '@aws-sdk/client-iam';
import { paginateListFunctions } from '@aws-sdk/client-lambda';
import { paginateListQueues } from '@aws-sdk/client-sqs';
import { paginateDescribeParameters } from '@aws-sdk/client-ssm';
import { PRICING_API_REGION, type AwsClients } from './config';
import { collectPages } from './pages';

/** Every kind of resource Caribou creates in one region. Names sorted. */
export interface AwsRegionInventory {
  lambdaFunctions: string[];
  dynamodbTables: string[];
  ecrRepositories: string[];
  logGroups: string[];
  eventRules: string[];
  /** Queue URLs. */
  sqsQueues: string[];
  /** SSM Parameter Store names (the account's own; moto's public `/aws/service/…` ones are not listed by DescribeParameters). */
  ssmParameters: string[];
}

export interface AwsInventory {
  /** IAM is global. */
  iamRoles: string[];
  /** Customer-managed policies (IAM's own, AWS-managed ones are not the account's). */
  iamPolicies: string[];
  regions: Record<string, AwsRegionInventory>;
}

/**
 * EventBridge's SDK client has no paginators (its service model declares none), so ListRules
 * pages by hand: NextToken until the service stops sending one.
 */
async function* eventRulePages(client: EventBridgeClient): AsyncGenerator<ListRulesCommandOutput> {
  let token: string | undefined;
  do {
    const page = await client.send(new ListRulesCommand({ NextToken: token }));
    yield page;
    token = page.NextToken;
  } while (token);
}

async function regionInventory(clients: AwsClients, region: string): Promise<AwsRegionInventory> {
  const sorted = async (names: Promise<string[]>) => (await names).sort();
  const [lambdaFunctions, dynamodbTables, ecrRepositories, logGroups, eventRules, sqsQueues, ssmParameters] = await Promise.all([
    sorted(collectPages(paginateListFunctions({ client: clients.lambda(region) }, {}), (page) => page.Functions?.map((fn) => fn.FunctionName))),
    sorted(collectPages(paginateListTables({ client: clients.dynamodb(region) }, {}), (page) => page.TableNames)),
    sorted(collectPages(paginateDescribeRepositories({ client: clients.ecr(region) }, {}), (page) => page.repositories?.map((repository) => repository.repositoryName))),
    sorted(collectPages(paginateDescribeLogGroups({ client: clients.logs(region) }, {}), (page) => page.logGroups?.map((group) => group.logGroupName))),
    sorted(collectPages(eventRulePages(clients.events(region)), (page) => page.Rules?.map((rule) => rule.Name))),
    sorted(collectPages(paginateListQueues({ client: clients.sqs(region) }, {}), (page) => page.QueueUrls)),
    sorted(collectPages(paginateDescribeParameters({ client: clients.ssm(region) }, {}), (page) => page.Parameters?.map((parameter) => parameter.Name))),
  ]);
  return { lambdaFunctions, dynamodbTables, ecrRepositories, logGroups, eventRules, sqsQueues, ssmParameters };
}

/**
 * Lists every resource type Caribou creates (Lambda functions, IAM roles and policies, DynamoDB
 * tables, ECR repositories, log groups, EventBridge rules, SQS queues, SSM parameters) in the given regions, so a test or an
 * operator can compare the account before a deploy and after a remove.
 */
export async function inventoryAwsResources(clients: AwsClients, regions: readonly string[]): Promise<AwsInventory> {
  const iamRoles = collectPages(paginateListRoles({ client: clients.iam() }, {}), (page) => page.Roles?.map((role) => role.RoleName)).then((names) => names.sort());
  const iamPolicies = collectPages(paginateListPolicies({ client: clients.iam() }, { Scope: 'Local' }), (page) => page.Policies?.map((policy) => policy.PolicyName)).then((names) =>
    names.sort(),
  );
  const perRegion = await Promise.all(regions.map(async (region) => [region, await regionInventory(clients, region)] as const));
  return { iamRoles: await iamRoles, iamPolicies: await iamPolicies, regions: Object.fromEntries(perRegion) };
}

/** Every region the endpoint knows, enabled or not (EC2 DescribeRegions with AllRegions): what a full inventory walks. */
export async function allAwsRegions(clients: AwsClients): Promise<string[]> {
  const result = await clients.ec2(PRICING_API_REGION).send(new DescribeRegionsCommand({ AllRegions: true }));
  return (result.Regions ?? [])
    .map((region) => region.RegionName)
    .filter((name): name is string => Boolean(name))
    .sort();
}

/** The resources of an inventory as `"<region> <kind> <name>"` lines (IAM's as `global`), sorted: [] for an empty account. */
export function inventoryLines(inventory: AwsInventory): string[] {
  const lines = [...inventory.iamRoles.map((role) => `global iamRoles ${role}`), ...inventory.iamPolicies.map((policy) => `global iamPolicies ${policy}`)];
  for (const [region, resources] of Object.entries(inventory.regions)) {
    for (const [kind, names] of Object.entries(resources) as Array<[string, string[]]>) for (const name of names) lines.push(`${region} ${kind} ${name}`);
  }
  return lines.sort();
}

/** Resources present in `after` but not in `before` (and the reverse), as `"<region> <kind> <name>"` lines. */
export function diffAwsInventories(before: AwsInventory, after: AwsInventory): { added: string[]; removed: string[] } {
  const a = new Set(inventoryLines(before));
  const b = new Set(inventoryLines(after));
  return { added: [...b].filter((line) => !a.has(line)).sort(), removed: [...a].filter((line) => !b.has(line)).sort() };
}
