export { RunWorkflowService } from './run-workflow.service';
export type { RunPlacementKind, RunStarted, RunWorkflowDeps } from './run-workflow.service';
export { LogRunTracker } from './log-run-tracker';
export type { LogRunTrackerOptions, TrackedRun } from './log-run-tracker';
