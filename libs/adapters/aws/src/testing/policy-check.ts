import type { PolicyDocument, PolicyStatement } from '../iam/policies';
import type { RecordedRequest } from './recording-proxy';

/**
 * Test support for issue 13's "every AWS SDK call maps to an Allow statement": what IAM
 * authorizes for one recorded request (action, resource ARN and the condition keys it sets),
 * and whether a policy allows it, with IAM's semantics — `*` and `?` wildcards in actions
 * (case-insensitive) and resources, an explicit Deny beating any Allow, and every condition
 * of a statement holding. A condition key this module cannot evaluate fails the check instead
 * of passing it.
 */

/** One authorization IAM makes for a request (a request may need several: CreateFunction also passes its role). */
export interface AuthorizedCall {
  action: string;
  resource: string;
  /** Condition keys the request sets (`iam:PassedToService`, `dynamodb:LeadingKeys`, …). */
  context: Record<string, string[]>;
  /** The request it came from, for messages. */
  request: string;
}

const LAMBDA_PATHS: Array<[method: string, path: RegExp, action: string]> = [
  ['POST', /^\/2015-03-31\/functions\/([^/]+)\/invocations$/, 'InvokeFunction'],
  ['POST', /^\/2014-11-13\/functions\/([^/]+)\/invoke-async\/?$/, 'InvokeFunction'],
  ['GET', /^\/2015-03-31\/functions\/?$/, 'ListFunctions'],
  ['POST', /^\/2015-03-31\/functions\/?$/, 'CreateFunction'],
  ['GET', /^\/2015-03-31\/functions\/([^/]+)\/?$/, 'GetFunction'],
  ['DELETE', /^\/2015-03-31\/functions\/([^/]+)\/?$/, 'DeleteFunction'],
  ['GET', /^\/2015-03-31\/functions\/([^/]+)\/configuration$/, 'GetFunctionConfiguration'],
  ['PUT', /^\/2015-03-31\/functions\/([^/]+)\/configuration$/, 'UpdateFunctionConfiguration'],
  ['PUT', /^\/2015-03-31\/functions\/([^/]+)\/code$/, 'UpdateFunctionCode'],
  ['POST', /^\/2015-03-31\/functions\/([^/]+)\/versions$/, 'PublishVersion'],
  ['GET', /^\/2015-03-31\/functions\/([^/]+)\/versions$/, 'ListVersionsByFunction'],
  ['POST', /^\/2015-03-31\/functions\/([^/]+)\/aliases$/, 'CreateAlias'],
  ['GET', /^\/2015-03-31\/functions\/([^/]+)\/aliases$/, 'ListAliases'],
  ['GET', /^\/2015-03-31\/functions\/([^/]+)\/aliases\/[^/]+$/, 'GetAlias'],
  ['PUT', /^\/2015-03-31\/functions\/([^/]+)\/aliases\/[^/]+$/, 'UpdateAlias'],
  ['DELETE', /^\/2015-03-31\/functions\/([^/]+)\/aliases\/[^/]+$/, 'DeleteAlias'],
  ['POST', /^\/2015-03-31\/functions\/([^/]+)\/policy$/, 'AddPermission'],
  ['GET', /^\/2015-03-31\/functions\/([^/]+)\/policy$/, 'GetPolicy'],
  ['DELETE', /^\/2015-03-31\/functions\/([^/]+)\/policy\/[^/]+$/, 'RemovePermission'],
  ['PUT', /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config$/, 'PutFunctionEventInvokeConfig'],
  ['POST', /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config$/, 'UpdateFunctionEventInvokeConfig'],
  ['GET', /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config$/, 'GetFunctionEventInvokeConfig'],
  ['DELETE', /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config$/, 'DeleteFunctionEventInvokeConfig'],
  ['GET', /^\/2017-03-31\/tags\/(.+)$/, 'ListTags'],
  ['POST', /^\/2017-03-31\/tags\/(.+)$/, 'TagResource'],
  ['DELETE', /^\/2017-03-31\/tags\/(.+)$/, 'UntagResource'],
];

/** Tags given with a create call (a map or a list): AWS then also authorizes the service's tagging action. */
const hasTags = (tags: unknown): boolean => (Array.isArray(tags) ? tags.length > 0 : !!tags && typeof tags === 'object' && Object.keys(tags).length > 0);

/** The tagging action a create call with tags also needs, per service and operation. */
const TAG_ON_CREATE: Record<string, { operation: string; tags: string; action: string }> = {
  dynamodb: { operation: 'CreateTable', tags: 'Tags', action: 'dynamodb:TagResource' },
  sqs: { operation: 'CreateQueue', tags: 'tags', action: 'sqs:TagQueue' },
  logs: { operation: 'CreateLogGroup', tags: 'tags', action: 'logs:TagResource' },
  ecr: { operation: 'CreateRepository', tags: 'tags', action: 'ecr:TagResource' },
  events: { operation: 'PutRule', tags: 'Tags', action: 'events:TagResource' },
  ssm: { operation: 'PutParameter', tags: 'Tags', action: 'ssm:AddTagsToResource' },
};

const parseJson = (body: string): Record<string, unknown> => {
  try {
    return body ? (JSON.parse(body) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/** A function name, partial ARN or full ARN (with or without a qualifier) as IAM sees it. */
function functionArn(nameOrArn: string, region: string, account: string): string {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  return `arn:aws:lambda:${region}:${account}:function:${nameOrArn}`;
}

function lambdaCalls(request: RecordedRequest, account: string, label: string): AuthorizedCall[] {
  const path = decodeURIComponent(request.path.split('?')[0]!);
  for (const [method, pattern, action] of LAMBDA_PATHS) {
    const match = request.method === method ? pattern.exec(path) : null;
    if (!match) continue;
    const body = parseJson(request.body);
    if (action === 'ListFunctions') return [{ action: 'lambda:ListFunctions', resource: '*', context: {}, request: label }];
    const name = action === 'CreateFunction' ? String(body.FunctionName) : match[1]!;
    const calls: AuthorizedCall[] = [{ action: `lambda:${action}`, resource: functionArn(name, request.region, account), context: {}, request: label }];
    // Tags given on create are authorized as a TagResource on the new function.
    if (action === 'CreateFunction' && hasTags(body.Tags)) calls.push({ ...calls[0]!, action: 'lambda:TagResource' });
    // Creating or reconfiguring a function with a role passes that role to Lambda.
    if ((action === 'CreateFunction' || action === 'UpdateFunctionConfiguration') && typeof body.Role === 'string') {
      calls.push({ action: 'iam:PassRole', resource: body.Role, context: { 'iam:PassedToService': ['lambda.amazonaws.com'] }, request: label });
    }
    return calls;
  }
  return [{ action: `lambda:<unknown ${request.method} ${path}>`, resource: '?', context: {}, request: label }];
}

/** `https://…/<account>/<name>` → the queue's ARN. */
function queueArn(url: string, region: string, account: string): string {
  const name = url.split('/').filter(Boolean).pop() ?? url;
  return `arn:aws:sqs:${region}:${account}:${name}`;
}

function jsonCalls(request: RecordedRequest, account: string, label: string): AuthorizedCall[] {
  const operation = request.target!.split('.').pop()!;
  const body = parseJson(request.body);
  const { region } = request;
  const call = (action: string, resource: string, context: Record<string, string[]> = {}): AuthorizedCall => ({ action, resource, context, request: label });
  switch (request.service) {
    case 'dynamodb': {
      const table = (name: unknown) => `arn:aws:dynamodb:${region}:${account}:table/${String(name)}`;
      const leadingKey = (key: unknown): Record<string, string[]> => {
        const first = key && typeof key === 'object' ? Object.values(key as Record<string, Record<string, unknown>>)[0] : undefined;
        const value = first ? (first.S ?? first.N) : undefined;
        return value === undefined ? {} : { 'dynamodb:LeadingKeys': [String(value)] };
      };
      if (operation === 'ListTables') return [call('dynamodb:ListTables', '*')];
      if (operation === 'TransactWriteItems') {
        const items = (body.TransactItems ?? []) as Array<Record<string, { TableName?: string; Key?: unknown; Item?: unknown }>>;
        const actions: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' };
        return items.flatMap((item) => Object.entries(item).map(([kind, entry]) => call(`dynamodb:${actions[kind] ?? kind}`, table(entry.TableName), leadingKey(entry.Key ?? entry.Item))));
      }
      if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
        return Object.keys((body.RequestItems ?? {}) as object).map((name) => call(`dynamodb:${operation}`, table(name)));
      }
      return [call(`dynamodb:${operation}`, table(body.TableName), leadingKey(body.Key ?? body.Item))];
    }
    case 'sqs': {
      if (operation === 'ListQueues') return [call('sqs:ListQueues', '*')];
      const url = typeof body.QueueUrl === 'string' ? body.QueueUrl : undefined;
      return [call(`sqs:${operation}`, url ? queueArn(url, region, account) : `arn:aws:sqs:${region}:${account}:${String(body.QueueName)}`)];
    }
    case 'logs': {
      const group = body.logGroupName ?? body.logGroupIdentifier;
      if (typeof group !== 'string') return [call(`logs:${operation}`, `arn:aws:logs:${region}:${account}:log-group:*`)];
      const stream = typeof body.logStreamName === 'string' ? `:log-stream:${body.logStreamName}` : '';
      return [call(`logs:${operation}`, `arn:aws:logs:${region}:${account}:log-group:${group}${stream}`)];
    }
    case 'ssm': {
      const names = (Array.isArray(body.Names) ? body.Names : [body.Name ?? body.ResourceId]) as unknown[];
      return names.map((name) => call(`ssm:${operation}`, `arn:aws:ssm:${region}:${account}:parameter/${String(name).replace(/^\//, '')}`));
    }
    case 'ecr': {
      if (operation === 'GetAuthorizationToken') return [call('ecr:GetAuthorizationToken', '*')];
      const names = (Array.isArray(body.repositoryNames) ? body.repositoryNames : [body.repositoryName]) as unknown[];
      return names.map((name) => call(`ecr:${operation}`, `arn:aws:ecr:${region}:${account}:repository/${String(name)}`));
    }
    case 'events': {
      const rule = body.Name ?? body.Rule;
      return [call(`events:${operation}`, typeof rule === 'string' ? `arn:aws:events:${region}:${account}:rule/${rule}` : '*')];
    }
    case 'pricing':
      return [call(`pricing:${operation}`, '*')];
    default:
      return [call(`${request.service}:${operation}`, '?')];
  }
}

/** The JSON-protocol calls of one request, with the tagging action a create with tags also needs. */
function jsonCallsWithTags(request: RecordedRequest, account: string, label: string): AuthorizedCall[] {
  const calls = jsonCalls(request, account, label);
  const tagging = TAG_ON_CREATE[request.service];
  if (tagging && request.target!.endsWith(`.${tagging.operation}`) && hasTags(parseJson(request.body)[tagging.tags])) calls.push({ ...calls[0]!, action: tagging.action });
  return calls;
}

/** Query protocol (IAM, STS, EC2): `Action=…&RoleName=…` in the form body. */
function queryCalls(request: RecordedRequest, account: string, label: string): AuthorizedCall[] {
  const form = new URLSearchParams(request.body);
  const operation = form.get('Action') ?? '<no Action>';
  const role = form.get('RoleName');
  const resource = request.service === 'iam' && role ? `arn:aws:iam::${account}:role/${role}` : '*';
  const calls: AuthorizedCall[] = [{ action: `${request.service}:${operation}`, resource, context: {}, request: label }];
  if (request.service === 'iam' && operation === 'CreateRole' && form.has('Tags.member.1.Key')) calls.push({ ...calls[0]!, action: 'iam:TagRole' });
  return calls;
}

/** What IAM authorizes for one request the recording proxy kept. */
export function authorizedCalls(request: RecordedRequest, account: string): AuthorizedCall[] {
  const label = `${request.service} ${request.target ?? `${request.method} ${request.path.split('?')[0]}`} (${request.region})`;
  if (request.service === 'lambda') return lambdaCalls(request, account, label);
  if (request.target) return jsonCallsWithTags(request, account, label);
  return queryCalls(request, account, label);
}

/** IAM's wildcard match: `*` any run of characters, `?` one; actions compare case-insensitively. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

const asList = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);

/** The condition keys this check can evaluate; any other key makes the statement not apply (so a gap is reported, never hidden). */
function conditionsHold(statement: PolicyStatement, call: AuthorizedCall, account: string): boolean {
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    for (const [key, expected] of Object.entries(keys)) {
      const wanted = asList(expected);
      const actual = key === 'aws:ResourceAccount' ? [account] : call.context[key];
      if (actual === undefined) return false;
      if (operator === 'StringEquals' || operator === 'ForAllValues:StringEquals') {
        if (!actual.every((value) => wanted.includes(value))) return false;
      } else if (operator === 'StringLike') {
        if (!actual.every((value) => wanted.some((pattern) => wildcardMatch(pattern, value)))) return false;
      } else return false;
    }
  }
  return true;
}

function applies(statement: PolicyStatement, call: AuthorizedCall, account: string): boolean {
  return (
    asList(statement.Action).some((action) => wildcardMatch(action, call.action, true)) &&
    asList(statement.Resource).some((resource) => wildcardMatch(resource, call.resource)) &&
    conditionsHold(statement, call, account)
  );
}

/** The Sid (or index) of the Allow statement that authorizes the call, or undefined when none does or a Deny applies. */
export function allowingStatement(policy: PolicyDocument, call: AuthorizedCall, account: string): string | undefined {
  if (policy.Statement.some((statement) => statement.Effect === 'Deny' && applies(statement, call, account))) return undefined;
  const index = policy.Statement.findIndex((statement) => statement.Effect === 'Allow' && applies(statement, call, account));
  return index < 0 ? undefined : (policy.Statement[index]!.Sid ?? String(index));
}

/** Every distinct call of `requests` no Allow statement of `policy` authorizes, as readable lines (empty when all are allowed). */
export function unauthorizedCalls(policy: PolicyDocument, requests: readonly RecordedRequest[], account: string): string[] {
  const denied = new Set<string>();
  for (const request of requests) {
    for (const call of authorizedCalls(request, account)) {
      if (allowingStatement(policy, call, account) === undefined) denied.add(`${call.action} on ${call.resource} (${call.request}${Object.keys(call.context).length ? ` ${JSON.stringify(call.context)}` : ''})`);
    }
  }
  return [...denied].sort();
}
