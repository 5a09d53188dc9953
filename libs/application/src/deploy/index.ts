export { DeployWorkflowService, FRAMEWORK_TABLES, describeChange, recordArtifactStore, regionsOfWorkflow } from './deploy-workflow.service';
export type { DeployChange, DeployOptions, DeployResult, DeployWorkflowDeps } from './deploy-workflow.service';
export { RollbackWorkflowService } from './rollback-workflow.service';
export type { RollbackResult } from './rollback-workflow.service';
export type { Release, ReleaseHistory } from './releases';

export type { DeployableProject, DeployedRegionEntry, DeploymentResourcesRecord, FunctionDescription } from './deployable-project';
