import { randomUUID } from 'node:crypto';
import { awsConfigFromEnv, createAwsAdapters } from '@caribou/adapter-aws';
import type { Clock, RandomSource } from '@caribou/ports';
import { createAwsRemoteActions } from './aws-actions';
import { createDeploymentManager } from './deployment-manager';
import { createRemoteHandler } from './handler';
import { logProgress } from './log-progress';

/**
 * The `caribou_cli` Lambda's entry (bundled by `buildRemoteHandlerPackage`): clients and
 * services are built once per container and kept while it is warm.
 */
const log = (line: string): void => console.log(line);
const clock: Clock = { now: () => Date.now() };
const random: RandomSource = { random: () => Math.random(), uuid: () => randomUUID().replace(/-/g, '') };
// The framework lives in the system region; CARIBOU_SYSTEM_REGION is set by deploy_remote_cli, AWS_REGION by Lambda.
const adapters = createAwsAdapters({ systemRegion: process.env.AWS_REGION, ...awsConfigFromEnv(process.env) }, { clock });

export const handler = createRemoteHandler(
  createAwsRemoteActions({
    adapters,
    remote: adapters.remote,
    clock,
    random,
    progress: logProgress(log),
    log,
    deploymentManager: createDeploymentManager({ store: adapters.store, clock, log }),
  }),
  log,
);
