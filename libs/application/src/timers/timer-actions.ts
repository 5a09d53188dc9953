import { summariseDataCollectReport, type DataCollectService } from '../data-collect/index';
import type { LogSyncService } from '../log-sync/index';
import type { ManageDeploymentsService } from '../manage-deployments/index';
import type { MigrateDeploymentsService } from '../migrate/index';
import { metricsCalculatorOf } from '../remote-framework/remote-framework-actions';
import { parseRemoteEvent } from '../remote-framework/remote-events';

export interface TimerActionsDeps {
  dataCollect: DataCollectService;
  logSync: LogSyncService;
  manageDeployments: ManageDeploymentsService;
  migrate: MigrateDeploymentsService;
}

/** What one tick did: `ok` false when the action failed for some workflow or as a whole. */
export interface TimerActionOutcome {
  ok: boolean;
  summary: string;
}

/**
 * What a timer's payload (the event EventBridge sends `caribou_cli`) does when a scheduler in
 * this process runs it: the same application services the CLI commands and the remote
 * framework run, on every workflow in turn (no fan-out through self-invocations).
 */
export class TimerActions {
  constructor(private readonly deps: TimerActionsDeps) {}

  async run(payload: Record<string, unknown>): Promise<TimerActionOutcome> {
    const parsed = parseRemoteEvent(payload);
    if (!parsed.ok) return { ok: false, summary: `its payload is not an event (${parsed.message}); set the timer up again` };
    const event = parsed.event;
    switch (event.action) {
      case 'data_collect': {
        const report = await this.deps.dataCollect.collect(event.collector, event.workflow_id ? { workflowId: event.workflow_id } : {});
        return { ok: true, summary: summariseDataCollectReport(report) };
      }
      case 'log_sync':
        return this.logSync();
      case 'manage_deployments':
        return this.manageDeployments(metricsCalculatorOf(event.deployment_metrics_calculator_type));
      case 'run_deployment_migrator':
        return this.migrate();
      default:
        return { ok: false, summary: `its payload's action ${event.action} is not one a timer runs (data_collect, log_sync, manage_deployments, run_deployment_migrator); set the timer up again` };
    }
  }

  private async logSync(): Promise<TimerActionOutcome> {
    const reports = await this.deps.logSync.sync({});
    const interrupted = await this.deps.logSync.takeInterruptedRuns();
    if (reports.length === 0) return { ok: true, summary: 'no workflows deployed' };
    const parts = reports.map((r) =>
      r.status === 'synced' ? `${r.workflowId}: ${r.runsSynced} runs synced` : `${r.workflowId}: ${r.status}${r.message ? ` (${r.message})` : ''}`,
    );
    if (interrupted.length > 0) parts.push(`${interrupted.length} run(s) never finished (their process was killed): ${interrupted.slice(0, 5).map((r) => r.runId).join(', ')}`);
    return { ok: reports.every((r) => r.status === 'synced' || r.status === 'too-soon'), summary: parts.join('; ') };
  }

  private async manageDeployments(calculator: 'simple' | 'fast'): Promise<TimerActionOutcome> {
    const report = await this.deps.manageDeployments.check({ calculator });
    if (report.workflows.length === 0) return { ok: true, summary: 'no workflows deployed' };
    const parts = report.workflows.map((w) => {
      switch (w.outcome) {
        case 'solved':
          return `${w.workflowId}: solved ${w.solves} hour(s), plan staged for the migrator`;
        case 'failed':
          return `${w.workflowId}: failed: ${w.error}`;
        case 'too-few-invocations':
          return `${w.workflowId}: ${w.invocations} invocations, ${w.minimum} needed`;
        default:
          return `${w.workflowId}: ${w.outcome}, next check ${w.nextCheck}`;
      }
    });
    return { ok: report.workflows.every((w) => w.outcome !== 'failed'), summary: parts.join('; ') };
  }

  private async migrate(): Promise<TimerActionOutcome> {
    const reports = await this.deps.migrate.migrate({});
    if (reports.length === 0) return { ok: true, summary: 'no staged plans' };
    return { ok: true, summary: reports.map((r) => `${r.workflowId}: migrated (${r.actions.length} action(s))`).join('; ') };
  }
}
