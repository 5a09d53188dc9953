import { token } from '@caribou/ports';
import type { DataCollectService } from './data-collect/index';
import type { DeployWorkflowService, RollbackWorkflowService } from './deploy/index';
import type { FailedInvocationsService } from './failures/index';
import type { FrameworkService } from './framework/index';
import type { LogSyncService } from './log-sync/index';
import type { ExecutionLogsService } from './logs/index';
import type { ManageDeploymentsService } from './manage-deployments/index';
import type { MigrateDeploymentsService } from './migrate/index';
import type { PlanReportService } from './plan/index';
import type { NewWorkflowService, ValidateProjectService } from './project/index';
import type { CarbonReportService } from './report/index';
import type { RemoteFrameworkActions, RemoteFrameworkService, RemoteFrameworkTimers } from './remote-framework/index';
import type { RunWorkflowService } from './run/index';
import type { TimerLoopService } from './timers/index';
import type { WorkflowCollectorService } from './workflow-collector/index';
import type { ListWorkflowsService, RemoveWorkflowService, ShowWorkflowService } from './workflows/index';

/** One token per application service; the application modules bind them, both apps resolve them. */
export const APPLICATION_TOKENS = {
  Deploy: token<DeployWorkflowService>('DeployWorkflowService'),
  Rollback: token<RollbackWorkflowService>('RollbackWorkflowService'),
  ValidateProject: token<ValidateProjectService>('ValidateProjectService'),
  NewWorkflow: token<NewWorkflowService>('NewWorkflowService'),
  Run: token<RunWorkflowService>('RunWorkflowService'),
  List: token<ListWorkflowsService>('ListWorkflowsService'),
  Show: token<ShowWorkflowService>('ShowWorkflowService'),
  Remove: token<RemoveWorkflowService>('RemoveWorkflowService'),
  PlanReport: token<PlanReportService>('PlanReportService'),
  Report: token<CarbonReportService>('CarbonReportService'),
  DataCollect: token<DataCollectService>('DataCollectService'),
  WorkflowCollector: token<WorkflowCollectorService>('WorkflowCollectorService'),
  LogSync: token<LogSyncService>('LogSyncService'),
  /** `caribou logs`: the user's output per execution. */
  ExecutionLogs: token<ExecutionLogsService>('ExecutionLogsService'),
  ManageDeployments: token<ManageDeploymentsService>('ManageDeploymentsService'),
  Migrate: token<MigrateDeploymentsService>('MigrateDeploymentsService'),
  Framework: token<FrameworkService>('FrameworkService'),
  FailedInvocations: token<FailedInvocationsService>('FailedInvocationsService'),
  RemoteFrameworkTimers: token<RemoteFrameworkTimers>('RemoteFrameworkTimers'),
  /** The timer commands of the CLI's provider: EventBridge rules on AWS, rows `caribou serve` runs locally. */
  Timers: token<RemoteFrameworkTimers>('Timers'),
  /** `caribou serve` (local provider). */
  TimerLoop: token<TimerLoopService>('TimerLoopService'),
  RemoteFramework: token<RemoteFrameworkService>('RemoteFrameworkService'),
  RemoteFrameworkActions: token<RemoteFrameworkActions>('RemoteFrameworkActions'),
} as const;
