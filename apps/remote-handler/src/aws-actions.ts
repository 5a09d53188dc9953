import { CloudPingLatencySource } from '@caribou/adapter-cloudping';
import { ElectricityMapsCarbonSource, readElectricityMapsToken } from '@caribou/adapter-electricity-maps';
import { OfflineCarbonSource, OfflineLatencySource, OfflineRegionCatalog } from '@caribou/adapter-offline-data';
import type { AwsAdapterSet } from '@caribou/adapter-aws';
import {
  CarbonCollectorService,
  DataCollectService,
  FallbackCarbonSource,
  FallbackLatencySource,
  ListWorkflowsService,
  LogSyncService,
  MigrateDeploymentsService,
  PerformanceCollectorService,
  ProviderCollectorService,
  RemoveWorkflowService,
  RunWorkflowService,
  WorkflowCollectorService,
  type CollectorDependencies,
} from '@caribou/application';
import { CaribouError, Tables } from '@caribou/domain-common';
import type { Clock, ProgressReporter, RandomSource, RemoteFramework } from '@caribou/ports';
import type { RemoteActions } from './remote-actions';

/**
 * What `manage_deployments` needs: deciding per workflow whether to solve, and solving.
 * Bound by whoever composes the deployment manager; without it those actions say so.
 */
export interface DeploymentManagerActions {
  checkWorkflow(workflowId: string, calculator: string, startSolve: (solveHours: string[], leftoverTokens: number) => Promise<void>): Promise<void>;
  runDeploymentAlgorithm(workflowId: string, calculator: string, solveHours: string[], leftoverTokens: number): Promise<void>;
}

export interface AwsRemoteActionsDeps {
  adapters: Pick<AwsAdapterSet, 'store' | 'syncStores' | 'platform' | 'invoker' | 'copier' | 'identity' | 'logs'>;
  /** The framework itself: fan-out goes through asynchronous self-invocations (spec §10.2). */
  remote: RemoteFramework;
  clock: Clock;
  random: RandomSource;
  progress: ProgressReporter;
  log: (line: string) => void;
  env?: Record<string, string | undefined>;
  deploymentManager?: DeploymentManagerActions;
}

/**
 * The remote framework's actions on the application services with the AWS adapters — the
 * same services the CLI runs. Actions that cover every workflow (log_sync,
 * manage_deployments, run_deployment_migrator) only start one `internal_action` per
 * workflow, each in its own invocation with its own 15-minute budget.
 */
export function createAwsRemoteActions(deps: AwsRemoteActionsDeps): RemoteActions {
  const { adapters, remote, clock, random, progress, log } = deps;
  const env = deps.env ?? process.env;
  const { store } = adapters;

  const internal = async (type: string, event: Record<string, unknown>): Promise<void> => {
    await remote.invoke({ action: 'internal_action', type, event }, 'event');
  };
  const fanOut = async (table: string, type: string, event: (workflowId: string) => Record<string, unknown>): Promise<void> => {
    const workflowIds = (await store.keys(table)).sort();
    log(`Starting ${type} for ${workflowIds.length} workflow(s)`);
    for (const workflowId of workflowIds) await internal(type, { workflow_id: workflowId, ...event(workflowId) });
  };
  const deploymentManager = (): DeploymentManagerActions => {
    if (!deps.deploymentManager) {
      throw new CaribouError('manage_deployments is not available in this remote framework build: no deployment manager is composed; deploy a build that includes it');
    }
    return deps.deploymentManager;
  };

  const workflowCollector = new WorkflowCollectorService({ store });
  const dataCollect = (): DataCollectService => {
    const common: CollectorDependencies = { store, clock, progress, provider: 'aws' };
    const offlineCarbon = new OfflineCarbonSource(clock);
    const token = readElectricityMapsToken(env);
    const carbonSource = token ? new FallbackCarbonSource(new ElectricityMapsCarbonSource({ authToken: token }), offlineCarbon, progress) : offlineCarbon;
    const latencySource =
      env.CARIBOU_OFFLINE_DATA === '1' ? new OfflineLatencySource() : new FallbackLatencySource(new CloudPingLatencySource(), new OfflineLatencySource(), progress);
    return new DataCollectService({
      provider: new ProviderCollectorService({ ...common, catalog: new OfflineRegionCatalog() }),
      carbon: new CarbonCollectorService({ ...common, carbonSource }),
      performance: new PerformanceCollectorService({ ...common, latencySource }),
      collectWorkflow: (workflowId) => workflowCollector.collect(workflowId),
    });
  };

  return {
    async run(workflowId, argument) {
      // The remote `run` hands the argument on as the JSON value it is (spec §12.2 #6), the CLI as its string.
      const started = await new RunWorkflowService({ store, invoker: adapters.invoker, clock, random }).run(workflowId, argument);
      return started.runId;
    },
    list: () => new ListWorkflowsService(store).list(),
    async dataCollect(collector, workflowId) {
      await dataCollect().collect(collector, workflowId ? { workflowId } : {});
    },
    logSync: () => fanOut(Tables.deploymentManagerResource, 'sync_workflow', () => ({})),
    async syncWorkflow(workflowId) {
      const [report] = await new LogSyncService({ store, logs: adapters.logs, clock }).sync({ workflowId });
      log(`${workflowId}: ${report?.status ?? 'not synced'}${report?.message ? ` (${report.message})` : ''}`);
    },
    async manageDeployments(calculator) {
      deploymentManager();
      await fanOut(Tables.deploymentManagerResource, 'check_workflow', () => ({ deployment_metrics_calculator_type: calculator }));
    },
    async checkWorkflow(workflowId, calculator) {
      await deploymentManager().checkWorkflow(workflowId, calculator, (solveHours, leftoverTokens) =>
        internal('run_deployment_algorithm', { workflow_id: workflowId, deployment_metrics_calculator_type: calculator, solve_hours: solveHours, leftover_tokens: leftoverTokens }),
      );
    },
    async runDeploymentAlgorithm(workflowId, calculator, solveHours, leftoverTokens) {
      await deploymentManager().runDeploymentAlgorithm(workflowId, calculator, solveHours, leftoverTokens);
    },
    async remove(workflowId) {
      const result = await new RemoveWorkflowService({ store, platform: adapters.platform, identity: adapters.identity, logs: adapters.logs }).remove(workflowId, log);
      if (result.failures.length > 0) throw new CaribouError(`Could not remove everything of ${workflowId}: ${result.failures[0]}; run the removal again`);
    },
    runDeploymentMigrator: () => fanOut(Tables.workflowPlacementSolverStagingArea, 're_deploy_workflow', () => ({})),
    async reDeployWorkflow(workflowId) {
      await new MigrateDeploymentsService({
        store,
        platform: adapters.platform,
        identity: adapters.identity,
        copier: adapters.copier,
        syncStores: adapters.syncStores,
        clock,
        progress,
      }).migrate({ workflowId });
    },
  };
}
