import { formatTime, parseRegionKey } from '@caribou/domain-common';
import type { WorkflowModel } from '@caribou/domain-model';
import type { DeploymentMetrics, StagedPlan } from '@caribou/domain-workflow';
import type { Hour } from './evaluator';

export type Placement = Record<string, { provider_region: { provider: string; region: string } }>;

/** `{instance: {provider_region: {provider, region}}}` of a deployment (§8). */
export function formatPlacement(model: WorkflowModel, deployment: readonly number[]): Placement {
  const placement: Placement = {};
  model.instanceNames.forEach((name, i) => {
    placement[name] = { provider_region: parseRegionKey(model.regionKeys[deployment[i]!]!) };
  });
  return placement;
}

/** Staging key of an hour: its number; the daily average is stored under "0" (§12.1 #11). */
export function timeKeyOf(hour: Hour): string {
  return String(hour ?? 0);
}

export interface HourDecision {
  hour: Hour;
  deployment: readonly number[];
  metrics: DeploymentMetrics;
}

/** The staging-area row the migrator consumes: placements and metrics per time key, expiry. */
export function toStagedPlan(model: WorkflowModel, decisions: readonly HourDecision[], expiresAtMs: number): StagedPlan {
  const plan: StagedPlan = { time_keys_to_staging_area_data: {}, deployment_metrics: {}, expiry_time: formatTime(expiresAtMs) };
  for (const decision of decisions) {
    const key = timeKeyOf(decision.hour);
    plan.time_keys_to_staging_area_data[key] = formatPlacement(model, decision.deployment);
    plan.deployment_metrics[key] = { ...decision.metrics };
  }
  return plan;
}
