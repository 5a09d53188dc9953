import { APPLICATION_TOKENS } from '@caribou/application/tokens';
import { TOKENS } from '@caribou/ports';

/**
 * The tokens CLI commands resolve, by their old names: the application services' tokens
 * (@caribou/application) and the ports' (@caribou/ports) — nothing is bound here.
 */
export const SERVICES = {
  Deploy: APPLICATION_TOKENS.Deploy,
  Rollback: APPLICATION_TOKENS.Rollback,
  ValidateProject: APPLICATION_TOKENS.ValidateProject,
  NewWorkflow: APPLICATION_TOKENS.NewWorkflow,
  Run: APPLICATION_TOKENS.Run,
  List: APPLICATION_TOKENS.List,
  Remove: APPLICATION_TOKENS.Remove,
  Show: APPLICATION_TOKENS.Show,
  FailedInvocations: APPLICATION_TOKENS.FailedInvocations,
  PlanReport: APPLICATION_TOKENS.PlanReport,
  DataCollect: APPLICATION_TOKENS.DataCollect,
  Migrate: APPLICATION_TOKENS.Migrate,
  LogSync: APPLICATION_TOKENS.LogSync,
  ExecutionLogs: APPLICATION_TOKENS.ExecutionLogs,
  WorkflowCollector: APPLICATION_TOKENS.WorkflowCollector,
  Framework: APPLICATION_TOKENS.Framework,
  ManageDeployments: APPLICATION_TOKENS.ManageDeployments,
  Report: APPLICATION_TOKENS.Report,
  RemoteFramework: APPLICATION_TOKENS.RemoteFramework,
  RemoteFrameworkTimers: APPLICATION_TOKENS.RemoteFrameworkTimers,
  Timers: APPLICATION_TOKENS.Timers,
  TimerLoop: APPLICATION_TOKENS.TimerLoop,
  RunTracker: TOKENS.RunTracker,
} as const;
