export { ManageDeploymentsService } from './manage-deployments.service';
export type {
  HourPlacementReport,
  ManageDeploymentsDeps,
  ManageDeploymentsOptions,
  ManageDeploymentsReport,
  MetricsCalculator,
  MetricsVersusHome,
  WorkflowCheckReport,
} from './manage-deployments.service';
