import { SyncTables, Tables } from '@caribou/domain-common';
import type { InstallNamespace } from '../install/install-namespace';

/**
 * The IAM policies Caribou generates: one per workflow function role, one for the remote
 * framework. Pure functions of the install, the account and the workflow, so a test can walk
 * every statement (no write action on `*` or `arn:aws:<service>:*:*:*`, no `NotResource`,
 * IAM only inside the install's prefix) and compare them with the calls the code makes.
 */

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface FunctionPolicyInput {
  names: InstallNamespace;
  accountId: string;
  /** Region of the framework tables (the placement decision). */
  systemRegion: string;
  workflowName: string;
  workflowVersion: string;
  workflowId: string;
  /** Regions a function of the workflow may run in; `any` when one is not restricted. */
  regions: readonly string[] | 'any';
  /** Statements of the user's `.caribou/iam_policy.json` (`aws` key): what the user's code needs. */
  userStatements?: readonly PolicyStatement[];
}

/** Lambda is the only service that may assume a function's or the framework's role. */
export const LAMBDA_SERVICE = 'lambda.amazonaws.com';

function regionList(regions: readonly string[] | 'any'): string[] {
  return regions === 'any' ? ['*'] : [...new Set(regions)].sort();
}

/**
 * A workflow function's role (one per function, shared by its region copies): read its own
 * placement row, use its sync tables in the regions it can run in, invoke only its own
 * workflow's functions, send to the failure destinations, write its own log groups.
 */
export function functionRolePolicy(input: FunctionPolicyInput): PolicyDocument {
  const { names, accountId: account, systemRegion } = input;
  const regions = regionList(input.regions);
  const functionPrefix = names.workflowFunctionPrefix(input.workflowName, input.workflowVersion);
  const perRegionTables = Object.values(SyncTables).map((table) => names.table(table));
  const statements: PolicyStatement[] = [
    {
      Sid: 'ReadOwnPlacementDecision',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem'],
      Resource: [`arn:aws:dynamodb:${systemRegion}:${account}:table/${names.table(Tables.workflowPlacementDecision)}`],
      // Only the row of this workflow: the key is the workflow id.
      Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [input.workflowId] } },
    },
    {
      Sid: 'FanInTables',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      Resource: regions.flatMap((region) => perRegionTables.map((table) => `arn:aws:dynamodb:${region}:${account}:table/${table}`)),
    },
    {
      Sid: 'InvokeOwnWorkflow',
      Effect: 'Allow',
      Action: ['lambda:InvokeFunction'],
      Resource: regions.map((region) => `arn:aws:lambda:${region}:${account}:function:${functionPrefix}*`),
    },
    {
      Sid: 'FailureDestinations',
      Effect: 'Allow',
      Action: ['sqs:SendMessage'],
      Resource: regions.map((region) => `arn:aws:sqs:${region}:${account}:${names.failureQueue}`),
    },
    {
      Sid: 'OwnLogGroups',
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: regions.flatMap((region) => [
        `arn:aws:logs:${region}:${account}:log-group:/aws/lambda/${functionPrefix}*`,
        `arn:aws:logs:${region}:${account}:log-group:/aws/lambda/${functionPrefix}*:log-stream:*`,
      ]),
    },
  ];
  return { Version: '2012-10-17', Statement: [...statements, ...(input.userStatements ?? [])] };
}

export interface RemoteFrameworkPolicyInput {
  names: InstallNamespace;
  accountId: string;
  systemRegion: string;
}

/** Actions the remote framework takes on this install's IAM roles: read them to pass and compare, delete them with a workflow. */
const FUNCTION_ROLE_ACTIONS = [
  'iam:GetRole',
  'iam:GetRolePolicy',
  'iam:ListRolePolicies',
  'iam:ListAttachedRolePolicies',
  'iam:ListInstanceProfilesForRole',
  'iam:ListRoleTags',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
  'iam:RemoveRoleFromInstanceProfile',
  'iam:DeleteRole',
];

/**
 * The remote framework's role (`<install>_deployment_policy`): everything on this install's
 * resources only (names `<install>_…`, parameters `/<install>/…`), in this account. It creates
 * no roles and writes no role policy — migrations reuse each function's role, created by
 * `deploy` from the user's machine — so it cannot grant itself anything; `PassRole` only to
 * Lambda; every IAM action on its own role is denied.
 */
export function remoteFrameworkPolicy(input: RemoteFrameworkPolicyInput): PolicyDocument {
  const { names, accountId: account, systemRegion } = input;
  const prefix = names.prefix;
  const inAccount = { StringEquals: { 'aws:ResourceAccount': account } };
  const ownRole = `arn:aws:iam::${account}:role/${names.remoteRole}`;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Logs',
        Effect: 'Allow',
        // Migrated copies get their log group (with its retention, tagged) before they exist; retired copies lose it.
        Action: [
          'logs:CreateLogGroup',
          'logs:PutRetentionPolicy',
          'logs:TagResource',
          'logs:DeleteLogGroup',
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'logs:FilterLogEvents',
          'logs:DescribeLogStreams',
        ],
        Resource: [
          `arn:aws:logs:*:${account}:log-group:/aws/lambda/${prefix}*`,
          `arn:aws:logs:*:${account}:log-group:/aws/lambda/${prefix}*:log-stream:*`,
          `arn:aws:logs:*:${account}:log-group:/aws/lambda-insights`,
          `arn:aws:logs:*:${account}:log-group:/aws/lambda-insights:log-stream:*`,
        ],
        Condition: inAccount,
      },
      {
        Sid: 'InstallFunctions',
        Effect: 'Allow',
        Action: [
          'lambda:InvokeFunction',
          'lambda:CreateFunction',
          'lambda:DeleteFunction',
          'lambda:GetFunction',
          'lambda:GetFunctionConfiguration',
          'lambda:UpdateFunctionCode',
          'lambda:UpdateFunctionConfiguration',
          // A migrated copy is published as a version behind the release alias runs invoke.
          'lambda:PublishVersion',
          'lambda:CreateAlias',
          'lambda:GetAlias',
          'lambda:UpdateAlias',
          'lambda:TagResource',
          'lambda:ListTags',
          'lambda:PutFunctionEventInvokeConfig',
          'lambda:GetFunctionEventInvokeConfig',
          'lambda:UpdateFunctionEventInvokeConfig',
          'lambda:DeleteFunctionEventInvokeConfig',
        ],
        Resource: [`arn:aws:lambda:*:${account}:function:${prefix}*`],
        Condition: inAccount,
      },
      {
        Sid: 'InstallTables',
        Effect: 'Allow',
        Action: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:Scan',
          'dynamodb:Query',
          'dynamodb:CreateTable',
          'dynamodb:DescribeTable',
          'dynamodb:DescribeTimeToLive',
          'dynamodb:UpdateTimeToLive',
          'dynamodb:TagResource',
        ],
        Resource: [`arn:aws:dynamodb:${systemRegion}:${account}:table/${prefix}*`, `arn:aws:dynamodb:*:${account}:table/${prefix}*`],
        Condition: inAccount,
      },
      {
        Sid: 'InstallQueues',
        Effect: 'Allow',
        Action: [
          'sqs:CreateQueue',
          'sqs:GetQueueUrl',
          'sqs:GetQueueAttributes',
          'sqs:SetQueueAttributes',
          'sqs:TagQueue',
          'sqs:ReceiveMessage',
          'sqs:DeleteMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteQueue',
        ],
        Resource: [`arn:aws:sqs:*:${account}:${prefix}*`],
        Condition: inAccount,
      },
      {
        Sid: 'InstallRepositories',
        Effect: 'Allow',
        Action: [
          'ecr:CreateRepository',
          'ecr:DescribeRepositories',
          'ecr:DescribeImages',
          'ecr:BatchGetImage',
          'ecr:BatchCheckLayerAvailability',
          'ecr:GetDownloadUrlForLayer',
          'ecr:InitiateLayerUpload',
          'ecr:UploadLayerPart',
          'ecr:CompleteLayerUpload',
          'ecr:PutImage',
          'ecr:TagResource',
          // A workflow removed by the remote framework takes its image repositories with it.
          'ecr:DeleteRepository',
        ],
        Resource: [`arn:aws:ecr:*:${account}:repository/${prefix}*`],
        Condition: inAccount,
      },
      {
        Sid: 'InstallSecrets',
        Effect: 'Allow',
        Action: ['ssm:GetParameter', 'ssm:GetParameters'],
        Resource: [`arn:aws:ssm:${systemRegion}:${account}:parameter${names.parameterPath}*`],
        Condition: inAccount,
      },
      {
        Sid: 'InstallFunctionRoles',
        Effect: 'Allow',
        Action: FUNCTION_ROLE_ACTIONS,
        Resource: [`arn:aws:iam::${account}:role/${prefix}*`],
      },
      {
        Sid: 'PassFunctionRolesToLambda',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: [`arn:aws:iam::${account}:role/${prefix}*`],
        Condition: { StringEquals: { 'iam:PassedToService': LAMBDA_SERVICE } },
      },
      {
        Sid: 'NeverItsOwnRole',
        Effect: 'Deny',
        Action: ['iam:*'],
        Resource: [ownRole],
      },
      {
        // Read-only calls that IAM does not scope to a resource.
        Sid: 'ReadOnlyUnscoped',
        Effect: 'Allow',
        Action: ['ec2:DescribeRegions', 'pricing:ListPriceLists', 'pricing:GetPriceListFileUrl', 'sts:GetCallerIdentity', 'ecr:GetAuthorizationToken', 'lambda:ListFunctions', 'dynamodb:ListTables'],
        Resource: ['*'],
      },
    ],
  };
}
