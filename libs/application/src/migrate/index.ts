export { MigrateDeploymentsService, describeAction } from './migrate-deployments.service';
export type { MigrateDeploymentsDeps, MigrateOptions, MigrationReport } from './migrate-deployments.service';
