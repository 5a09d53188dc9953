export { createRemoteHandler } from './handler';
export type { RemoteActions } from './remote-actions';
export { createAwsRemoteActions } from './aws-actions';
export type { AwsRemoteActionsDeps, DeploymentManagerActions } from './aws-actions';
export { logProgress } from './log-progress';
export { createDeploymentManager } from './deployment-manager';
