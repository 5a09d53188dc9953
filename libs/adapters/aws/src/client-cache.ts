import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { StandardRetryBackoffStrategy } from '@smithy/types';
import { GLOBAL_SYSTEM_REGION } from '@caribou/domain-common';
import { InstallNamespace } from './install/install-namespace';

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
  /** The install whose resources these clients name (CARIBOU_INSTALL, `--install`). Default `caribou`. */
  install?: string;
  /** Account id (ECR registry host, ARNs). Unset: asked from STS once. */
  accountId?: string;
  /** Attempts per SDK call (the SDK's standard retry strategy with backoff). Default 5; Lambda calls at least 8. */
  maxAttempts?: number;
  /**
   * Backoff of the Lambda clients' SDK retry strategy. Unset: the SDK's own (exponential, full
   * jitter). Tests pass one that waits 0 ms, so retries cost no wall time.
   */
  retryBackoff?: StandardRetryBackoffStrategy;
}

export interface AwsClientOptions {
  region: string;
  endpoint?: string;
  credentials?: AwsCredentials;
  maxAttempts: number;
}

/**
 * The shared part of every client set: one configuration, clients created lazily per
 * (service, region) and reused for the life of the process (inside Lambda: across warm
 * invocations). It imports no service client itself, so a subclass that needs two
 * services (the function runtime) loads only those two.
 */
export class AwsClientCache {
  readonly systemRegion: string;
  /** Names and tags of this install's resources. */
  readonly names: InstallNamespace;
  private readonly cache = new Map<string, { destroy(): void }>();

  constructor(readonly config: AwsAdapterConfig = {}) {
    this.systemRegion = config.systemRegion ?? GLOBAL_SYSTEM_REGION;
    this.names = new InstallNamespace(config.install);
  }

  /** The options every client gets (exposed for adapters that build their own clients, e.g. in tests). */
  clientOptions(region: string): AwsClientOptions {
    const options: AwsClientOptions = { region, maxAttempts: this.config.maxAttempts ?? 5 };
    if (this.config.endpoint) options.endpoint = this.config.endpoint;
    const credentials = this.config.credentials ?? (isLoopback(this.config.endpoint) && !process.env.AWS_ACCESS_KEY_ID ? emulatorCredentials : undefined);
    if (credentials) options.credentials = credentials;
    return options;
  }

  protected client<T extends { destroy(): void }>(service: string, region: string, create: (region: string) => T): T {
    const key = `${service}:${region}`;
    let client = this.cache.get(key) as T | undefined;
    if (!client) {
      client = create(region);
      this.cache.set(key, client);
    }
    return client;
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
