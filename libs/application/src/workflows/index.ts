export { ListWorkflowsService } from './list-workflows.service';
export { RemoveWorkflowService } from './remove-workflow.service';
export type { RemoveResult, RemoveWorkflowDeps } from './remove-workflow.service';
export { ShowWorkflowService } from './show-workflow.service';
export type { WorkflowView } from './show-workflow.service';
