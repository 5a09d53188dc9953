export { RunWorkflowService } from './run-workflow.service';
export type { RunPlacementKind, RunStarted, RunWorkflowDeps } from './run-workflow.service';
