import { Container, ContainerModule } from 'inversify';
import { awsModule, remoteTimeBudgetSeconds } from '@caribou/adapter-aws';
import { cloudPingModule } from '@caribou/adapter-cloudping';
import { electricityMapsModule } from '@caribou/adapter-electricity-maps';
import { googleGeocodingModule } from '@caribou/adapter-google-geocoding';
import { offlineDataModule } from '@caribou/adapter-offline-data';
import { solverThreadsModule } from '@caribou/adapter-solver-threads';
import { systemModule } from '@caribou/adapter-system';
import { applicationModule, remoteFrameworkModule } from '@caribou/application/module';
import { TOKENS } from '@caribou/ports';
import { LogLineProgress } from './log-progress';

export interface RemoteModulesOptions {
  /** Where progress and results go (console.log inside Lambda: CloudWatch Logs). */
  log: (line: string) => void;
  /** The solver worker module shipped next to the bundle; unset when running from the sources. */
  solverWorkerEntry?: URL;
}

/**
 * The modules of the remote framework: the same ones the CLI loads for the aws provider
 * (AWS adapters, the shipped dataset and the live sources whose keys the function has, the
 * worker-thread evaluator, the application services), without what only the CLI does
 * (packaging, projects, the terminal).
 */
export function remoteModules(env: Record<string, string | undefined>, options: RemoteModulesOptions): ContainerModule[] {
  // What one invocation may spend solving or syncing logs: 8/9 of the function's timeout (deploy_remote_cli -t).
  const budgetSeconds = remoteTimeBudgetSeconds(env);
  return [
    systemModule({ wallClock: true }),
    new ContainerModule(({ bind }) => {
      bind(TOKENS.ProgressReporter).toDynamicValue(() => new LogLineProgress(options.log)).inSingletonScope();
    }),
    offlineDataModule(),
    electricityMapsModule(env),
    googleGeocodingModule(env),
    cloudPingModule(env),
    // `go`: one worker per vCPU Lambda gives the function (1 at the default 1769 MB).
    solverThreadsModule(options.solverWorkerEntry ? { workerEntry: options.solverWorkerEntry } : {}),
    // The framework lives in the system region: CARIBOU_SYSTEM_REGION (set by deploy_remote_cli), else Lambda's AWS_REGION.
    awsModule({ env, ...(env.AWS_REGION ? { defaultSystemRegion: env.AWS_REGION } : {}) }),
    applicationModule({ provider: 'aws', solveBudgetSeconds: budgetSeconds }),
    remoteFrameworkModule({ timeBudgetSeconds: budgetSeconds }),
  ];
}

/** The remote framework's composition root: built once per Lambda container, kept while it is warm. */
export function createRemoteContainer(env: Record<string, string | undefined>, options: RemoteModulesOptions): Container {
  const container = new Container();
  container.load(...remoteModules(env, options));
  return container;
}
