import { CaribouError, Tables } from '@caribou/domain-common';
import { isTruthyPayload } from '@caribou/domain-routing';
import type { Clock, KeyValueStore, ProgressReporter, RemoteFramework } from '@caribou/ports';
import type { DataCollectService } from '../data-collect/index';
import type { LogSyncService } from '../log-sync/index';
import type { ManageDeploymentsService, MetricsCalculator } from '../manage-deployments/index';
import type { MigrateDeploymentsService } from '../migrate/index';
import type { RunWorkflowService } from '../run/index';
import type { ListWorkflowsService, RemoveWorkflowService } from '../workflows/index';
import type { CalculatorType, Collector, InternalActionType } from './remote-events';

/** A workflow the event names is not deployed: the remote handler answers 404. */
export class WorkflowNotFoundError extends CaribouError {
  constructor(readonly workflowId: string) {
    super(`Workflow ${workflowId} (workflow_id) is not deployed; caribou list shows the deployed workflows`);
    this.name = 'WorkflowNotFoundError';
  }
}

/** The event's calculator name → the evaluator that runs: `go` is the reference's fast (Go) solver, here the worker-thread pool. */
export function metricsCalculatorOf(type: CalculatorType): MetricsCalculator {
  return type === 'go' ? 'fast' : 'simple';
}

export interface RemoteFrameworkActionsDeps {
  store: KeyValueStore;
  /** The framework itself: fan-out goes through asynchronous self-invocations (reference-system §10.2). */
  remote: RemoteFramework;
  progress: ProgressReporter;
  run: RunWorkflowService;
  list: ListWorkflowsService;
  dataCollect: DataCollectService;
  logSync: LogSyncService;
  manageDeployments: ManageDeploymentsService;
  remove: RemoveWorkflowService;
  migrate: MigrateDeploymentsService;
  clock: Clock;
  /**
   * Seconds one invocation may work (from the function's timeout, deploy_remote_cli -t): a log
   * sync still reading then stops and hands its workflow to a continuation event. Unset: no limit.
   */
  timeBudgetSeconds?: number;
}

/**
 * What the remote framework does for each of its events, on the same application services the
 * CLI runs. Actions that cover every workflow (log_sync, manage_deployments,
 * run_deployment_migrator) only start one `internal_action` per workflow, each in its own
 * invocation with its own 15-minute budget; `check_workflow` decides and, when a solve is
 * affordable, starts `run_deployment_algorithm` with the hours and tokens it decided.
 * A workflow the event names must be deployed (WorkflowNotFoundError otherwise).
 */
export class RemoteFrameworkActions {
  constructor(private readonly deps: RemoteFrameworkActionsDeps) {}

  /** The run id; a falsy argument (Python truthiness: {}, [], "", 0) means no payload, as in the reference. */
  async run(workflowId: string, argument: unknown): Promise<string> {
    await this.requireDeployed(workflowId);
    // The remote `run` hands the argument on as the JSON value it is (spec §12.2 #6), the CLI as its string.
    const started = await this.deps.run.run(workflowId, isTruthyPayload(argument) ? argument : undefined);
    return started.runId;
  }

  list(): Promise<string[]> {
    return this.deps.list.list();
  }

  async dataCollect(collector: Collector, workflowId: string | undefined): Promise<void> {
    if (collector === 'workflow' && workflowId) await this.requireDeployed(workflowId);
    await this.deps.dataCollect.collect(collector, workflowId ? { workflowId } : {});
  }

  logSync(): Promise<void> {
    return this.fanOut(Tables.deploymentManagerResource, 'sync_workflow', () => ({}));
  }

  /**
   * Syncs the workflow's logs within this invocation's time budget. What does not fit goes to a
   * continuation event (`sync_workflow` again, in a fresh invocation): a sync that ran out of
   * time is retried on half as many days, and days left after a narrowed sync follow in as many
   * days per event; each event stores what it synced, so the next one starts where it ended.
   */
  async syncWorkflow(workflowId: string, maxIntervals?: number): Promise<void> {
    await this.requireDeployed(workflowId);
    const budgetSeconds = this.deps.timeBudgetSeconds;
    const limits = {
      ...(budgetSeconds !== undefined && { deadlineMs: this.deps.clock.now() + budgetSeconds * 1000 }),
      ...(maxIntervals !== undefined && { maxIntervals }),
    };
    const report = await this.deps.logSync.syncWorkflow(workflowId, limits);
    this.deps.progress.info(`${workflowId}: ${report.status}${report.message ? ` (${report.message})` : ''}`);
    if (report.status === 'out-of-time') {
      const tried = maxIntervals ?? report.intervals;
      if (tried <= 1) {
        throw new CaribouError(
          `${workflowId}: one day of its logs does not fit the remote framework's time budget (${Math.round(budgetSeconds ?? 0)} s); deploy it with a longer timeout (caribou deploy_remote_cli -t <seconds>, at most 900)`,
        );
      }
      await this.continueSync(workflowId, Math.floor(tried / 2));
    } else if (report.status === 'synced' && report.intervalsLeft > 0) {
      await this.continueSync(workflowId, report.intervals);
    }
  }

  private async continueSync(workflowId: string, maxIntervals: number): Promise<void> {
    this.deps.progress.info(`${workflowId}: the next ${maxIntervals} day(s) of logs go to a continuation sync_workflow`);
    await this.internal('sync_workflow', { workflow_id: workflowId, max_intervals: maxIntervals });
  }

  manageDeployments(calculator: CalculatorType): Promise<void> {
    return this.fanOut(Tables.deploymentManagerResource, 'check_workflow', () => ({ deployment_metrics_calculator_type: calculator }));
  }

  /** Decides; when a solve is affordable, hands the hours and leftover tokens to `run_deployment_algorithm`. */
  async checkWorkflow(workflowId: string, calculator: CalculatorType): Promise<void> {
    await this.requireDeployed(workflowId);
    const decision = await this.deps.manageDeployments.decide(workflowId);
    this.deps.progress.info(`Deployment check of ${workflowId}: ${decision.outcome}`);
    if (decision.outcome !== 'solve') return;
    await this.internal('run_deployment_algorithm', {
      workflow_id: workflowId,
      deployment_metrics_calculator_type: calculator,
      // The reference sends the hours as strings (`[str(h) for h in ...]`).
      solve_hours: decision.hours.map(String),
      leftover_tokens: decision.leftoverTokens,
    });
  }

  /** Solves exactly `solveHours` and records `leftoverTokens` as the workflow's tokens left. */
  async runDeploymentAlgorithm(workflowId: string, calculator: CalculatorType, solveHours: readonly number[], leftoverTokens: number): Promise<void> {
    await this.requireDeployed(workflowId);
    const report = await this.deps.manageDeployments.solve({ workflowId, calculator: metricsCalculatorOf(calculator), hours: solveHours, leftoverTokens });
    this.deps.progress.info(
      `Solved ${workflowId} for hours ${report.hours.join(', ')} with the ${report.algorithm} algorithm (${report.calculator} calculator, ` +
        `${report.monteCarloEvaluations} evaluations); ${report.tokensLeft} tokens left, plan expires ${report.expiryTime}`,
    );
  }

  async remove(workflowId: string): Promise<void> {
    // A workflow whose deploy was interrupted has a ledger but no registration: remove handles both.
    if (!(await this.deps.store.has(Tables.deploymentManagerResource, workflowId)) && !(await this.deps.store.has(Tables.resourceLedger, workflowId))) {
      throw new WorkflowNotFoundError(workflowId);
    }
    const result = await this.deps.remove.remove(workflowId, (line) => this.deps.progress.info(line));
    if (result.failures.length > 0) throw new CaribouError(`Could not remove everything of ${workflowId}: ${result.failures[0]}; run the removal again`);
  }

  /** One `re_deploy_workflow` per workflow with a staged plan or copies draining (retired once their grace period is over). */
  async runDeploymentMigrator(): Promise<void> {
    const workflowIds = await this.deps.migrate.workflowsToMigrate();
    this.deps.progress.info(`Starting re_deploy_workflow for ${workflowIds.length} workflow(s)`);
    for (const workflowId of workflowIds) await this.internal('re_deploy_workflow', { workflow_id: workflowId });
  }

  async reDeployWorkflow(workflowId: string): Promise<void> {
    await this.requireDeployed(workflowId);
    await this.deps.migrate.migrate({ workflowId });
  }

  private async requireDeployed(workflowId: string): Promise<void> {
    if (!(await this.deps.store.has(Tables.deploymentManagerResource, workflowId))) throw new WorkflowNotFoundError(workflowId);
  }

  private async internal(type: InternalActionType, event: Record<string, unknown>): Promise<void> {
    await this.deps.remote.invoke({ action: 'internal_action', type, event }, 'event');
  }

  private async fanOut(table: string, type: InternalActionType, event: (workflowId: string) => Record<string, unknown>): Promise<void> {
    const workflowIds = (await this.deps.store.keys(table)).sort();
    this.deps.progress.info(`Starting ${type} for ${workflowIds.length} workflow(s)`);
    for (const workflowId of workflowIds) await this.internal(type, { workflow_id: workflowId, ...event(workflowId) });
  }
}
