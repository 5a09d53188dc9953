import { ContainerModule } from 'inversify';
import { EsbuildPackageBuilder, localEntry } from '@caribou/adapter-bundler';
import {
  caribouHome,
  importDeployedBundle,
  InThreadExecutor,
  WorkerThreadExecutor,
  LocalDatabase,
  localDatabasePath,
  LocalExecutionEngine,
  LocalFunctionPlatform,
  localFunctionsDir,
  LocalHousekeeping,
  LocalIdentityManager,
  LocalKeyValueStore,
  LocalLogStore,
  LocalSyncStoreProvider,
  MatrixLatencyModel,
  SimulationClock,
} from '@caribou/adapter-local';
import { TOKENS } from '@caribou/ports';
import { localLatencyMatrix } from './local-latency';
import type { RunTracker } from './run-tracker';
import { SERVICES } from './tokens';

/**
 * The embedded local provider: one libsql file under $CARIBOU_HOME, functions executed
 * on this machine in simulated regions. Bound as singletons: one database handle and
 * one execution engine per CLI process.
 */
export function localModule(env: NodeJS.ProcessEnv = process.env): ContainerModule {
  const home = caribouHome(env);
  return new ContainerModule(({ bind }) => {
    bind(SERVICES.LocalDatabase).toDynamicValue(() => new LocalDatabase(localDatabasePath(home))).inSingletonScope();
    bind(TOKENS.Clock).toDynamicValue((ctx) => new SimulationClock(ctx.get(SERVICES.LocalDatabase))).inSingletonScope();
    bind(TOKENS.KeyValueStore).toDynamicValue((ctx) => new LocalKeyValueStore(ctx.get(SERVICES.LocalDatabase))).inSingletonScope();
    bind(TOKENS.SyncStoreProvider)
      .toDynamicValue((ctx) => new LocalSyncStoreProvider(ctx.get(SERVICES.LocalDatabase), ctx.get(TOKENS.Clock)))
      .inSingletonScope();
    bind(TOKENS.FunctionPlatform)
      .toDynamicValue((ctx) => new LocalFunctionPlatform(ctx.get(SERVICES.LocalDatabase), localFunctionsDir(home), ctx.get(TOKENS.Clock)))
      .inSingletonScope();
    bind(TOKENS.ArtifactCopier).toDynamicValue((ctx) => ctx.get(TOKENS.FunctionPlatform)).inSingletonScope();
    bind(TOKENS.IdentityManager).toDynamicValue((ctx) => new LocalIdentityManager(ctx.get(SERVICES.LocalDatabase))).inSingletonScope();
    bind(TOKENS.LogSource).toDynamicValue((ctx) => new LocalLogStore(ctx.get(SERVICES.LocalDatabase))).inSingletonScope();
    bind(TOKENS.PlatformHousekeeping).toDynamicValue((ctx) => new LocalHousekeeping(ctx.get(SERVICES.LocalDatabase))).inSingletonScope();
    bind(TOKENS.PackageBuilder).toConstantValue(new EsbuildPackageBuilder({ entries: { local: localEntry } }));
    bind(SERVICES.LocalEngine)
      .toDynamicValue((ctx) => {
        const db = ctx.get<LocalDatabase>(SERVICES.LocalDatabase);
        return new LocalExecutionEngine({
          db,
          platform: ctx.get(TOKENS.FunctionPlatform),
          syncStores: ctx.get(TOKENS.SyncStoreProvider),
          clock: ctx.get(TOKENS.Clock),
          latency: new MatrixLatencyModel({ roundTripMs: localLatencyMatrix() }),
          // Worker threads by default (parallel, per-function environment); in-thread for debugging.
          executor:
            env.CARIBOU_LOCAL_EXECUTOR === 'thread'
              ? new InThreadExecutor(db, localFunctionsDir(home), importDeployedBundle)
              : new WorkerThreadExecutor({ dbPath: db.path, functionsDir: localFunctionsDir(home) }),
        });
      })
      .inSingletonScope();
    bind(TOKENS.FunctionInvoker).toDynamicValue((ctx) => ctx.get<LocalExecutionEngine>(SERVICES.LocalEngine).clientInvoker());
    bind<RunTracker>(SERVICES.RunTracker).toDynamicValue((ctx) => {
      const engine = ctx.get<LocalExecutionEngine>(SERVICES.LocalEngine);
      return {
        waitForSlot: () => engine.waitForRunSlot(),
        async waitForRun(runId) {
          const { failed } = await engine.waitForRun(runId);
          return { failed, executions: engine.executions(runId) };
        },
      };
    });
  });
}
