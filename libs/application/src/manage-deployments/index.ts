export { ManageDeploymentsService } from './manage-deployments.service';
export type {
  HourPlacementReport,
  ManageDeploymentsDeps,
  ManageDeploymentsOptions,
  ManageDeploymentsReport,
  MetricsCalculator,
  MetricsVersusHome,
  SolveReport,
  WorkflowCheckReport,
  WorkflowDecision,
} from './manage-deployments.service';
