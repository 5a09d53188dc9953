import { CaribouError, parseTime, regionKey, Tables } from '@caribou/domain-common';
import { selectTimeKey } from '@caribou/domain-routing';
import type { DeploymentMetrics, StagedPlan } from '@caribou/domain-workflow';
import type { Clock, KeyValueStore } from '@caribou/ports';
import { readRow } from '../stored-rows';

/** A staged or published plan row: the solver's output, with the home deployment's metrics when recorded. */
export interface PlanRecord extends StagedPlan {
  home_deployment_metrics?: Record<string, DeploymentMetrics>;
  published_at?: string;
}

export interface MetricDelta {
  absolute: number;
  /** Relative to home, percent; null when home is 0 or unknown. */
  percent: number | null;
}

export interface TimeKeyReport {
  time_key: string;
  /** UTC hours this plan serves: from its key up to the next key. */
  hours: number[];
  instances: Array<{ instance_name: string; region: string; home_region: string; moved: boolean }>;
  moved_instances: string[];
  metrics: DeploymentMetrics | null;
  home_metrics: DeploymentMetrics | null;
  delta: { average_carbon: MetricDelta; average_cost: MetricDelta; tail_runtime: MetricDelta } | null;
}

export interface PlanReport {
  workflow_id: string;
  /** `staged`: waiting for run_deployment_migrator; `published`: runs follow it. */
  status: 'staged' | 'published';
  expiry_time: string;
  /** Past its expiry: runs no longer follow it (they run at home until the next plan). */
  expired: boolean;
  published_at?: string;
  time_keys: TimeKeyReport[];
}

/** What makes two time keys' placements the same: every instance in the same region. */
export const placementSignature = (key: TimeKeyReport): string => key.instances.map((i) => `${i.instance_name}=${i.region}`).join('|');

const delta = (plan: number, home: number): MetricDelta => ({
  absolute: plan - home,
  percent: home === 0 ? null : ((plan - home) / Math.abs(home)) * 100,
});

/**
 * `caribou plan <id>`: per time key, where each instance runs, which moved away from home,
 * and how the plan's expected carbon, cost and p95 runtime compare with the all-home
 * deployment (the solver's Monte-Carlo metrics). Reads the staged plan if one is waiting,
 * otherwise the last published one.
 */
export class PlanReportService {
  constructor(
    private readonly store: KeyValueStore,
    private readonly clock: Clock,
  ) {}

  async report(workflowId: string): Promise<PlanReport> {
    const wpd = await readRow(this.store, Tables.workflowPlacementDecision, workflowId);
    if (!wpd) throw new CaribouError(`No workflow ${workflowId} is deployed (caribou list shows the deployed workflows)`);
    const staged = await readRow(this.store, Tables.workflowPlacementSolverStagingArea, workflowId);
    const plan: PlanRecord | undefined = staged ?? (await readRow(this.store, Tables.publishedPlan, workflowId));
    if (!plan) throw new CaribouError(`No plan for ${workflowId} yet: sync logs, collect data and run caribou manage_deployments`);
    const keys = Object.keys(plan.time_keys_to_staging_area_data).sort((a, b) => Number(a) - Number(b));
    const home = wpd.workflow_placement.home_deployment;
    return {
      workflow_id: workflowId,
      status: staged ? 'staged' : 'published',
      expiry_time: plan.expiry_time,
      expired: parseTime(plan.expiry_time) <= this.clock.now(),
      ...(plan.published_at ? { published_at: plan.published_at } : {}),
      time_keys: keys.map((key) => {
        const placements = plan.time_keys_to_staging_area_data[key]!;
        const instances = Object.entries(placements).map(([instance, { provider_region }]) => {
          const homeRegion = home[instance] ? regionKey(home[instance].provider_region) : '';
          return { instance_name: instance, region: regionKey(provider_region), home_region: homeRegion, moved: regionKey(provider_region) !== homeRegion };
        });
        const metrics = plan.deployment_metrics?.[key] ?? null;
        const homeMetrics = plan.home_deployment_metrics?.[key] ?? null;
        return {
          time_key: key,
          hours: Array.from({ length: 24 }, (_, hour) => hour).filter((hour) => selectTimeKey(keys, hour) === key),
          instances,
          moved_instances: instances.filter((i) => i.moved).map((i) => i.instance_name),
          metrics,
          home_metrics: homeMetrics,
          delta:
            metrics && homeMetrics
              ? {
                  average_carbon: delta(metrics.average_carbon, homeMetrics.average_carbon),
                  average_cost: delta(metrics.average_cost, homeMetrics.average_cost),
                  tail_runtime: delta(metrics.tail_runtime, homeMetrics.tail_runtime),
                }
              : null,
        };
      }),
    };
  }
}
