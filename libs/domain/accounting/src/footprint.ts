import { CarbonSettings, SolverDefaults } from '@caribou/domain-model';
import type { HomeDurationScale } from './relative-performance';
import type { RunRecord } from './run-records';
import type { InstanceResources, RegionFacts } from './workflow-facts';

/** What the accounting of one workflow needs besides its runs. */
export interface AccountingContext {
  homeRegion: string;
  /** Where the placement decision is read from (Caribou's own tables). */
  systemRegion: string;
  instances: ReadonlyMap<string, InstanceResources>;
  region(key: string): RegionFacts;
  toHomeDuration: HomeDurationScale;
}

/** USD by price item. */
export interface CostItems {
  /** One request per execution: the client's call of the entry point and every async invoke of a successor. */
  requests: number;
  /** GB-seconds of configured memory, billed per started millisecond. */
  compute: number;
  /** Fan-in uploads, notices and reads, and the placement-decision read: capacity units. */
  dynamodb: number;
  /** Bytes leaving a region for another region, at the source region's price. */
  transfer: number;
}

export interface Footprint {
  /** gCO2e: execution plus transmission. */
  carbonG: number;
  executionCarbonG: number;
  transmissionCarbonG: number;
  costUsd: number;
  cost: CostItems;
  /** gCO2e by instance: its executions plus the bytes it received. Bytes to the client are in no instance. */
  carbonByInstance: Map<string, number>;
}

/** One synced run, as it happened and as it would have been with every function at home. */
export interface RunAccount {
  runId: string;
  startMs: number;
  /** Every execution ran in the home region (the 10 % control group, or runs before any plan). */
  atHome: boolean;
  /** End to end: the client's request to the entry point plus first start to last end (s). */
  runtimeS: number;
  /** This run's runtime with every execution's duration scaled to home (used only without runs at home). */
  homeRuntimeEstimateS: number;
  /** Where each function ran (the redirector counts as its entry point's function). */
  placements: Array<{ instance: string; region: string }>;
  measured: Footprint;
  home: Footprint;
}

/**
 * Carbon (gCO2e) and cost (USD) of one run, by the solver's model (reference-solver §2.3–2.4)
 * applied to what was recorded instead of sampled:
 * - execution: duration × (P_cpu(u)·vCPU + P_mem·GB) / 3600 × PUE kWh, times the grid
 *   intensity of its region in the UTC hour the run started;
 * - transmission: every byte received, × 0.001 kWh/GB, × the route's intensity (the region's
 *   own within a region, the mean of both ends across regions, the US average of 410 when one
 *   end is outside the cloud); bytes moved during execution half at the US average, half on
 *   the route from home, as the model assumes.
 * With `atHome`, every function region becomes the home region and the redirector hop
 * disappears; durations are scaled by `context.toHomeDuration`.
 */
export function footprint(run: RunRecord, context: AccountingContext, atHome: boolean): Footprint {
  const slot = new Date(run.startMs).getUTCHours() + 1;
  const home = context.homeRegion;
  const place = (region: string): string => (atHome ? home : region);
  const intensity = (region: string): number => context.region(region).intensity[slot]!;
  const routeIntensity = (from: string | null, to: string | null): number => {
    if (from === null || to === null) return SolverDefaults.averageUsaCarbonIntensity;
    if (from === to) return intensity(to);
    return (intensity(from) + intensity(to)) / 2;
  };
  const energyPerGb = CarbonSettings.transmissionEnergyKwhPerGb;
  const cost: CostItems = { requests: 0, compute: 0, dynamodb: 0, transfer: 0 };
  const byInstance = new Map<string, number>();
  const charge = (instance: string | undefined, grams: number): void => {
    if (instance !== undefined) byInstance.set(instance, (byInstance.get(instance) ?? 0) + grams);
  };
  let executionG = 0;
  let transmissionG = 0;
  /** Bytes from one region (null: outside the cloud) into another, charged to the receiving instance. */
  const flow = (from: string | null, to: string | null, gb: number, receiver: string | undefined): void => {
    if (gb <= 0) return;
    const grams = gb * energyPerGb * routeIntensity(from, to);
    transmissionG += grams;
    charge(receiver, grams);
    if (from !== null && to !== null && from !== to) cost.transfer += gb * context.region(from).prices.transferCostPerGb;
  };

  const entry = run.executions.find((e) => !e.redirector);
  for (const e of run.executions) {
    if (atHome && e.redirector) continue;
    const resources = context.instances.get(e.instance)!;
    const region = place(e.region);
    const facts = context.region(region);
    const prices = facts.prices;
    const durationS = atHome ? e.durationS * context.toHomeDuration(e.instance, e.region) : e.durationS;
    const utilization = e.cpuUtilization ?? SolverDefaults.cpuUtilization;
    const cpuKw = prices.minCpuPowerKw + utilization * (prices.maxCpuPowerKw - prices.minCpuPowerKw);
    const powerKw = cpuKw * resources.vcpu + prices.memoryPowerKwPerGb * (resources.memoryMb / 1024);
    const grams = ((durationS * powerKw) / 3600) * prices.pue * intensity(region);
    executionG += grams;
    // The redirector is the entry point's own function at home: its share goes there.
    const owner = e.redirector ? (entry?.instance ?? e.instance) : e.instance;
    charge(owner, grams);
    cost.requests += prices.invocationCost(resources.architecture);
    cost.compute += (Math.ceil(durationS * 1000 - 1e-9) / 1000) * (resources.memoryMb / 1024) * prices.computeCostPerGbSecond(resources.architecture);
    cost.dynamodb += e.downloadReadUnits * prices.dynamoDbReadCostPerUnit;
    flow(region, region, e.downloadGb, owner);
    for (const notice of e.notices) {
      const syncRegion = place(notice.region);
      cost.dynamodb += notice.writeUnits * context.region(syncRegion).prices.dynamoDbWriteCostPerUnit;
      flow(syncRegion, region, notice.responseGb, owner);
    }
    if (e.dataTransferDuringExecutionGb > 0) {
      const half = e.dataTransferDuringExecutionGb / 2;
      const grams = half * energyPerGb * (SolverDefaults.averageUsaCarbonIntensity + routeIntensity(home, region));
      transmissionG += grams;
      charge(owner, grams);
    }
  }

  for (const t of run.transmissions) {
    if (atHome && t.redirect) continue;
    const from = place(t.fromRegion);
    const to = place(t.toRegion);
    flow(from, to, t.messageGb, t.toInstance);
    flow(from, to, t.uploadGb, t.toInstance);
    flow(to, from, t.responseGb, t.fromInstance);
    cost.dynamodb += t.writeUnits * context.region(to).prices.dynamoDbWriteCostPerUnit;
  }

  const hop = run.startHop;
  const redirector = run.executions.find((e) => e.redirector);
  const entryRegion = place(hop.entryRegion);
  flow(null, atHome ? home : redirector ? redirector.region : entryRegion, hop.clientPayloadGb, entry?.instance);
  const reader = hop.placementReadByFunction ? (atHome ? home : (redirector?.region ?? entryRegion)) : null;
  flow(context.systemRegion, reader, hop.placementGb, reader === null ? undefined : entry?.instance);
  cost.dynamodb += hop.placementReadUnits * context.region(context.systemRegion).prices.dynamoDbReadCostPerUnit;

  return {
    carbonG: executionG + transmissionG,
    executionCarbonG: executionG,
    transmissionCarbonG: transmissionG,
    costUsd: cost.requests + cost.compute + cost.dynamodb + cost.transfer,
    cost,
    carbonByInstance: byInstance,
  };
}

/** Accounts one run: measured, and the all-home counterfactual at the same hour. */
export function accountRun(run: RunRecord, context: AccountingContext): RunAccount {
  const runtimeS = run.clientLatencyS + run.spanS;
  const measuredDuration = run.executions.reduce((sum, e) => (e.redirector ? sum : sum + e.durationS), 0);
  const homeDuration = run.executions.reduce((sum, e) => (e.redirector ? sum : sum + e.durationS * context.toHomeDuration(e.instance, e.region)), 0);
  const entry = run.executions.find((e) => !e.redirector);
  return {
    runId: run.runId,
    startMs: run.startMs,
    atHome: run.executions.every((e) => e.region === context.homeRegion),
    runtimeS,
    homeRuntimeEstimateS: measuredDuration > 0 ? runtimeS * (homeDuration / measuredDuration) : runtimeS,
    placements: run.executions.map((e) => ({ instance: e.redirector && entry ? entry.instance : e.instance, region: e.region })),
    measured: footprint(run, context, false),
    home: footprint(run, context, true),
  };
}
