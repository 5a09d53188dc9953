import { z } from 'zod';
import { CaribouError, HOME_REGION_THRESHOLD, parseTime } from '@caribou/domain-common';
import { selectTimeKey } from '@caribou/domain-routing';
import { percentChange } from './stats';

/** The solver's expected metrics of one deployment for one time key (averages per run). */
export interface ExpectedMetrics {
  average_carbon: number;
  average_cost: number;
  tail_runtime: number;
}

/** The plan runs follow: its expected metrics and the home deployment's, per time key. */
export interface ActivePlan {
  plan: Record<string, ExpectedMetrics>;
  home: Record<string, ExpectedMetrics>;
  /** Runs started before publication, or after expiry, ran at home. */
  publishedAtMs?: number;
  expiresAtMs?: number;
}

export interface Prediction {
  carbon_pct: number | null;
  cost_pct: number | null;
  runtime_p95_pct: number | null;
}

/**
 * What the active plan predicted for the runs of the period, from the solver's metrics only:
 * each run is expected at its start hour's time key — while the plan was in force a mix of
 * the plan and home (the share of runs sent home, 10 %), before or after it home. The run
 * start times fix only the weights, so editing what a run measured never changes this.
 * Without runs, every UTC hour counts once with the plan in force. The p95 change compares
 * the weighted tails, an approximation of the tail of the mixture.
 */
export function predictFromPlan(active: ActivePlan, runStartsMs: readonly number[], homeShare = HOME_REGION_THRESHOLD): Prediction | null {
  const keys = Object.keys(active.plan).filter((key) => active.home[key] !== undefined);
  if (keys.length === 0) return null;
  const starts = runStartsMs.length > 0 ? runStartsMs : Array.from({ length: 24 }, (_, hour) => hour * 3_600_000);
  const inForce = (ms: number): boolean =>
    runStartsMs.length === 0 || ((active.publishedAtMs === undefined || ms >= active.publishedAtMs) && (active.expiresAtMs === undefined || ms <= active.expiresAtMs));
  const expected = { average_carbon: 0, average_cost: 0, tail_runtime: 0 };
  const home = { average_carbon: 0, average_cost: 0, tail_runtime: 0 };
  for (const ms of starts) {
    const key = selectTimeKey(keys, new Date(ms).getUTCHours());
    const planned = active.plan[key];
    const atHome = active.home[key];
    if (!planned || !atHome) return null;
    const share = inForce(ms) ? 1 - homeShare : 0;
    for (const metric of ['average_carbon', 'average_cost', 'tail_runtime'] as const) {
      expected[metric] += share * planned[metric] + (1 - share) * atHome[metric];
      home[metric] += atHome[metric];
    }
  }
  return {
    carbon_pct: percentChange(expected.average_carbon, home.average_carbon),
    cost_pct: percentChange(expected.average_cost, home.average_cost),
    runtime_p95_pct: percentChange(expected.tail_runtime, home.tail_runtime),
  };
}

const metrics = z.object({ average_carbon: z.number(), average_cost: z.number(), tail_runtime: z.number() });
const publishedPlanSchema = z.object({
  expiry_time: z.string().optional(),
  published_at: z.string().optional(),
  deployment_metrics: z.record(z.string(), metrics).optional(),
  home_deployment_metrics: z.record(z.string(), metrics).optional(),
});

/** What the prediction reads of a published plan. */
export type PublishedPlanMetrics = z.output<typeof publishedPlanSchema>;

function timeOrUndefined(text: string | undefined, field: string, where: string): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parseTime(text);
  } catch {
    throw new CaribouError(`${where}.${field} '${text}' is not a time like 2026-12-07 07:08:22,091063+0000; run caribou run_deployment_migrator to publish the plan again`);
  }
}

/**
 * The published plan (`caribou_published_plan_table[id]`, written by the migrator) as the
 * prediction needs it; null when the plan does not record the home deployment's metrics
 * (plans staged before they were recorded).
 */
export function readActivePlan(text: string, workflowId: string): ActivePlan | null {
  const where = `caribou_published_plan_table[${workflowId}]`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CaribouError(`${where} is not JSON; run caribou manage_deployments and caribou run_deployment_migrator to publish a plan again`);
  }
  const parsed = publishedPlanSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CaribouError(`${where}.${issue.path.join('.')}: ${issue.message.toLowerCase()}; run caribou run_deployment_migrator to publish the plan again`);
  }
  return activePlanOf(parsed.data, workflowId);
}

/** As readActivePlan, for a published-plan row already checked against its schema. */
export function activePlanOf(plan: PublishedPlanMetrics, workflowId: string): ActivePlan | null {
  const where = `caribou_published_plan_table[${workflowId}]`;
  if (!plan.deployment_metrics || !plan.home_deployment_metrics) return null;
  const publishedAtMs = timeOrUndefined(plan.published_at, 'published_at', where);
  const expiresAtMs = timeOrUndefined(plan.expiry_time, 'expiry_time', where);
  return {
    plan: plan.deployment_metrics,
    home: plan.home_deployment_metrics,
    ...(publishedAtMs !== undefined ? { publishedAtMs } : {}),
    ...(expiresAtMs !== undefined ? { expiresAtMs } : {}),
  };
}
