export { WorkflowCollectorService } from './workflow-collector.service';
export type { WorkflowCollectionReport, WorkflowCollectorDeps } from './workflow-collector.service';
