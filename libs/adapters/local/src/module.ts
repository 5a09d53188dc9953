import { ContainerModule } from 'inversify';
import { CaribouError } from '@caribou/domain-common';
import { token, TOKENS } from '@caribou/ports';
import { LocalDatabase } from './database';
import { importDeployedBundle } from './engine/bundle-loader';
import { LocalExecutionEngine } from './engine/engine';
import { InThreadExecutor } from './engine/in-thread-executor';
import { MatrixLatencyModel } from './engine/latency-model';
import { LocalRunTracker } from './engine/run-tracker';
import { SimulationClock } from './engine/simulation-clock';
import { WorkerThreadExecutor } from './engine/worker-executor';
import { LocalFailureDestinations } from './failure-destinations';
import { LocalFunctionPlatform } from './function-platform';
import { LocalHousekeeping } from './housekeeping';
import { LocalIdentityManager } from './identity-manager';
import { LocalKeyValueStore } from './key-value-store';
import { caribouHome, localDatabasePath, localFunctionsDir } from './local-home';
import { LocalLogStore } from './log-store';
import { LocalSchedulerLock } from './scheduler-lock';
import { LocalSyncStoreProvider } from './sync-store';
import { LocalTimerStore } from './timer-store';

/** What only the local provider has: its database, its function platform and its execution engine. */
export const LOCAL_TOKENS = {
  Database: token<LocalDatabase>('local.Database'),
  FunctionPlatform: token<LocalFunctionPlatform>('local.FunctionPlatform'),
  SimulationClock: token<SimulationClock>('local.SimulationClock'),
  SyncStoreProvider: token<LocalSyncStoreProvider>('local.SyncStoreProvider'),
  Engine: token<LocalExecutionEngine>('local.ExecutionEngine'),
} as const;

/** Set to `thread` to run functions in this thread instead of worker threads (debugging). */
export const LOCAL_EXECUTOR_VARIABLE = 'CARIBOU_LOCAL_EXECUTOR';

export interface LocalModuleOptions {
  env: Record<string, string | undefined>;
  /** Round-trip p50 matrix (ms) the engine draws message latencies from; read when the engine starts. */
  latencyMatrix: () => Record<string, Record<string, number>>;
  /** The wall clock under the simulation clock (tests of `caribou serve` advance their own through a day). */
  wallClock?: () => number;
  /** The worker threads' entry module (default: the sources' bootstrap; a bundled CLI passes its built worker). */
  workerEntry?: URL;
}

/** CARIBOU_LOCAL_EXECUTOR: `thread`, or unset for worker threads; any other value is a typo the user should hear of. */
function runsFunctionsInThread(env: Record<string, string | undefined>): boolean {
  const value = env[LOCAL_EXECUTOR_VARIABLE]?.trim();
  if (!value) return false;
  if (value === 'thread') return true;
  throw new CaribouError(`${LOCAL_EXECUTOR_VARIABLE}=${value} is not an executor: set it to thread (functions run in the CLI's thread, for debugging), or unset it for worker threads`);
}

/**
 * The embedded local provider: one libsql file under $CARIBOU_HOME, functions executed on this
 * machine in simulated regions, time kept by the simulation clock. Singletons: one database
 * handle and one execution engine per process.
 */
export function localModule(options: LocalModuleOptions): ContainerModule {
  const home = caribouHome(options.env);
  const inThread = runsFunctionsInThread(options.env);
  const functionsDir = localFunctionsDir(home);
  return new ContainerModule(({ bind }) => {
    bind(LOCAL_TOKENS.Database)
      .toDynamicValue(() => new LocalDatabase(localDatabasePath(home)))
      .inSingletonScope();
    bind(LOCAL_TOKENS.SimulationClock)
      .toDynamicValue((ctx) => new SimulationClock(ctx.get(LOCAL_TOKENS.Database), options.wallClock))
      .inSingletonScope();
    bind(TOKENS.Clock).toService(LOCAL_TOKENS.SimulationClock);
    bind(TOKENS.KeyValueStore)
      .toDynamicValue((ctx) => new LocalKeyValueStore(ctx.get(LOCAL_TOKENS.Database)))
      .inSingletonScope();
    bind(LOCAL_TOKENS.SyncStoreProvider)
      .toDynamicValue((ctx) => new LocalSyncStoreProvider(ctx.get(LOCAL_TOKENS.Database), ctx.get(LOCAL_TOKENS.SimulationClock)))
      .inSingletonScope();
    bind(TOKENS.SyncStoreProvider).toService(LOCAL_TOKENS.SyncStoreProvider);
    bind(LOCAL_TOKENS.FunctionPlatform)
      .toDynamicValue((ctx) => new LocalFunctionPlatform(ctx.get(LOCAL_TOKENS.Database), functionsDir, ctx.get(LOCAL_TOKENS.SimulationClock)))
      .inSingletonScope();
    // Locally a function's code is a directory: the platform copies it to another region itself.
    bind(TOKENS.FunctionPlatform).toService(LOCAL_TOKENS.FunctionPlatform);
    bind(TOKENS.ArtifactCopier).toService(LOCAL_TOKENS.FunctionPlatform);
    bind(TOKENS.FailureDestinations)
      .toDynamicValue((ctx) => new LocalFailureDestinations(ctx.get(LOCAL_TOKENS.Database)))
      .inSingletonScope();
    bind(TOKENS.IdentityManager)
      .toDynamicValue((ctx) => new LocalIdentityManager(ctx.get(LOCAL_TOKENS.Database)))
      .inSingletonScope();
    bind(TOKENS.LogSource)
      .toDynamicValue((ctx) => new LocalLogStore(ctx.get(LOCAL_TOKENS.Database)))
      .inSingletonScope();
    // The timers `caribou serve` runs (EventBridge's part on AWS), and its one-per-home lock.
    bind(TOKENS.TimerStore)
      .toDynamicValue((ctx) => new LocalTimerStore(ctx.get(LOCAL_TOKENS.Database), ctx.get(LOCAL_TOKENS.SimulationClock)))
      .inSingletonScope();
    bind(TOKENS.Scheduler).toService(TOKENS.TimerStore);
    bind(TOKENS.SchedulerLock)
      .toDynamicValue((ctx) => new LocalSchedulerLock(ctx.get(LOCAL_TOKENS.Database), home))
      .inSingletonScope();
    bind(TOKENS.PlatformHousekeeping)
      .toDynamicValue((ctx) => new LocalHousekeeping(ctx.get(LOCAL_TOKENS.Database)))
      .inSingletonScope();
    // The bundle directory is what the local platform deploys.
    bind(TOKENS.PackageBuilder).toService(TOKENS.FunctionBundler);
    bind(LOCAL_TOKENS.Engine)
      .toDynamicValue((ctx) => {
        const db = ctx.get(LOCAL_TOKENS.Database);
        return new LocalExecutionEngine({
          db,
          platform: ctx.get(LOCAL_TOKENS.FunctionPlatform),
          syncStores: ctx.get(LOCAL_TOKENS.SyncStoreProvider),
          clock: ctx.get(LOCAL_TOKENS.SimulationClock),
          latency: new MatrixLatencyModel({ roundTripMs: options.latencyMatrix() }),
          // Worker threads by default (parallel, per-function environment); in-thread for debugging.
          executor:
            inThread
              ? new InThreadExecutor(db, functionsDir, importDeployedBundle)
              : new WorkerThreadExecutor({ dbPath: db.path, functionsDir, ...(options.workerEntry ? { workerEntry: options.workerEntry } : {}) }),
        });
      })
      .inSingletonScope();
    bind(TOKENS.FunctionInvoker)
      .toDynamicValue((ctx) => ctx.get(LOCAL_TOKENS.Engine).clientInvoker())
      .inSingletonScope();
    bind(TOKENS.RunTracker)
      .toDynamicValue((ctx) => new LocalRunTracker(ctx.get(LOCAL_TOKENS.Engine)))
      .inSingletonScope();
  });
}
