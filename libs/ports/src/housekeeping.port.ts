/**
 * Provider-specific clean-up of a workflow's run-time data when it is removed: the
 * local provider deletes fan-in rows and execution records; on AWS they expire (TTL).
 */
export interface PlatformHousekeeping {
  purgeWorkflowRuntimeData(workflowId: string, instancePrefix: string): Promise<void>;
}
