import { z } from 'zod';
import { CaribouError, Tables } from '@caribou/domain-common';
import { parseSolverWorkflowConfig } from '@caribou/domain-model';
import { runLogSchema } from '@caribou/domain-telemetry/schemas';
import { placementDecisionOf, type DeploymentMetrics } from '@caribou/domain-workflow';
import { LEDGER_RESOURCE_KINDS } from './ledger/ledger-kinds';
import { deploymentResourcesSchema, finiteNumber, jsonText, providerRegionSchema as providerRegion } from '@caribou/domain-workflow/schemas';

/*
 * The schema of every framework-table row the application reads, one per table, with what to
 * do when a row does not fit it. Objects are loose: a row written by the reference or a later
 * version reads back whole; only what the readers use is checked. Readers go through
 * readRow/parseRow (stored-rows.ts), never JSON.parse and a cast.
 */

/**
 * A value checked by one of our domain parsers instead of a zod schema: the placement decision
 * (its codec is shared with the deployed function runtime, which must not bundle zod) and the
 * solver's workflow config (its loader fills the reference's defaults). Their message becomes
 * the issue's.
 */
const checkedBy = <T>(parse: (value: unknown) => T) =>
  z.unknown().transform((value, ctx): T => {
    try {
      return parse(value);
    } catch (error) {
      if (!(error instanceof CaribouError)) throw error;
      ctx.issues.push({ code: 'custom', message: error.message, input: value });
      return z.NEVER;
    }
  });

const num = finiteNumber;
const metrics: z.ZodType<DeploymentMetrics> = z
  .object({ average_cost: num, average_runtime: num, average_carbon: num, tail_cost: num, tail_runtime: num, tail_carbon: num })
  .catchall(num);
const metricsByHour = z.record(z.string(), metrics);

/** `workflow_placement_solver_staging_area_table`: a plan the solver staged for the migrator. */
export const stagedPlanSchema = z.looseObject({
  time_keys_to_staging_area_data: z.record(z.string(), z.record(z.string(), z.looseObject({ provider_region: providerRegion }))),
  deployment_metrics: metricsByHour,
  expiry_time: z.string(),
  home_deployment_metrics: metricsByHour.optional(),
});

/** `caribou_published_plan_table`: the staged plan as the migrator published it. */
export const publishedPlanSchema = stagedPlanSchema.extend({ published_at: z.string().optional() });

/** `deployment_manager_resource_table`: the deployed workflow's config, as a JSON text. */
export const deploymentManagerResourceSchema = z.looseObject({
  workflow_config: jsonText(checkedBy(parseSolverWorkflowConfig)),
  workflow_id: z.string().optional(),
});

/** `deployment_manager_workflow_info_table`: the deployment manager's token account of a workflow. */
export const workflowSolveInfoSchema = z.looseObject({ next_check: z.string(), tokens_left: num.optional(), last_solved: z.string().optional() });

/** `caribou_resource_ledger_table`: every resource a deploy or migration created. */
export const ledgerSchema = z.looseObject({
  workflow_id: z.string(),
  status: z.enum(['deploying', 'deployed', 'removing']),
  resources: z.array(
    z.looseObject({
      kind: z.enum(LEDGER_RESOURCE_KINDS),
      region: providerRegion,
      name: z.string(),
      identifier: z.string().optional(),
      state: z.enum(['creating', 'created']),
      createdBy: z.string(),
    }),
  ),
  migration_steps: z.array(z.string()).optional(),
});

/** `caribou_failed_invocation_table`: a workflow's failed asynchronous invocations, oldest first. */
export const failedInvocationsSchema = z.looseObject({
  workflow_id: z.string(),
  failures: z.array(
    z.looseObject({
      run_id: z.string(),
      instance: z.string(),
      function_name: z.string(),
      region: z.string(),
      error: z.string(),
      condition: z.string(),
      attempts: num,
      failed_at: z.string(),
      request_id: z.string(),
    }),
  ),
});

/** `available_regions_table`: a region the provider collector found. */
export const availableRegionSchema = z.looseObject({
  latitude: num,
  longitude: num,
  name: z.string().optional(),
  provider: z.string().optional(),
  code: z.string().optional(),
});

const costs = z.record(z.string(), z.union([num, z.string()]));
/** `provider_region_table`: prices and energy constants; the solver's loader defaults what a reference row lacks. */
export const providerRegionSchema = z.looseObject({
  execution_cost: z.looseObject({ invocation_cost: costs.optional(), compute_cost: costs.optional() }).optional(),
  transmission_cost: costs.optional(),
  sns_cost: costs.optional(),
  dynamodb_cost: costs.optional(),
  ecr_cost: costs.optional(),
  pue: num.optional(),
  cfe: num.optional(),
  average_memory_power: num.optional(),
  max_cpu_power_kWh: num.optional(),
  min_cpu_power_kWh: num.optional(),
  available_architectures: z.array(z.string()).optional(),
});

/** `carbon_region_table`: hourly carbon intensity and distances to the other regions. */
export const carbonRegionSchema = z.looseObject({
  averages: z.record(z.string(), z.looseObject({ carbon_intensity: num })),
  transmission_distances: z.record(z.string(), num).optional(),
});

/** `performance_region_table`: relative performance and latency distributions to the other regions. */
export const performanceRegionSchema = z.looseObject({
  relative_performance: num.optional(),
  transmission_latency: z.record(z.string(), z.looseObject({ latency_distribution: z.array(num) })).optional(),
});

/**
 * `workflow_summary_table`: the synced runs. A part may be missing (a sync starts from what is
 * there: a row with only `last_sync_time` continues from it), but what is there has its type.
 */
export const workflowSummarySchema = z.looseObject({
  last_sync_time: z.string().optional(),
  daily_invocation_counts: z.record(z.string(), num).optional(),
  daily_user_code_failure_counts: z.record(z.string(), num).optional(),
  logs: z.array(runLogSchema).optional(),
  workflow_runtime_samples: z.array(num).optional(),
});

/**
 * `workflow_instance_table`: the collector's distributions, or `{}` for a workflow without runs
 * (as the reference). Only the outline is checked: the solver's loader reads the rest with the
 * reference's defaults, and rows written by the reference lack parts ours have.
 */
export const workflowInstanceSchema = z.looseObject({
  workflow_runtime_samples: z.array(num).optional(),
  daily_invocation_counts: z.record(z.string(), num).optional(),
  daily_user_code_failure_counts: z.record(z.string(), num).optional(),
  start_hop_summary: z.looseObject({}).optional(),
  instance_summary: z.record(z.string(), z.looseObject({})).optional(),
});

const redeploy = (workflowId: string) => `remove the workflow (caribou remove ${workflowId}) and deploy it again`;
const collectAgain = (collector: string) => () => `run caribou data_collect ${collector} to collect it again`;

/** Every row the application reads: its schema and the fix a damaged one's message ends with. */
export const STORED_ROWS = {
  [Tables.workflowPlacementDecision]: {
    schema: checkedBy((value) => placementDecisionOf(value, 'not a placement decision')),
    fix: redeploy,
  },
  [Tables.workflowPlacementSolverStagingArea]: { schema: stagedPlanSchema, fix: () => 'run caribou manage_deployments again to stage a new plan' },
  [Tables.publishedPlan]: { schema: publishedPlanSchema, fix: () => 'run caribou manage_deployments and caribou run_deployment_migrator to publish a plan again' },
  [Tables.deploymentResources]: { schema: deploymentResourcesSchema, fix: redeploy },
  [Tables.deploymentManagerResource]: { schema: deploymentManagerResourceSchema, fix: redeploy },
  [Tables.deploymentManagerWorkflowInfo]: { schema: workflowSolveInfoSchema, fix: () => 'delete the row to start over' },
  [Tables.resourceLedger]: {
    schema: ledgerSchema,
    // The ledger is what remove deletes by: a damaged one needs a look before anything is deleted.
    fix: () => 'its resources can no longer be listed; repair or delete the row, then delete the resources named in the workflow tables by hand',
  },
  [Tables.failedInvocations]: { schema: failedInvocationsSchema, fix: () => 'delete the row; the failures it held are lost' },
  [Tables.availableRegions]: { schema: availableRegionSchema, fix: collectAgain('provider') },
  [Tables.providerRegion]: { schema: providerRegionSchema, fix: collectAgain('provider') },
  [Tables.carbonRegion]: { schema: carbonRegionSchema, fix: collectAgain('carbon') },
  [Tables.performanceRegion]: { schema: performanceRegionSchema, fix: collectAgain('performance') },
  [Tables.workflowSummary]: { schema: workflowSummarySchema, fix: () => 'delete the row to rebuild it from the logs with caribou log_sync' },
  [Tables.workflowInstance]: { schema: workflowInstanceSchema, fix: (workflowId: string) => `run caribou data_collect workflow ${workflowId} to rebuild it` },
} satisfies Record<string, { schema: z.ZodType; fix: (key: string) => string }>;

export type StoredTable = keyof typeof STORED_ROWS;
export type StoredRow<T extends StoredTable> = z.output<(typeof STORED_ROWS)[T]['schema']>;
