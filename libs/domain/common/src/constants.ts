/** Constants shared by several components, named and valued as in the reference (`common/constants.py`). */
export const CARIBOU_VERSION = '1.1.0';
export const LOG_VERSION = '0.0.4';
export const GLOBAL_SYSTEM_REGION = 'us-west-2';
/** Ours: Google Cloud has no us-west-2; its framework tables default to us-west1 (Oregon, as AWS's us-west-2). */
export const GCP_SYSTEM_REGION = 'us-west1';

/** Key of a provider's system region (framework tables): `aws:us-west-2`, `gcp:us-west1`, `local:us-west-2`. */
export function systemRegionKey(provider: string): string {
  return `${provider}:${provider === 'gcp' ? GCP_SYSTEM_REGION : GLOBAL_SYSTEM_REGION}`;
}
export const HOME_REGION_THRESHOLD = 0.1;
export const MAXIMUM_HOPS_FROM_CLIENT_REQUEST = 20;
export const MAX_TRANSFER_SIZE = 256_000;
/** Ours: the largest value written to one framework-table row. A DynamoDB item holds at most 400 KB (409,600 bytes) with its key and attribute names. */
export const MAX_STORED_VALUE_SIZE = 400_000;
export const SYNC_TABLE_TTL_SECONDS = 86_400;
/** Ours: the on-failure destination of asynchronous invocations, one per region per install (an SQS queue on AWS). */
export const FAILED_INVOCATIONS_DESTINATION = 'caribou-failed-invocations';
export const DEFAULT_MONITOR_COOLDOWN_SECONDS = 86_400;
export const MINIMAL_SOLVE_THRESHOLD = 10;
export const FORGETTING_TIME_DAYS = 30;
export const FORGETTING_NUMBER = 5000;
export const KEEP_ALIVE_DATA_COUNT = 10;
export const MIN_TIME_BETWEEN_SYNC_MINUTES = 15;
export const AWS_LOG_BUFFER_MINUTES = 15;

/** Framework tables (system region). Names are the reference's, so data and docs carry over. */
export const Tables = {
  workflowPlacementDecision: 'workflow_placement_decision_table',
  workflowPlacementSolverStagingArea: 'workflow_placement_solver_staging_area_table',
  deploymentManagerResource: 'deployment_manager_resource_table',
  deploymentManagerWorkflowInfo: 'deployment_manager_workflow_info_table',
  deploymentResources: 'deployment_resources_table',
  workflowImages: 'caribou_workflow_images_table',
  availableRegions: 'available_regions_table',
  providerRegion: 'provider_region_table',
  provider: 'provider_table',
  carbonRegion: 'carbon_region_table',
  performanceRegion: 'performance_region_table',
  workflowSummary: 'workflow_summary_table',
  workflowInstance: 'workflow_instance_table',
  /** Ours: every resource a deploy or migration created, so remove deletes exactly these. */
  resourceLedger: 'caribou_resource_ledger_table',
  /** Ours: the last plan the migrator published, with its metrics (the staging row is deleted). */
  publishedPlan: 'caribou_published_plan_table',
  /** Ours: asynchronous invocations the platform gave up on, drained from the on-failure destinations; one row per workflow. */
  failedInvocations: 'caribou_failed_invocation_table',
} as const;
export type TableName = (typeof Tables)[keyof typeof Tables];

/** Per-region fan-in tables (one pair in every region a function is deployed to). */
export const SyncTables = {
  messages: 'sync_messages_table',
  predecessorCounter: 'sync_predecessor_counter_table',
  /** Ours: per-(run, instance) execution markers (idempotent execution under retries and duplicate deliveries). */
  executionMarkers: 'execution_marker_table',
} as const;
