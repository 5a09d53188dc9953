import type { Clock } from '@caribou/ports';
import type { AwsAdapterConfig } from './client-cache';
import { AwsClients } from './config';
import { DynamoDbKeyValueStore } from './dynamodb/key-value-store';
import { DynamoDbSyncStoreProvider } from './dynamodb/sync-store';
import { EventBridgeScheduler } from './events/scheduler';
import { IamIdentityManager } from './iam/identity-manager';
import { LambdaArtifactCopier } from './lambda/artifact-copier';
import { LambdaFunctionInvoker } from './lambda/function-invoker';
import { LambdaFunctionPlatform } from './lambda/function-platform';
import { CloudWatchLogGroups } from './logs/log-groups';
import { CloudWatchLogSource } from './logs/log-source';
import type { RegionRateLimiters } from './logs/request-rate-limiter';
import { AwsEnabledRegions } from './pricing/regions';
import { LambdaRemoteFramework } from './remote/remote-framework';
import { SqsFailureDestinations } from './sqs/failure-destinations';

/** Every AWS adapter of the provider, sharing one set of clients. */
export interface AwsAdapterSet {
  clients: AwsClients;
  store: DynamoDbKeyValueStore;
  syncStores: DynamoDbSyncStoreProvider;
  platform: LambdaFunctionPlatform;
  invoker: LambdaFunctionInvoker;
  copier: LambdaArtifactCopier;
  identity: IamIdentityManager;
  logs: CloudWatchLogSource;
  logGroups: CloudWatchLogGroups;
  enabledRegions: AwsEnabledRegions;
  scheduler: EventBridgeScheduler;
  remote: LambdaRemoteFramework;
  failureDestinations: SqsFailureDestinations;
}

export interface AwsAdapterOptions {
  clock?: Clock;
  /** The CloudWatch Logs read quota every log reader shares (one limiter per region). Unset: no client-side limit. */
  logReadLimiters?: RegionRateLimiters;
}

/** One place that builds the AWS provider, used by the CLI's container and the remote framework alike. */
export function createAwsAdapters(config: AwsAdapterConfig = {}, options: AwsAdapterOptions = {}): AwsAdapterSet {
  const clients = new AwsClients(config);
  return {
    clients,
    store: new DynamoDbKeyValueStore(clients),
    syncStores: new DynamoDbSyncStoreProvider(clients, options.clock),
    platform: new LambdaFunctionPlatform(clients),
    invoker: new LambdaFunctionInvoker(clients),
    copier: new LambdaArtifactCopier(clients),
    identity: new IamIdentityManager(clients),
    logs: new CloudWatchLogSource(clients, options.logReadLimiters ? { limiters: options.logReadLimiters } : {}),
    logGroups: new CloudWatchLogGroups(clients),
    enabledRegions: new AwsEnabledRegions(clients),
    scheduler: new EventBridgeScheduler(clients),
    remote: new LambdaRemoteFramework(clients),
    failureDestinations: new SqsFailureDestinations(clients),
  };
}
