import type { BuiltWorkflow, ProjectConfig } from '@caribou/domain-workflow';

/** A loaded, validated workflow project: what deploy needs from the project loader. */
export interface DeployableProject {
  projectDir: string;
  /** The app module, relative to projectDir. */
  appEntry: string;
  config: ProjectConfig;
  /** `.caribou/iam_policy.json`, one policy object per provider. */
  iamPolicy: Record<string, unknown>;
  workflow: BuiltWorkflow;
}

/** One function of a deployed workflow as stored in `deployment_resources_table` (what a migration needs to recreate it). */
export interface FunctionDescription {
  name: string;
  function_name: string;
  entry_point: boolean;
  role: { policy: string; role_name: string };
  environment_variables: Record<string, string>;
  handler: string;
  /** The Lambda runtime of the copy (`nodejs24.x`); the local provider simulates Lambda and records it too. */
  runtime: string;
  providers: Record<string, { config: Record<string, unknown> }>;
  memory_mb: number;
  timeout_s: number;
}

export interface DeployedRegionEntry {
  deploy_region: { provider: string; region: string };
  identifier: string;
  function_identifier: string;
}

/** The `deployment_resources_table` value (reference-system §4.5), inner maps stored as JSON strings. */
export interface DeploymentResourcesRecord {
  workflow_id: string;
  workflow_function_descriptions: string;
  deployment_config: string;
  deployed_regions: string;
  /** Ours: copies no plan uses, kept until runs in flight have drained (`{name: RetiringCopy}` as JSON); absent: none. */
  retiring_copies?: string;
  /** Ours: the release history for in-place updates and rollback (`ReleaseHistory` as JSON); absent on older deployments. */
  releases?: string;
}

