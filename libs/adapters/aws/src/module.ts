import { ContainerModule } from 'inversify';
import { offlineDataOnly, SOURCE_TOKENS, token, TOKENS } from '@caribou/ports';
import { createAwsAdapters, type AwsAdapterSet } from './adapters';
import { ImagePackageBuilder } from './ecr/image-package-builder';
import { awsConfigFromEnv } from './env';
import { LambdaPackageBuilder } from './lambda/package-builder';
import { logReadsPerSecond, RegionRateLimiters } from './logs/request-rate-limiter';
import { AwsRegionCatalog } from './pricing/region-catalog';

/** What only the aws provider has: its adapters, sharing one set of SDK clients. */
export const AWS_TOKENS = {
  Adapters: token<AwsAdapterSet>('aws.Adapters'),
  /** The CloudWatch Logs read limiters (one per region) every log reader of this container queues on. */
  LogReadLimiters: token<RegionRateLimiters>('aws.LogReadLimiters'),
} as const;

export interface AwsModuleOptions {
  /**
   * CARIBOU_AWS_ENDPOINT (an emulator such as moto or LocalStack), CARIBOU_SYSTEM_REGION
   * (default us-west-2), CARIBOU_LOG_READS_PER_SECOND (default 5),
   * CARIBOU_OFFLINE_DATA; credentials and
   * profile as the AWS SDK reads them.
   */
  env: Record<string, string | undefined>;
  /** The framework's region when CARIBOU_SYSTEM_REGION is not set (inside Lambda: AWS_REGION). */
  defaultSystemRegion?: string;
}

/**
 * Every port on AWS: DynamoDB in the system region, Lambda, IAM, CloudWatch Logs,
 * EventBridge, the remote framework; the account's live region catalog (unless
 * CARIBOU_OFFLINE_DATA is 1). One set of SDK clients per process.
 */
export function awsModule(options: AwsModuleOptions): ContainerModule {
  const { env } = options;
  const config = { ...(options.defaultSystemRegion ? { systemRegion: options.defaultSystemRegion } : {}), ...awsConfigFromEnv(env) };
  // Read now, so a bad value is refused before any command runs.
  const readsPerSecond = logReadsPerSecond(env);
  return new ContainerModule(({ bind }) => {
    // Composed once: run --wait trackers, log_sync and logs read through the same LogSource, so they share the quota.
    bind(AWS_TOKENS.LogReadLimiters)
      .toDynamicValue((ctx) => new RegionRateLimiters(readsPerSecond, ctx.get(TOKENS.Clock), ctx.get(TOKENS.Sleeper)))
      .inSingletonScope();
    bind(AWS_TOKENS.Adapters)
      .toDynamicValue((ctx) => createAwsAdapters(config, { clock: ctx.get(TOKENS.Clock), logReadLimiters: ctx.get(AWS_TOKENS.LogReadLimiters) }))
      .inSingletonScope();
    bind(TOKENS.KeyValueStore).toDynamicValue((ctx) => ctx.get(AWS_TOKENS.Adapters).store);
    bind(TOKENS.SyncStoreProvider).toDynamicValue((ctx) => ctx.get(AWS_TOKENS.Adapters).syncStores);
    bind(TOKENS.FunctionPlatform).toDynamicValue((ctx) => ctx.get(AWS_TOKENS.Adapters).platform);
    bind(TOKENS.FunctionReleases).toDynamicValue((ctx) => ctx.get(AWS_TOKENS.Adapters).platform);
    bind(TOKENS.FunctionInvoker).toDynamicValue((ctx) => ctx.get(AWS_TOKENS.Adapters).invoker);
    bind(TOKENS.ArtifactCopier).toDynamicValue((ctx) => ctx.get(AWS_TOKENS.Adapters).copier);
    bind(TOKENS.FailureDestinations).toDynamicValue((ctx) => ctx.get(AWS_TOKENS.Adapters).failureDestinations);
    bind(TOKENS.IdentityManager).toDynamicValue((ctx) => ctx.get(AWS_TOKENS.Adapters).identity);
    bind(TOKENS.LogSource).toDynamicValue((ctx) => ctx.get(AWS_TOKENS.Adapters).logs);
    bind(TOKENS.FunctionLogGroups).toDynamicValue((ctx) => ctx.get(AWS_TOKENS.Adapters).logGroups);
    bind(TOKENS.EnabledRegions).toDynamicValue((ctx) => ctx.get(AWS_TOKENS.Adapters).enabledRegions);
    bind(TOKENS.Scheduler).toDynamicValue((ctx) => ctx.get(AWS_TOKENS.Adapters).scheduler);
    bind(TOKENS.RemoteFramework).toDynamicValue((ctx) => ctx.get(AWS_TOKENS.Adapters).remote);
    if (!offlineDataOnly(env)) {
      bind(SOURCE_TOKENS.LiveRegionCatalog)
        .toDynamicValue((ctx) => {
          const geocoder = ctx.get(SOURCE_TOKENS.Geocoder, { optional: true });
          const progress = ctx.get(TOKENS.ProgressReporter);
          return new AwsRegionCatalog(ctx.get(AWS_TOKENS.Adapters).clients, {
            fallback: ctx.get(SOURCE_TOKENS.OfflineRegionCatalog),
            ...(geocoder ? { geocoder } : {}),
            warn: (message) => progress.warn(message),
          });
        })
        .inSingletonScope();
    }
  });
}

/**
 * Packaging for `deploy` on AWS: zips from the bundler (`FunctionBundler`), container images
 * from its bundle directory (`BundleDirectoryBuilder`). Only the CLI deploys: the remote
 * framework does not load this module (nor esbuild).
 */
export function awsPackagingModule(options: { dockerfile?: string } = {}): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.PackageBuilder)
      .toDynamicValue((ctx) => {
        const { clients, copier } = ctx.get(AWS_TOKENS.Adapters);
        const images = new ImagePackageBuilder(clients, { bundler: ctx.get(TOKENS.BundleDirectoryBuilder), ...(options.dockerfile ? { dockerfile: options.dockerfile } : {}) });
        return new LambdaPackageBuilder(ctx.get(TOKENS.FunctionBundler), images, copier);
      })
      .inSingletonScope();
  });
}
