import type { ContainerModule } from 'inversify';
import { CaribouError } from '@caribou/domain-common';
import { TOKENS, type Sleeper, type Token } from '@caribou/ports';
import { TerminalProgress } from '../terminal-progress';
import { installLayout } from './install-layout';

export type ProviderName = 'local' | 'aws' | 'gcp';

export interface CaribouContainer {
  /** The provider whose ports are bound; null for a container of project services only. */
  readonly provider: ProviderName | null;
  get<T>(token: Token<T>): T;
  close(): Promise<void>;
}

export interface ContainerOptions {
  /**
   * Also bind the workflow-project services (loading a project, new_workflow, validate): they
   * load the TypeScript compiler, which commands that do not read a project should not pay for.
   */
  project?: boolean;
  /** Progress only as warnings (`caribou serve` prints one line per tick itself). */
  quietProgress?: boolean;
  /**
   * Time, for tests that go through hours without waiting (`caribou serve`, reads within the
   * CloudWatch quota): the wall clock (under the local provider's simulation clock; the Clock
   * itself on aws), and the sleeper that advances it.
   */
  time?: { wallClock: () => number; sleeper: Sleeper };
  /** Variables set over the process environment for this container (deploy passes providers.gcp.config.project). */
  env?: Record<string, string>;
}

/** The CLI's own bindings: progress on the terminal. */
async function cliModule(options: ContainerOptions): Promise<ContainerModule> {
  const { ContainerModule } = await import('inversify');
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.ProgressReporter)
      .toDynamicValue(() => new TerminalProgress(process.stderr, options.quietProgress ?? false))
      .inSingletonScope();
  });
}

/**
 * The modules the CLI composes for a provider (null: project services only). Modules are
 * imported on demand: the AWS SDK clients alone take seconds to load, which a local command
 * should not pay (and the other way round for libsql); the project adapter loads TypeScript.
 * The remote framework (apps/remote-handler) loads the same modules for the aws provider.
 */
export async function cliModules(provider: ProviderName | null, env: NodeJS.ProcessEnv, options: ContainerOptions = {}): Promise<ContainerModule[]> {
  if (provider !== null && provider !== 'local' && provider !== 'aws' && provider !== 'gcp') {
    throw new CaribouError(
      `Provider ${String(provider)} cannot be deployed to or run by this framework: use local, aws or gcp (home_region.provider in .caribou/config.yml, --provider for the other commands)`,
    );
  }
  const [{ applicationModule, deployModule, projectServicesModule, remoteFrameworkModule, localTimersModule }, { systemModule }] = await Promise.all([
    import('@caribou/application/module'),
    import('@caribou/adapter-system'),
  ]);
  const modules = [
    systemModule({
      wallClock: provider !== 'local',
      // Locally the engine's simulation clock runs on `time.wallClock`; elsewhere it is the Clock itself.
      ...(options.time ? { sleeper: options.time.sleeper, clock: { now: options.time.wallClock } } : {}),
    }),
    await cliModule(options),
  ];
  const layout = installLayout();
  if (options.project || provider === null) {
    const [{ projectModule }, { loadShippedDataset, loadShippedGcpDataset }] = await Promise.all([import('@caribou/adapter-project'), import('@caribou/adapter-offline-data')]);
    // A project's aws/local regions must be among those the shipped data covers, its gcp regions among the Cloud Run regions.
    const knownRegionCodes = new Set(loadShippedDataset().regions.map((region) => region.code));
    const knownGcpRegionCodes = new Set(loadShippedGcpDataset().regions.map((region) => region.code));
    const sdkEntry = layout.sdkModules?.['@caribou/sdk'];
    modules.push(
      projectModule({
        knownRegionCodes,
        knownGcpRegionCodes,
        // The packed CLI's SDK is self-contained: nothing else to resolve it against.
        ...(sdkEntry ? { sdkEntry, nodePaths: [] } : {}),
        scaffold: { ...(layout.templateDir ? { templateDir: layout.templateDir } : {}), ...(layout.sdkTarball ? { sdkTarball: layout.sdkTarball } : {}) },
      }),
      projectServicesModule(),
    );
  }
  if (provider === null) return modules;

  const [{ offlineDataModule, loadShippedDataset }, { electricityMapsModule }, { googleGeocodingModule }, { solverThreadsModule }, { bundlerModule, localEntry }] = await Promise.all([
    import('@caribou/adapter-offline-data'),
    import('@caribou/adapter-electricity-maps'),
    import('@caribou/adapter-google-geocoding'),
    import('@caribou/adapter-solver-threads'),
    import('@caribou/adapter-bundler'),
  ]);
  modules.push(
    offlineDataModule({ provider }),
    electricityMapsModule(env),
    googleGeocodingModule(env),
    // `--calculator fast`: two worker threads (the machines this runs on have few cores to spare).
    solverThreadsModule({ threads: 2, ...(layout.solverWorkerEntry ? { workerEntry: layout.solverWorkerEntry } : {}) }),
    applicationModule({ provider, env }),
    deployModule(),
  );
  // The packed CLI bundles its own self-contained SDK into functions (no framework node_modules).
  const bundledSdk = layout.sdkModules ? { sdkModules: layout.sdkModules, nodePaths: [] } : {};
  if (provider === 'local') {
    const { localModule } = await import('@caribou/adapter-local');
    // The local provider simulates latency from the shipped matrix, so it also measures with it (no cloudping).
    // The round-trip p50 matrix (ms) of the shipped cloudping snapshot (libs/adapters/offline-data/data, see its SOURCES.md).
    const latencyMatrix = () => Object.fromEntries([...loadShippedDataset().latencyMs].map(([from, row]) => [from, Object.fromEntries(row)]));
    modules.push(
      localModule({
        env,
        latencyMatrix,
        ...(options.time ? { wallClock: options.time.wallClock } : {}),
        ...(layout.localWorkerEntry ? { workerEntry: layout.localWorkerEntry } : {}),
      }),
      bundlerModule({ entries: { local: localEntry }, ...bundledSdk }),
      // No EventBridge here: `caribou serve` runs the timers.
      localTimersModule(),
    );
  } else if (provider === 'gcp') {
    const { gcpModule, gcpPackagingModule, gcpEntry, GCP_PROVIDED_PACKAGES, GCP_BUNDLE_FILES } = await import('@caribou/adapter-gcp');
    modules.push(
      gcpModule({ env }),
      gcpPackagingModule(),
      // A zip of index.mjs and the package.json Cloud Run's build installs the Google client libraries from.
      bundlerModule({ entries: { gcp: gcpEntry }, zipFor: ['gcp'], external: { gcp: GCP_PROVIDED_PACKAGES }, extraFiles: { gcp: GCP_BUNDLE_FILES }, ...bundledSdk }),
    );
  } else {
    const [{ awsModule, awsPackagingModule, awsEntry, LAMBDA_PROVIDED_PACKAGES }, { cloudPingModule }] = await Promise.all([
      import('@caribou/adapter-aws'),
      import('@caribou/adapter-cloudping'),
    ]);
    modules.push(
      awsModule({ env }),
      awsPackagingModule(layout.functionDockerfile ? { dockerfile: layout.functionDockerfile } : {}),
      // Zip packages without the AWS SDK (the Lambda Node.js runtime provides it); no Docker needed.
      bundlerModule({ entries: { aws: awsEntry }, zipFor: ['aws'], external: { aws: LAMBDA_PROVIDED_PACKAGES }, ...bundledSdk }),
      cloudPingModule(env),
      remoteFrameworkModule(),
    );
  }
  return modules;
}

/**
 * The CLI's composition root: one Inversify container per command, for one provider.
 * Inversify itself is loaded here, not at start-up (`caribou --help` needs no container).
 */
export async function createContainer(provider: ProviderName | null, env: NodeJS.ProcessEnv = process.env, options: ContainerOptions = {}): Promise<CaribouContainer> {
  const { Container } = await import('inversify');
  const container = new Container();
  container.load(...(await cliModules(provider, options.env ? { ...env, ...options.env } : env, options)));
  // Close what this command actually opened (engine first, then the database), nothing more.
  const closables: Array<() => Promise<void> | void> = [];
  if (provider === 'local') {
    const { LOCAL_TOKENS } = await import('@caribou/adapter-local');
    container.onActivation(LOCAL_TOKENS.Engine, (_ctx, engine) => {
      closables.unshift(() => engine.close());
      return engine;
    });
    container.onActivation(LOCAL_TOKENS.Database, (_ctx, db) => {
      closables.push(() => db.close());
      return db;
    });
  }
  if (provider === 'gcp') {
    const { GCP_TOKENS } = await import('@caribou/adapter-gcp');
    // Google's gRPC channels keep a process alive until closed.
    container.onActivation(GCP_TOKENS.Clients, (_ctx, clients) => {
      closables.push(() => clients.close());
      return clients;
    });
  }
  return {
    provider,
    get: <T>(token: Token<T>) => container.get(token),
    async close() {
      for (const close of closables.splice(0)) await close();
    },
  };
}
