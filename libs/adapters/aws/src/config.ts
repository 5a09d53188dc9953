import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { PricingClient } from '@aws-sdk/client-pricing';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsClientCache, type AwsAdapterConfig } from './client-cache';
import { LAMBDA_MIN_ATTEMPTS, LambdaRetryStrategy } from './lambda/retry-strategy';

export type { AwsAdapterConfig, AwsClientOptions, AwsCredentials } from './client-cache';

/** Pricing API endpoints exist only in us-east-1 and ap-south-1. */
export const PRICING_API_REGION = 'us-east-1';

/** Lazily created, per-region SDK clients of every service the adapter uses, sharing one configuration. */
export class AwsClients extends AwsClientCache {
  private accountIdPromise: Promise<string> | undefined;

  constructor(config: AwsAdapterConfig = {}) {
    super(config);
    if (config.accountId) this.accountIdPromise = Promise.resolve(config.accountId);
  }

  dynamodb(region: string = this.systemRegion): DynamoDBClient {
    return this.client('dynamodb', region, (r) => new DynamoDBClient(this.clientOptions(r)));
  }

  sqs(region: string = this.systemRegion): SQSClient {
    return this.client('sqs', region, (r) => new SQSClient(this.clientOptions(r)));
  }

  /** Parameter Store: the install's API keys (SecureString) live in the system region. */
  ssm(region: string = this.systemRegion): SSMClient {
    return this.client('ssm', region, (r) => new SSMClient(this.clientOptions(r)));
  }

  /** Lambda clients also wait out busy functions and roles IAM has not propagated yet (LambdaRetryStrategy). */
  lambda(region: string = this.systemRegion): LambdaClient {
    return this.client('lambda', region, (r) => {
      const options = this.clientOptions(r);
      const maxAttempts = Math.max(options.maxAttempts, LAMBDA_MIN_ATTEMPTS);
      return new LambdaClient({ ...options, maxAttempts, retryStrategy: new LambdaRetryStrategy({ maxAttempts, backoff: this.config.retryBackoff }) });
    });
  }

  ecr(region: string = this.systemRegion): ECRClient {
    return this.client('ecr', region, (r) => new ECRClient(this.clientOptions(r)));
  }

  logs(region: string = this.systemRegion): CloudWatchLogsClient {
    return this.client('logs', region, (r) => new CloudWatchLogsClient(this.clientOptions(r)));
  }

  events(region: string = this.systemRegion): EventBridgeClient {
    return this.client('events', region, (r) => new EventBridgeClient(this.clientOptions(r)));
  }

  ec2(region: string = PRICING_API_REGION): EC2Client {
    return this.client('ec2', region, (r) => new EC2Client(this.clientOptions(r)));
  }

  pricing(region: string = PRICING_API_REGION): PricingClient {
    return this.client('pricing', region, (r) => new PricingClient(this.clientOptions(r)));
  }

  /** IAM is global; its client is signed for us-east-1. */
  iam(): IAMClient {
    return this.client('iam', 'us-east-1', (r) => new IAMClient(this.clientOptions(r)));
  }

  sts(): STSClient {
    return this.client('sts', this.systemRegion, (r) => new STSClient(this.clientOptions(r)));
  }

  /** The account id from the config, else from STS (asked once). */
  accountId(): Promise<string> {
    this.accountIdPromise ??= this.sts()
      .send(new GetCallerIdentityCommand({}))
      .then((identity) => {
        if (!identity.Account) throw new Error('STS GetCallerIdentity returned no account id');
        return identity.Account;
      })
      .catch((error: unknown) => {
        this.accountIdPromise = undefined;
        throw error;
      });
    return this.accountIdPromise;
  }
}
