export { RunWorkflowService } from './run-workflow.service';
export type { RunStarted, RunWorkflowDeps } from './run-workflow.service';
