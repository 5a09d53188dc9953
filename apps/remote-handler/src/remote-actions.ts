/** The framework operations the remote handler can run; the composition root binds them to services. */
export interface RemoteActions {
  run(workflowId: string, argument: unknown): Promise<string>;
  list(): Promise<string[]>;
  dataCollect(collector: 'provider' | 'carbon' | 'performance' | 'all' | 'workflow', workflowId?: string): Promise<void>;
  /** Starts one `sync_workflow` per workflow (fan-out) or syncs inline. */
  logSync(): Promise<void>;
  manageDeployments(calculator: string): Promise<void>;
  remove(workflowId: string): Promise<void>;
  runDeploymentMigrator(): Promise<void>;
  syncWorkflow(workflowId: string): Promise<void>;
  checkWorkflow(workflowId: string, calculator: string): Promise<void>;
  runDeploymentAlgorithm(workflowId: string, calculator: string, solveHours: string[], leftoverTokens: number): Promise<void>;
  reDeployWorkflow(workflowId: string): Promise<void>;
}
