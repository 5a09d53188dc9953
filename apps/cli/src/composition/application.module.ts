import { ContainerModule } from 'inversify';
import {
  CarbonReportService,
  DeployWorkflowService,
  ManageDeploymentsService,
  FrameworkService,
  MigrateDeploymentsService,
  LogSyncService,
  WorkflowCollectorService,
  ListWorkflowsService,
  RemoveWorkflowService,
  RunWorkflowService,
  ShowWorkflowService,
} from '@caribou/application';
import { ThreadedEvaluatorFactory } from '@caribou/adapter-solver-threads';
import { TOKENS } from '@caribou/ports';
import { SERVICES } from './tokens';

/** Application services, built from whichever provider module is loaded. */
export function applicationModule(provider: string): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(SERVICES.Deploy).toDynamicValue(
      (ctx) =>
        new DeployWorkflowService({
          store: ctx.get(TOKENS.KeyValueStore),
          platform: ctx.get(TOKENS.FunctionPlatform),
          identity: ctx.get(TOKENS.IdentityManager),
          packages: ctx.get(TOKENS.PackageBuilder),
          syncStores: ctx.get(TOKENS.SyncStoreProvider),
          progress: ctx.get(TOKENS.ProgressReporter),
          logs: ctx.get(TOKENS.LogSource),
        }),
    );
    bind(SERVICES.Run).toDynamicValue(
      (ctx) =>
        new RunWorkflowService({
          store: ctx.get(TOKENS.KeyValueStore),
          invoker: ctx.get(TOKENS.FunctionInvoker),
          clock: ctx.get(TOKENS.Clock),
          random: ctx.get(TOKENS.RandomSource),
        }),
    );
    bind(SERVICES.LogSync).toDynamicValue(
      (ctx) =>
        new LogSyncService(
          { store: ctx.get(TOKENS.KeyValueStore), logs: ctx.get(TOKENS.LogSource), clock: ctx.get(TOKENS.Clock) },
          // Locally there is no log-ingestion delay to wait for and reading logs costs nothing.
          provider === 'local' ? { minGapMinutes: 0 } : {},
        ),
    );
    bind(SERVICES.WorkflowCollector).toDynamicValue((ctx) => new WorkflowCollectorService({ store: ctx.get(TOKENS.KeyValueStore) }));
    bind(SERVICES.Migrate).toDynamicValue(
      (ctx) =>
        new MigrateDeploymentsService({
          store: ctx.get(TOKENS.KeyValueStore),
          platform: ctx.get(TOKENS.FunctionPlatform),
          identity: ctx.get(TOKENS.IdentityManager),
          copier: ctx.get(TOKENS.ArtifactCopier),
          syncStores: ctx.get(TOKENS.SyncStoreProvider),
          clock: ctx.get(TOKENS.Clock),
          progress: ctx.get(TOKENS.ProgressReporter),
        }),
    );
    bind(SERVICES.Framework).toDynamicValue((ctx) => {
      const removeRemote = ctx.get<((report: (line: string) => void) => Promise<void>) | undefined>(SERVICES.RemoteFrameworkRemover, {
        optional: true,
      });
      return new FrameworkService({
        store: ctx.get(TOKENS.KeyValueStore),
        syncStores: ctx.get(TOKENS.SyncStoreProvider),
        remover: ctx.get(SERVICES.Remove),
        provider,
        ...(removeRemote ? { removeRemoteFramework: () => removeRemote(() => undefined) } : {}),
      });
    });
    bind(SERVICES.ManageDeployments).toDynamicValue(
      (ctx) =>
        new ManageDeploymentsService({
          store: ctx.get(TOKENS.KeyValueStore),
          clock: ctx.get(TOKENS.Clock),
          refreshWorkflowSummary: async (workflowId) => {
            await ctx.get<WorkflowCollectorService>(SERVICES.WorkflowCollector).collect(workflowId);
          },
          evaluators: { fast: new ThreadedEvaluatorFactory({ threads: 2 }) },
        }),
    );
    bind(SERVICES.List).toDynamicValue((ctx) => new ListWorkflowsService(ctx.get(TOKENS.KeyValueStore)));
    bind(SERVICES.Show).toDynamicValue((ctx) => new ShowWorkflowService(ctx.get(TOKENS.KeyValueStore)));
    bind(SERVICES.Report).toDynamicValue((ctx) => new CarbonReportService(ctx.get(TOKENS.KeyValueStore)));
    bind(SERVICES.Remove).toDynamicValue(
      (ctx) =>
        new RemoveWorkflowService({
          store: ctx.get(TOKENS.KeyValueStore),
          platform: ctx.get(TOKENS.FunctionPlatform),
          identity: ctx.get(TOKENS.IdentityManager),
          logs: ctx.get(TOKENS.LogSource),
          housekeeping: ctx.get(TOKENS.PlatformHousekeeping, { optional: true }),
        }),
    );
  });
}
