import { CaribouError } from '@caribou/domain-common';
import { accountRun, type AccountingContext, type CostItems, type RunAccount } from './footprint';
import { predictFromPlan, type ActivePlan, type Prediction } from './prediction';
import type { RunRecord } from './run-records';
import { percentChange, percentile } from './stats';

export interface MeasuredTotals {
  carbon_g: number;
  cost_usd: number;
  runtime_p50_s: number | null;
  runtime_p95_s: number | null;
}

/** `caribou report --json`: the shape is part of the CLI's contract (issue 18). */
export interface CarbonReport {
  workflow_id: string;
  /** ISO 8601 UTC; the given bounds, else the first and last run start; null without either. */
  period: { from: string | null; to: string | null };
  runs: number;
  runs_at_home: number;
  measured: MeasuredTotals;
  home_counterfactual: MeasuredTotals;
  /** carbon_g = home − measured (positive = saved); *_pct = (measured / home − 1) × 100. */
  savings: { carbon_g: number; carbon_pct: number | null; cost_pct: number | null; runtime_p95_pct: number | null };
  prediction: Prediction | null;
  by_day: Array<{ day: string; runs: number; carbon_g: number; home_carbon_g: number }>;
  by_function: Array<{ function: string; regions: Record<string, number>; carbon_g: number; home_carbon_g: number }>;
}

/** What the HTML page draws besides the report: one point per run, and where functions ran per hour. */
export interface CarbonReportDetails {
  /** Runs in start order. */
  timeline: Array<{ start_ms: number; carbon_g: number; home_carbon_g: number; at_home: boolean }>;
  /** Runs in which a function ran in a region, per UTC hour of the run's start. */
  placements_by_hour: Array<{ function: string; region: string; hour: number; runs: number }>;
  /** The cost split into price items, measured and at home. */
  cost_items: { measured: CostItems; home: CostItems };
  /** Where the all-home runtime comes from: runs that ran at home, or durations scaled to home. */
  home_runtime_source: 'runs at home' | 'scaled durations' | 'none';
  home_region: string;
}

export interface CarbonReportInput {
  workflowId: string;
  runs: readonly RunRecord[];
  context: AccountingContext;
  /** Inclusive bounds on run start times (epoch ms). */
  sinceMs?: number;
  untilMs?: number;
  activePlan: ActivePlan | null;
}

const sumItems = (items: CostItems[]): CostItems =>
  items.reduce((a, b) => ({ requests: a.requests + b.requests, compute: a.compute + b.compute, dynamodb: a.dynamodb + b.dynamodb, transfer: a.transfer + b.transfer }), {
    requests: 0,
    compute: 0,
    dynamodb: 0,
    transfer: 0,
  });

/**
 * Measured carbon, cost and runtime of a workflow's synced runs in a period, against the same
 * runs with every function at home, next to what the active plan predicted. Pure: every input
 * is passed in.
 */
export function buildCarbonReport(input: CarbonReportInput): { report: CarbonReport; details: CarbonReportDetails } {
  const { context } = input;
  for (const run of input.runs)
    for (const e of run.executions)
      if (!context.instances.has(e.instance))
        throw new CaribouError(`synced run ${run.runId} names instance ${e.instance}, which the deployed workflow does not have; run caribou log_sync again after redeploying`);
  const inPeriod = input.runs
    .filter((run) => (input.sinceMs === undefined || run.startMs >= input.sinceMs) && (input.untilMs === undefined || run.startMs <= input.untilMs))
    .sort((a, b) => a.startMs - b.startMs);
  const accounts: RunAccount[] = inPeriod.map((run) => accountRun(run, context));

  const total = (pick: (a: RunAccount) => number): number => accounts.reduce((sum, a) => sum + pick(a), 0);
  const runtimes = accounts.map((a) => a.runtimeS);
  const homeRuns = accounts.filter((a) => a.atHome);
  // Runtime at home is measured, not modelled, whenever runs ran there: the control group.
  const homeRuntimes = homeRuns.length > 0 ? homeRuns.map((a) => a.runtimeS) : accounts.map((a) => a.homeRuntimeEstimateS);
  const measured: MeasuredTotals = {
    carbon_g: total((a) => a.measured.carbonG),
    cost_usd: total((a) => a.measured.costUsd),
    runtime_p50_s: percentile(runtimes, 50) ?? null,
    runtime_p95_s: percentile(runtimes, 95) ?? null,
  };
  const home: MeasuredTotals = {
    carbon_g: total((a) => a.home.carbonG),
    cost_usd: total((a) => a.home.costUsd),
    runtime_p50_s: percentile(homeRuntimes, 50) ?? null,
    runtime_p95_s: percentile(homeRuntimes, 95) ?? null,
  };

  const days = new Map<string, CarbonReport['by_day'][number]>();
  for (const a of accounts) {
    const day = new Date(a.startMs).toISOString().slice(0, 10);
    const entry = days.get(day) ?? { day, runs: 0, carbon_g: 0, home_carbon_g: 0 };
    entry.runs += 1;
    entry.carbon_g += a.measured.carbonG;
    entry.home_carbon_g += a.home.carbonG;
    days.set(day, entry);
  }

  const functionOf = (instance: string): string => context.instances.get(instance)!.functionName;
  const functions = new Map<string, { regions: Map<string, number>; carbon: number; home: number }>();
  for (const resources of context.instances.values())
    if (!functions.has(resources.functionName)) functions.set(resources.functionName, { regions: new Map(), carbon: 0, home: 0 });
  const hourly = new Map<string, CarbonReportDetails['placements_by_hour'][number]>();
  for (const a of accounts) {
    const hour = new Date(a.startMs).getUTCHours();
    const seen = new Set<string>();
    for (const { instance, region } of a.placements) {
      const fn = functionOf(instance);
      if (seen.has(`${fn}\u0000${region}`)) continue;
      seen.add(`${fn}\u0000${region}`);
      const regions = functions.get(fn)!.regions;
      regions.set(region, (regions.get(region) ?? 0) + 1);
      const key = `${fn}\u0000${region}\u0000${hour}`;
      const cell = hourly.get(key) ?? { function: fn, region, hour, runs: 0 };
      cell.runs += 1;
      hourly.set(key, cell);
    }
    for (const [instance, grams] of a.measured.carbonByInstance) functions.get(functionOf(instance))!.carbon += grams;
    for (const [instance, grams] of a.home.carbonByInstance) functions.get(functionOf(instance))!.home += grams;
  }
  const homeFirst = (regions: Map<string, number>): Record<string, number> =>
    Object.fromEntries(
      [...regions].sort(([a, x], [b, y]) => (a === context.homeRegion ? -1 : b === context.homeRegion ? 1 : y - x || a.localeCompare(b))),
    );

  const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
  const report: CarbonReport = {
    workflow_id: input.workflowId,
    period: { from: iso(input.sinceMs ?? accounts[0]?.startMs), to: iso(input.untilMs ?? accounts.at(-1)?.startMs) },
    runs: accounts.length,
    runs_at_home: homeRuns.length,
    measured,
    home_counterfactual: home,
    savings: {
      carbon_g: home.carbon_g - measured.carbon_g,
      carbon_pct: percentChange(measured.carbon_g, home.carbon_g),
      cost_pct: percentChange(measured.cost_usd, home.cost_usd),
      runtime_p95_pct: measured.runtime_p95_s === null || home.runtime_p95_s === null ? null : percentChange(measured.runtime_p95_s, home.runtime_p95_s),
    },
    prediction: input.activePlan ? predictFromPlan(input.activePlan, accounts.map((a) => a.startMs)) : null,
    by_day: [...days.values()],
    by_function: [...functions].map(([fn, f]) => ({ function: fn, regions: homeFirst(f.regions), carbon_g: f.carbon, home_carbon_g: f.home })),
  };
  return {
    report,
    details: {
      timeline: accounts.map((a) => ({ start_ms: a.startMs, carbon_g: a.measured.carbonG, home_carbon_g: a.home.carbonG, at_home: a.atHome })),
      placements_by_hour: [...hourly.values()].sort((a, b) => a.function.localeCompare(b.function) || a.region.localeCompare(b.region) || a.hour - b.hour),
      cost_items: { measured: sumItems(accounts.map((a) => a.measured.cost)), home: sumItems(accounts.map((a) => a.home.cost)) },
      home_runtime_source: accounts.length === 0 ? 'none' : homeRuns.length > 0 ? 'runs at home' : 'scaled durations',
      home_region: context.homeRegion,
    },
  };
}
