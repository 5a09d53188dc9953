/** Tokens of the application services the CLI resolves (ports have theirs in @caribou/ports). */
export const SERVICES = {
  Deploy: Symbol.for('caribou.cli.DeployWorkflowService'),
  Run: Symbol.for('caribou.cli.RunWorkflowService'),
  List: Symbol.for('caribou.cli.ListWorkflowsService'),
  Remove: Symbol.for('caribou.cli.RemoveWorkflowService'),
  Show: Symbol.for('caribou.cli.ShowWorkflowService'),
  DataCollect: Symbol.for('caribou.cli.DataCollectService'),
  Migrate: Symbol.for('caribou.cli.MigrateDeploymentsService'),
  LogSync: Symbol.for('caribou.cli.LogSyncService'),
  WorkflowCollector: Symbol.for('caribou.cli.WorkflowCollectorService'),
  Framework: Symbol.for('caribou.cli.FrameworkService'),
  /** aws only: removes the remote framework and its timers (teardown_framework). */
  RemoteFrameworkRemover: Symbol.for('caribou.cli.RemoteFrameworkRemover'),
  ManageDeployments: Symbol.for('caribou.cli.ManageDeploymentsService'),
  Report: Symbol.for('caribou.cli.CarbonReportService'),
  RunTracker: Symbol.for('caribou.cli.RunTracker'),
  LocalEngine: Symbol.for('caribou.cli.LocalExecutionEngine'),
  LocalDatabase: Symbol.for('caribou.cli.LocalDatabase'),
} as const;

/** Tokens of what only the aws provider has (the remote framework's commands). */
export const AWS_SERVICES = {
  Adapters: Symbol.for('caribou.cli.aws.Adapters'),
  Timers: Symbol.for('caribou.cli.aws.RemoteFrameworkTimers'),
} as const;
