// The one file of the application layer that knows Inversify (eslint.config.mjs allows it here only):
// it binds each application service to its token, built from the ports the adapter modules bind.
import { ContainerModule } from 'inversify';
import { runWaitTimeoutMs, SOURCE_TOKENS, TOKENS, type EnabledRegions, type FunctionLogGroups, type FunctionReleases } from '@caribou/ports';
import {
  CarbonCollectorService,
  DataCollectService,
  FallbackCarbonSource,
  FallbackLatencySource,
  PerformanceCollectorService,
  ProviderCollectorService,
  type CollectorDependencies,
} from './data-collect/index';
import { DeployWorkflowService, RollbackWorkflowService } from './deploy/index';
import { FailedInvocationsService } from './failures/index';
import { FrameworkService } from './framework/index';
import { LogSyncService } from './log-sync/index';
import { ExecutionLogsService } from './logs/index';
import { ManageDeploymentsService } from './manage-deployments/index';
import { MigrateDeploymentsService } from './migrate/index';
import { PlanReportService } from './plan/index';
import { NewWorkflowService, ValidateProjectService } from './project/index';
import { CarbonReportService } from './report/index';
import { RemoteFrameworkActions, RemoteFrameworkLedger, RemoteFrameworkService, RemoteFrameworkTimers } from './remote-framework/index';
import { LogRunTracker, RunWorkflowService } from './run/index';
import { TimerActions, TimerLoopService } from './timers/index';
import { APPLICATION_TOKENS as APP } from './tokens';
import { WorkflowCollectorService } from './workflow-collector/index';
import { ListWorkflowsService, RemoveWorkflowService, ShowWorkflowService } from './workflows/index';

/** `{ releases }` when the provider binds FunctionReleases, else nothing (exactOptionalPropertyTypes). */
const optional = (releases: FunctionReleases | undefined): { releases?: FunctionReleases } => (releases ? { releases } : {});
/** `{ enabledRegions }` when the provider binds EnabledRegions (AWS), else nothing. */
const withEnabledRegions = (enabledRegions: EnabledRegions | undefined): { enabledRegions?: EnabledRegions } => (enabledRegions ? { enabledRegions } : {});
/** `{ logGroups }` when the provider binds FunctionLogGroups (AWS), else nothing. */
const withLogGroups = (logGroups: FunctionLogGroups | undefined): { logGroups?: FunctionLogGroups } => (logGroups ? { logGroups } : {});

export interface ApplicationModuleOptions {
  /** The provider whose framework tables these services use (`local`, `aws` or `gcp`). */
  provider: string;
  /** Wall-clock budget of one solve (the remote framework's, inside Lambda's 15 minutes); none by default. */
  solveBudgetSeconds?: number;
  /** CARIBOU_RUN_WAIT_TIMEOUT: seconds `run --wait` waits for a run's log lines on aws and gcp (default 300). */
  env?: Record<string, string | undefined>;
}

/**
 * The services both apps run: list, show, run, remove, log sync, data collection, deployment
 * management, migration, teardown, plans. Needs the provider's ports (store, platform, …),
 * Clock, RandomSource, ProgressReporter and the offline data sources; uses a live source, the
 * worker-thread evaluator and platform housekeeping when a module binds them.
 */
export function applicationModule(options: ApplicationModuleOptions): ContainerModule {
  const { provider } = options;
  return new ContainerModule(({ bind }) => {
    // The collectors' sources: the live one, when a module bound it, in front of the shipped dataset.
    bind(TOKENS.CarbonSource)
      .toDynamicValue((ctx) => {
        const live = ctx.get(SOURCE_TOKENS.LiveCarbonSource, { optional: true });
        const offline = ctx.get(SOURCE_TOKENS.OfflineCarbonSource);
        return live ? new FallbackCarbonSource(live, offline, ctx.get(TOKENS.ProgressReporter)) : offline;
      })
      .inSingletonScope();
    bind(TOKENS.LatencySource)
      .toDynamicValue((ctx) => {
        const live = ctx.get(SOURCE_TOKENS.LiveLatencySource, { optional: true });
        const offline = ctx.get(SOURCE_TOKENS.OfflineLatencySource);
        return live ? new FallbackLatencySource(live, offline, ctx.get(TOKENS.ProgressReporter)) : offline;
      })
      .inSingletonScope();
    // A live catalog falls back to the shipped one region by region itself.
    bind(TOKENS.RegionCatalog)
      .toDynamicValue((ctx) => ctx.get(SOURCE_TOKENS.LiveRegionCatalog, { optional: true }) ?? ctx.get(SOURCE_TOKENS.OfflineRegionCatalog))
      .inSingletonScope();

    bind(APP.FailedInvocations)
      .toDynamicValue((ctx) => new FailedInvocationsService(ctx.get(TOKENS.KeyValueStore), ctx.get(TOKENS.FailureDestinations)))
      .inSingletonScope();
    bind(APP.Rollback)
      .toDynamicValue((ctx) => {
        const releases = ctx.get(TOKENS.FunctionReleases, { optional: true });
        return new RollbackWorkflowService({ store: ctx.get(TOKENS.KeyValueStore), progress: ctx.get(TOKENS.ProgressReporter), provider, ...(releases ? { releases } : {}) });
      })
      .inSingletonScope();
    bind(APP.List)
      .toDynamicValue((ctx) => new ListWorkflowsService(ctx.get(TOKENS.KeyValueStore)))
      .inSingletonScope();
    bind(APP.Show)
      .toDynamicValue((ctx) => new ShowWorkflowService(ctx.get(TOKENS.KeyValueStore), ctx.get(APP.FailedInvocations)))
      .inSingletonScope();
    bind(APP.PlanReport)
      .toDynamicValue((ctx) => new PlanReportService(ctx.get(TOKENS.KeyValueStore), ctx.get(TOKENS.Clock)))
      .inSingletonScope();
    bind(APP.Report)
      .toDynamicValue((ctx) => new CarbonReportService(ctx.get(TOKENS.KeyValueStore)))
      .inSingletonScope();
    bind(APP.Run)
      .toDynamicValue(
        (ctx) =>
          new RunWorkflowService({
            store: ctx.get(TOKENS.KeyValueStore),
            invoker: ctx.get(TOKENS.FunctionInvoker),
            clock: ctx.get(TOKENS.Clock),
            random: ctx.get(TOKENS.RandomSource),
          }),
      )
      .inSingletonScope();
    // `run --wait` on a cloud provider reads the run's log lines; the local engine tracks its runs itself (localModule binds it).
    if (provider !== 'local') {
      bind(TOKENS.RunTracker)
        .toDynamicValue((ctx) => {
          const sleeper = ctx.get(TOKENS.Sleeper);
          return new LogRunTracker(
            { store: ctx.get(TOKENS.KeyValueStore), logs: ctx.get(TOKENS.LogSource), clock: ctx.get(TOKENS.Clock) },
            // Read when a command waits for a run: a bad value fails `run --wait`, not every command.
            { timeoutMs: runWaitTimeoutMs(options.env ?? {}), sleep: (ms) => sleeper.sleep(ms) },
          );
        })
        .inSingletonScope();
    }
    bind(APP.Remove)
      .toDynamicValue((ctx) => {
        const housekeeping = ctx.get(TOKENS.PlatformHousekeeping, { optional: true });
        return new RemoveWorkflowService({
          store: ctx.get(TOKENS.KeyValueStore),
          platform: ctx.get(TOKENS.FunctionPlatform),
          identity: ctx.get(TOKENS.IdentityManager),
          logs: ctx.get(TOKENS.LogSource),
          copier: ctx.get(TOKENS.ArtifactCopier),
          ...withLogGroups(ctx.get(TOKENS.FunctionLogGroups, { optional: true })),
          ...(housekeeping ? { housekeeping } : {}),
        });
      })
      .inSingletonScope();
    bind(APP.LogSync)
      .toDynamicValue(
        (ctx) =>
          new LogSyncService(
            {
              store: ctx.get(TOKENS.KeyValueStore),
              logs: ctx.get(TOKENS.LogSource),
              clock: ctx.get(TOKENS.Clock),
              failedInvocations: ctx.get(APP.FailedInvocations),
            },
            // Locally there is no log-ingestion delay to wait for and reading logs costs nothing.
            provider === 'local' ? { minGapMinutes: 0 } : {},
          ),
      )
      .inSingletonScope();
    bind(APP.ExecutionLogs)
      .toDynamicValue(
        (ctx) =>
          new ExecutionLogsService({
            store: ctx.get(TOKENS.KeyValueStore),
            logs: ctx.get(TOKENS.LogSource),
            clock: ctx.get(TOKENS.Clock),
            sleeper: ctx.get(TOKENS.Sleeper),
          }),
      )
      .inSingletonScope();
    bind(APP.WorkflowCollector)
      .toDynamicValue((ctx) => new WorkflowCollectorService({ store: ctx.get(TOKENS.KeyValueStore) }))
      .inSingletonScope();
    bind(APP.DataCollect)
      .toDynamicValue((ctx) => {
        const common: CollectorDependencies = {
          store: ctx.get(TOKENS.KeyValueStore),
          clock: ctx.get(TOKENS.Clock),
          progress: ctx.get(TOKENS.ProgressReporter),
          provider,
        };
        const workflows = ctx.get(APP.WorkflowCollector);
        return new DataCollectService({
          provider: new ProviderCollectorService({ ...common, catalog: ctx.get(TOKENS.RegionCatalog) }),
          carbon: new CarbonCollectorService({ ...common, carbonSource: ctx.get(TOKENS.CarbonSource) }),
          performance: new PerformanceCollectorService({ ...common, latencySource: ctx.get(TOKENS.LatencySource) }),
          collectWorkflow: (workflowId) => workflows.collect(workflowId),
        });
      })
      .inSingletonScope();
    bind(APP.ManageDeployments)
      .toDynamicValue((ctx) => {
        const workflows = ctx.get(APP.WorkflowCollector);
        const fast = ctx.get(TOKENS.FastEvaluatorFactory, { optional: true });
        return new ManageDeploymentsService({
          store: ctx.get(TOKENS.KeyValueStore),
          clock: ctx.get(TOKENS.Clock),
          refreshWorkflowSummary: async (workflowId) => void (await workflows.collect(workflowId)),
          ...withEnabledRegions(ctx.get(TOKENS.EnabledRegions, { optional: true })),
          progress: ctx.get(TOKENS.ProgressReporter),
          ...(fast ? { evaluators: { fast } } : {}),
          ...(options.solveBudgetSeconds !== undefined ? { options: { timeBudgetSeconds: options.solveBudgetSeconds } } : {}),
        });
      })
      .inSingletonScope();
    bind(APP.Migrate)
      .toDynamicValue(
        (ctx) =>
          new MigrateDeploymentsService({
            store: ctx.get(TOKENS.KeyValueStore),
            platform: ctx.get(TOKENS.FunctionPlatform),
            identity: ctx.get(TOKENS.IdentityManager),
            copier: ctx.get(TOKENS.ArtifactCopier),
            syncStores: ctx.get(TOKENS.SyncStoreProvider),
            failureDestinations: ctx.get(TOKENS.FailureDestinations),
            clock: ctx.get(TOKENS.Clock),
            progress: ctx.get(TOKENS.ProgressReporter),
            ...optional(ctx.get(TOKENS.FunctionReleases, { optional: true })),
            ...withLogGroups(ctx.get(TOKENS.FunctionLogGroups, { optional: true })),
            ...withEnabledRegions(ctx.get(TOKENS.EnabledRegions, { optional: true })),
          }),
      )
      .inSingletonScope();
    bind(APP.Framework)
      .toDynamicValue((ctx) => {
        // Where a remote framework is composed (AWS), teardown removes it and its timers too.
        const remote = ctx.get(APP.RemoteFramework, { optional: true });
        // Elsewhere (local) the timers are the provider's own: teardown removes them too.
        const timers = remote ? undefined : ctx.get(APP.Timers, { optional: true });
        return new FrameworkService({
          store: ctx.get(TOKENS.KeyValueStore),
          resources: {
            platform: ctx.get(TOKENS.FunctionPlatform),
            identity: ctx.get(TOKENS.IdentityManager),
            syncStores: ctx.get(TOKENS.SyncStoreProvider),
            failureDestinations: ctx.get(TOKENS.FailureDestinations),
            ...withLogGroups(ctx.get(TOKENS.FunctionLogGroups, { optional: true })),
          },
          remover: ctx.get(APP.Remove),
          provider,
          // Teardown lists what it deleted of the remote framework, not the timers that were never set up.
          ...(remote ? { removeRemoteFramework: (report: (line: string) => void) => remote.remove(report, { reportAbsent: false }) } : {}),
          ...(timers ? { removeTimers: () => timers.remove(() => undefined) } : {}),
        });
      })
      .inSingletonScope();
  });
}

/**
 * Deploying a workflow: only the CLI deploys (the remote framework migrates, which needs no
 * bundler). Needs PackageBuilder besides the provider's ports.
 */
export function deployModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(APP.Deploy)
      .toDynamicValue((ctx) => {
        const releases = ctx.get(TOKENS.FunctionReleases, { optional: true });
        return new DeployWorkflowService({
          store: ctx.get(TOKENS.KeyValueStore),
          platform: ctx.get(TOKENS.FunctionPlatform),
          identity: ctx.get(TOKENS.IdentityManager),
          packages: ctx.get(TOKENS.PackageBuilder),
          syncStores: ctx.get(TOKENS.SyncStoreProvider),
          failureDestinations: ctx.get(TOKENS.FailureDestinations),
          progress: ctx.get(TOKENS.ProgressReporter),
          clock: ctx.get(TOKENS.Clock),
          logs: ctx.get(TOKENS.LogSource),
          ...withLogGroups(ctx.get(TOKENS.FunctionLogGroups, { optional: true })),
          ...withEnabledRegions(ctx.get(TOKENS.EnabledRegions, { optional: true })),
          copier: ctx.get(TOKENS.ArtifactCopier),
          ...(releases ? { releases } : {}),
        });
      })
      .inSingletonScope();
  });
}

/** Workflow projects: scaffold one (`new_workflow`), validate one. Needs ProjectScaffolder and ProjectLoader. */
export function projectServicesModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(APP.NewWorkflow)
      .toDynamicValue((ctx) => new NewWorkflowService(ctx.get(TOKENS.ProjectScaffolder)))
      .inSingletonScope();
    bind(APP.ValidateProject)
      .toDynamicValue((ctx) => new ValidateProjectService(ctx.get(TOKENS.ProjectLoader), ctx.get(TOKENS.Clock), ctx.get(TOKENS.ProgressReporter)))
      .inSingletonScope();
  });
}

/**
 * The remote framework's services, where a provider has one (AWS): its timers, deploying,
 * removing and commanding it from the CLI, and the actions it runs for its events (inside its
 * function: `timeBudgetSeconds`, what one invocation may spend on a log sync).
 * Needs RemoteFramework and Scheduler, and the services of `applicationModule`.
 */
export function remoteFrameworkModule(options: { timeBudgetSeconds?: number } = {}): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(APP.RemoteFrameworkTimers)
      .toDynamicValue((ctx) => new RemoteFrameworkTimers(ctx.get(TOKENS.Scheduler), ctx.get(TOKENS.RemoteFramework), new RemoteFrameworkLedger(ctx.get(TOKENS.KeyValueStore))))
      .inSingletonScope();
    bind(APP.Timers).toService(APP.RemoteFrameworkTimers);
    bind(APP.RemoteFramework)
      .toDynamicValue((ctx) => new RemoteFrameworkService(ctx.get(TOKENS.RemoteFramework), ctx.get(APP.RemoteFrameworkTimers), new RemoteFrameworkLedger(ctx.get(TOKENS.KeyValueStore))))
      .inSingletonScope();
    bind(APP.RemoteFrameworkActions)
      .toDynamicValue(
        (ctx) =>
          new RemoteFrameworkActions({
            store: ctx.get(TOKENS.KeyValueStore),
            remote: ctx.get(TOKENS.RemoteFramework),
            progress: ctx.get(TOKENS.ProgressReporter),
            run: ctx.get(APP.Run),
            list: ctx.get(APP.List),
            dataCollect: ctx.get(APP.DataCollect),
            logSync: ctx.get(APP.LogSync),
            manageDeployments: ctx.get(APP.ManageDeployments),
            remove: ctx.get(APP.Remove),
            migrate: ctx.get(APP.Migrate),
            clock: ctx.get(TOKENS.Clock),
            ...(options.timeBudgetSeconds !== undefined && { timeBudgetSeconds: options.timeBudgetSeconds }),
          }),
      )
      .inSingletonScope();
  });
}

/**
 * Timers run by a scheduler in this process (`caribou serve`), where the provider has no
 * EventBridge (local): the timer commands keep them in the TimerStore, the loop runs their
 * payloads through the services of `applicationModule`. Needs TimerStore, SchedulerLock,
 * Clock and Sleeper.
 */
export function localTimersModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(APP.Timers)
      .toDynamicValue((ctx) => new RemoteFrameworkTimers(ctx.get(TOKENS.TimerStore), null))
      .inSingletonScope();
    bind(APP.TimerLoop)
      .toDynamicValue(
        (ctx) =>
          new TimerLoopService({
            timers: ctx.get(TOKENS.TimerStore),
            lock: ctx.get(TOKENS.SchedulerLock),
            clock: ctx.get(TOKENS.Clock),
            sleeper: ctx.get(TOKENS.Sleeper),
            actions: new TimerActions({
              dataCollect: ctx.get(APP.DataCollect),
              logSync: ctx.get(APP.LogSync),
              manageDeployments: ctx.get(APP.ManageDeployments),
              migrate: ctx.get(APP.Migrate),
            }),
          }),
      )
      .inSingletonScope();
  });
}
