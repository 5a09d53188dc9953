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
  RunTracker: Symbol.for('caribou.cli.RunTracker'),
  LocalEngine: Symbol.for('caribou.cli.LocalExecutionEngine'),
  LocalDatabase: Symbol.for('caribou.cli.LocalDatabase'),
} as const;
