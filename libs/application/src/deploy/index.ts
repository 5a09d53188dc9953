export { DeployWorkflowService, FRAMEWORK_TABLES, regionsOfWorkflow } from './deploy-workflow.service';
export type { DeployResult, DeployWorkflowDeps } from './deploy-workflow.service';

export type { DeployableProject, DeployedRegionEntry, DeploymentResourcesRecord, FunctionDescription } from './deployable-project';
