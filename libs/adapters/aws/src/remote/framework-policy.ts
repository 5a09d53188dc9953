/**
 * The remote framework's inline IAM policy (role `caribou_deployment_policy`): what the
 * `caribou_cli` Lambda needs to collect data, sync logs, migrate and remove workflows.
 * Unlike the reference's policy file it spells `lambda:UpdateFunctionCode` correctly and
 * grants `lambda:UpdateFunctionConfiguration`, so remote migrations can update functions
 * that already exist; SNS and S3 are gone (no topics, no package bucket here).
 */
export const REMOTE_FRAMEWORK_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Logs',
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:FilterLogEvents', 'logs:DescribeLogGroups'],
      Resource: 'arn:aws:logs:*:*:*',
    },
    {
      Sid: 'WorkflowFunctions',
      Effect: 'Allow',
      Action: [
        'lambda:InvokeFunction',
        'lambda:CreateFunction',
        'lambda:DeleteFunction',
        'lambda:GetFunction',
        'lambda:GetFunctionConfiguration',
        'lambda:ListFunctions',
        'lambda:AddPermission',
        'lambda:GetPolicy',
        'lambda:UpdateFunctionCode',
        'lambda:UpdateFunctionConfiguration',
        // Each copy's retries and on-failure destination.
        'lambda:PutFunctionEventInvokeConfig',
        'lambda:GetFunctionEventInvokeConfig',
      ],
      Resource: '*',
    },
    {
      // The on-failure queues: created for a region a migration copies to, drained by log_sync.
      Sid: 'FailureDestinations',
      Effect: 'Allow',
      Action: ['sqs:CreateQueue', 'sqs:GetQueueUrl', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:DeleteQueue'],
      Resource: 'arn:aws:sqs:*:*:caribou-failed-invocations',
    },
    {
      Sid: 'FrameworkAndSyncTables',
      Effect: 'Allow',
      Action: [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:Scan',
        'dynamodb:CreateTable',
        'dynamodb:DescribeTable',
        'dynamodb:DescribeTimeToLive',
        'dynamodb:UpdateTimeToLive',
      ],
      Resource: 'arn:aws:dynamodb:*:*:*',
    },
    {
      Sid: 'FunctionImages',
      Effect: 'Allow',
      Action: [
        'ecr:GetAuthorizationToken',
        'ecr:CreateRepository',
        'ecr:DeleteRepository',
        'ecr:DescribeRepositories',
        'ecr:DescribeImages',
        'ecr:BatchGetImage',
        'ecr:BatchCheckLayerAvailability',
        'ecr:GetDownloadUrlForLayer',
        'ecr:InitiateLayerUpload',
        'ecr:UploadLayerPart',
        'ecr:CompleteLayerUpload',
        'ecr:PutImage',
      ],
      Resource: '*',
    },
    {
      Sid: 'FunctionRoles',
      Effect: 'Allow',
      Action: [
        'iam:GetRole',
        'iam:CreateRole',
        'iam:DeleteRole',
        'iam:UpdateAssumeRolePolicy',
        'iam:GetRolePolicy',
        'iam:PutRolePolicy',
        'iam:DeleteRolePolicy',
        'iam:ListRolePolicies',
        'iam:ListAttachedRolePolicies',
        'iam:DetachRolePolicy',
        'iam:ListInstanceProfilesForRole',
        'iam:RemoveRoleFromInstanceProfile',
        'iam:PassRole',
      ],
      Resource: '*',
    },
    {
      Sid: 'Collectors',
      Effect: 'Allow',
      Action: ['ec2:DescribeRegions', 'pricing:ListPriceLists', 'pricing:GetPriceListFileUrl', 'sts:GetCallerIdentity'],
      Resource: '*',
    },
  ],
} as const;
