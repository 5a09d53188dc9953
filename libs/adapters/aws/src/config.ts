import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { PricingClient } from '@aws-sdk/client-pricing';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { GLOBAL_SYSTEM_REGION } from '@caribou/domain-common';

export type AwsCredentials = NonNullable<DynamoDBClientConfig['credentials']>;

/** One configuration for every AWS client of the adapter, so tests can point all of them at an emulator. */
export interface AwsAdapterConfig {
  /** Emulator or VPC endpoint used for every service (moto, LocalStack). Unset: the real AWS endpoints. */
  endpoint?: string;
  /**
   * Explicit credentials. Unset: the SDK's default chain — except for an emulator on this
   * machine (a loopback `endpoint`) with no AWS_ACCESS_KEY_ID set, which gets dummy ones.
   */
  credentials?: AwsCredentials;
  /** Region of the framework tables, the remote framework and its timers. Default `us-west-2`. */
  systemRegion?: string;
  /** Account id (ECR registry host, ARNs). Unset: asked from STS once. */
  accountId?: string;
  /** Attempts per SDK call (the SDK's standard retry strategy with backoff). Default 5. */
  maxAttempts?: number;
}

/** Pricing API endpoints exist only in us-east-1 and ap-south-1. */
export const PRICING_API_REGION = 'us-east-1';

type ClientFactory<T> = (region: string) => T;

/**
 * Lazily created, per-region SDK clients sharing one configuration. Clients are
 * reused for the life of the process (inside Lambda: across warm invocations).
 */
export class AwsClients {
  readonly systemRegion: string;
  private readonly cache = new Map<string, { destroy(): void }>();
  private accountIdPromise: Promise<string> | undefined;

  constructor(readonly config: AwsAdapterConfig = {}) {
    this.systemRegion = config.systemRegion ?? GLOBAL_SYSTEM_REGION;
    if (config.accountId) this.accountIdPromise = Promise.resolve(config.accountId);
  }

  /** The options every client gets (exposed for adapters that build their own clients, e.g. in tests). */
  clientOptions(region: string): { region: string; endpoint?: string; credentials?: AwsCredentials; maxAttempts: number } {
    const options: { region: string; endpoint?: string; credentials?: AwsCredentials; maxAttempts: number } = {
      region,
      maxAttempts: this.config.maxAttempts ?? 5,
    };
    if (this.config.endpoint) options.endpoint = this.config.endpoint;
    const credentials = this.config.credentials ?? (isLoopback(this.config.endpoint) && !process.env.AWS_ACCESS_KEY_ID ? emulatorCredentials : undefined);
    if (credentials) options.credentials = credentials;
    return options;
  }

  private client<T extends { destroy(): void }>(service: string, region: string, create: ClientFactory<T>): T {
    const key = `${service}:${region}`;
    let client = this.cache.get(key) as T | undefined;
    if (!client) {
      client = create(region);
      this.cache.set(key, client);
    }
    return client;
  }

  dynamodb(region: string = this.systemRegion): DynamoDBClient {
    return this.client('dynamodb', region, (r) => new DynamoDBClient(this.clientOptions(r)));
  }

  lambda(region: string = this.systemRegion): LambdaClient {
    return this.client('lambda', region, (r) => new LambdaClient(this.clientOptions(r)));
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

  /** Closes every client's sockets (tests, short-lived CLI runs). */
  destroy(): void {
    for (const client of this.cache.values()) client.destroy();
    this.cache.clear();
  }
}

function isLoopback(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  try {
    const host = new URL(endpoint).hostname;
    return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return false;
  }
}

const emulatorCredentials: AwsCredentials = { accessKeyId: 'caribou-emulator', secretAccessKey: 'caribou-emulator' };
