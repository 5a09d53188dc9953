import { ContainerModule, type ResolutionContext } from 'inversify';
import {
  awsConfigFromEnv,
  awsEntry,
  createAwsAdapters,
  LAMBDA_PROVIDED_PACKAGES,
  ImagePackageBuilder,
  LogRunTracker,
  RemoteFrameworkTimers,
  remoteCommandPayload,
  type AwsAdapterSet,
  type LambdaRemoteFramework,
} from '@caribou/adapter-aws';
import { EsbuildPackageBuilder } from '@caribou/adapter-bundler';
import { CaribouError } from '@caribou/domain-common';
import { TOKENS, type Clock, type PackageBuilder, type RemoteFramework } from '@caribou/ports';
import type { CaribouContainer } from './container';
import type { RunTracker } from './run-tracker';
import { AWS_SERVICES, SERVICES } from './tokens';

export { AWS_SERVICES } from './tokens';


/** Seconds `caribou run --wait` waits for a run's log lines (CloudWatch ingestion takes seconds to minutes). */
export const RUN_WAIT_TIMEOUT_VARIABLE = 'CARIBOU_RUN_WAIT_TIMEOUT';
const DEFAULT_RUN_WAIT_TIMEOUT_S = 300;

const wallClock: Clock = { now: () => Date.now() };

function runWaitTimeoutMs(env: NodeJS.ProcessEnv): number {
  const raw = env[RUN_WAIT_TIMEOUT_VARIABLE];
  if (raw === undefined || raw.trim() === '') return DEFAULT_RUN_WAIT_TIMEOUT_S * 1000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new CaribouError(`${RUN_WAIT_TIMEOUT_VARIABLE} must be a positive number of seconds, got '${raw}'`);
  return seconds * 1000;
}


/**
 * The aws provider: every port on AWS (DynamoDB in the system region, Lambda, IAM,
 * CloudWatch Logs, EventBridge), one set of SDK clients per CLI process. Configuration
 * from the environment: CARIBOU_AWS_ENDPOINT (an emulator such as moto or LocalStack),
 * CARIBOU_SYSTEM_REGION (default us-west-2), credentials and profile as the AWS SDK reads them.
 */
export function awsModule(env: NodeJS.ProcessEnv = process.env): ContainerModule {
  const config = awsConfigFromEnv(env);
  const adapter =
    <K extends keyof AwsAdapterSet>(key: K) =>
    (ctx: ResolutionContext): AwsAdapterSet[K] =>
      ctx.get<AwsAdapterSet>(AWS_SERVICES.Adapters)[key];
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.Clock).toConstantValue(wallClock);
    bind(AWS_SERVICES.Adapters)
      .toDynamicValue((ctx) => createAwsAdapters(config, { clock: ctx.get<Clock>(TOKENS.Clock) }))
      .inSingletonScope();
    bind(TOKENS.KeyValueStore).toDynamicValue(adapter('store'));
    bind(TOKENS.SyncStoreProvider).toDynamicValue(adapter('syncStores'));
    bind(TOKENS.FunctionPlatform).toDynamicValue(adapter('platform'));
    bind(TOKENS.FunctionInvoker).toDynamicValue(adapter('invoker'));
    bind(TOKENS.ArtifactCopier).toDynamicValue(adapter('copier'));
    bind(TOKENS.IdentityManager).toDynamicValue(adapter('identity'));
    bind(TOKENS.LogSource).toDynamicValue(adapter('logs'));
    bind(TOKENS.Scheduler).toDynamicValue(adapter('scheduler'));
    bind(TOKENS.RemoteFramework).toDynamicValue(adapter('remote'));
    bind<PackageBuilder>(TOKENS.PackageBuilder).toDynamicValue((ctx) => {
      // Zip packages without the AWS SDK (the Lambda Node.js 20 runtime provides it); no Docker needed.
      const builder = new EsbuildPackageBuilder({ entries: { aws: awsEntry }, zipFor: ['aws'], external: { aws: LAMBDA_PROVIDED_PACKAGES } });
      const copier = adapter('copier')(ctx);
      // `packaging: image`: the same bundle in a container image pushed to ECR (needs a Docker engine).
      const images = new ImagePackageBuilder(ctx.get<AwsAdapterSet>(AWS_SERVICES.Adapters).clients, {
        bundler: new EsbuildPackageBuilder({ entries: { aws: awsEntry }, external: { aws: LAMBDA_PROVIDED_PACKAGES } }),
      });
      return {
        async build(request) {
          if (request.packaging === 'image') return images.build({ ...request, packaging: 'zip' });
          const artifact = await builder.build(request);
          // Copies to other regions (migrations) then upload this file instead of downloading the code again.
          copier.registerLocalArtifact(artifact);
          return artifact;
        },
      };
    });
    bind<RunTracker>(SERVICES.RunTracker).toDynamicValue((ctx) => {
      const { store, logs } = ctx.get<AwsAdapterSet>(AWS_SERVICES.Adapters);
      return new LogRunTracker({ store, logs, clock: ctx.get<Clock>(TOKENS.Clock) }, { timeoutMs: runWaitTimeoutMs(env) });
    });
    bind(SERVICES.RemoteFrameworkRemover).toDynamicValue((ctx) => async (report: (line: string) => void) => {
      await ctx.get<RemoteFrameworkTimers>(AWS_SERVICES.Timers).remove(report);
      await ctx.get<LambdaRemoteFramework>(TOKENS.RemoteFramework).remove(report);
    });
    bind(AWS_SERVICES.Timers).toDynamicValue((ctx) => new RemoteFrameworkTimers(adapter('scheduler')(ctx), adapter('remote')(ctx)));
  });
}

/**
 * `caribou <command> -r` (spec §1.3): checks the remote framework is deployed, then sends the
 * command to `caribou_cli` asynchronously (fire-and-forget, as the reference). `command` is
 * the CLI command: data_collect, log_sync, manage_deployments, run_deployment_migrator or
 * remove; `extra` its keys (`collector`, `workflow_id`). Needs a container of provider aws.
 */
export async function invokeRemote(
  container: CaribouContainer,
  command: string,
  extra: Record<string, unknown>,
  log: (line: string) => void,
): Promise<void> {
  if (container.provider !== 'aws') {
    throw new CaribouError(`--remote runs ${command} on the AWS remote framework; it needs the aws provider (--provider aws)`);
  }
  const payload = remoteCommandPayload(command, extra);
  const remote = container.get<RemoteFramework>(TOKENS.RemoteFramework);
  const { deployed, missing } = await remote.isDeployed();
  if (!deployed) {
    for (const resource of missing) log(`Missing Remote Framework ${resource}`);
    throw new CaribouError('The remote framework is not deployed. Deploy it with caribou deploy_remote_cli');
  }
  log(`Running ${command} on the remote framework CLI.`);
  await remote.invoke(payload, 'event');
}
