import type { ProviderRegion } from '@caribou/domain-common';

/** `regions_and_providers` of a workflow or of one instance (config §2.2). */
export interface RegionsAndProviders {
  allowed_regions?: ProviderRegion[] | null;
  disallowed_regions?: ProviderRegion[] | null;
  providers: Record<string, { config: Record<string, unknown> }>;
}

/** One node of the workflow DAG as stored in the workflow config and the placement decision. */
export interface InstanceDescription {
  instance_name: string;
  regions_and_providers: RegionsAndProviders;
  succeeding_instances: string[];
  preceding_instances: string[];
  dependent_sync_predecessors: Array<[string, string]>;
}

/**
 * An instance as the placement decision knows it: its neighbours and fan-in dependencies,
 * which is what the runtime routes by. The reference also copies each instance's
 * `regions_and_providers` into the decision; the stored form here leaves it out (it is in
 * the workflow config the solver reads), so it is only present on reference-written rows.
 */
export type PlacementInstance = Omit<InstanceDescription, 'regions_and_providers'> & {
  regions_and_providers?: RegionsAndProviders;
};

/** Where one instance runs: the reference's `{provider_region, identifier, function_identifier}`. */
export interface InstancePlacement {
  provider_region: ProviderRegion;
  /** Address the runtime invokes: a topic ARN in the reference, the function ARN/name here. */
  identifier: string;
  function_identifier: string;
}

export interface CurrentDeployment {
  /** TIME_FORMAT string, or null for "never expires" (the reference treats null as expired). */
  expiry_time: string | null;
  time_keys: string[];
  instances: Record<string, Record<string, InstancePlacement>>;
}

/**
 * The workflow placement decision (WPD) in the reference's shape (reference-system §3.4),
 * plus the per-run fields. This is the in-memory form every reader gets; the stored row is
 * the compact encoding of placement-codec.ts, and messages carry only one run's placement
 * (domain-routing's run decision).
 */
export interface WorkflowPlacementDecision {
  instances: Record<string, PlacementInstance>;
  current_instance_name: string;
  workflow_placement: {
    home_deployment: Record<string, InstancePlacement>;
    current_deployment?: CurrentDeployment;
  };
  /** Ours: 1 at deploy, +1 each time the migrator publishes a plan; absent (0) on reference-written rows. */
  plan_version?: number;
  // Added per run by the client or the entry point.
  time_key?: string;
  send_to_home_region?: boolean;
  run_id?: string;
  data_size?: number;
  consumed_read_capacity?: number;
  user_payload_size?: number;
  overriden_workflow_placement_size?: number;
}

/** The workflow config the deployment manager and solver read (reference-system §2.3). */
export interface WorkflowConfig {
  workflow_name: string;
  workflow_version: string;
  workflow_id: string;
  /** With `data_location` where a function declared `dataRegion` (ours; the solver prices reaching it). */
  instances: Record<string, InstanceDescription & { data_location?: { provider: string; region: string; bytes_per_invocation: number } }>;
  home_region: ProviderRegion;
  /** Ours: where clients call from (config.yml's `client_region`); absent = the home region. */
  client_region?: ProviderRegion;
  /** Copied from config.yml when set (the reference stores `None` otherwise). */
  estimated_invocations_per_month: number | null;
  constraints: Constraints;
  regions_and_providers: RegionsAndProviders;
  num_calls_in_one_month: number;
  solver: string;
  deployment_algorithm?: string | null;
}

export interface Constraint {
  value: number;
  type: 'absolute' | 'relative';
}

export interface Constraints {
  hard_resource_constraints: Partial<Record<'cost' | 'runtime' | 'carbon', Constraint | null>> | null;
  soft_resource_constraints: Partial<Record<'cost' | 'runtime' | 'carbon', Constraint | null>> | null;
  priority_order: Array<'cost' | 'runtime' | 'carbon'>;
}

/** The solver's staged output (reference-solver §8). */
export interface StagedPlan {
  time_keys_to_staging_area_data: Record<string, Record<string, { provider_region: ProviderRegion }>>;
  deployment_metrics: Record<string, DeploymentMetrics>;
  expiry_time: string;
}

export interface DeploymentMetrics {
  average_cost: number;
  average_runtime: number;
  average_carbon: number;
  tail_cost: number;
  tail_runtime: number;
  tail_carbon: number;
  [extra: string]: number;
}
