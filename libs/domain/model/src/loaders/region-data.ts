import { CarbonSettings, SolverDefaults } from '../constants';
import { numberAt, numberListAt, objectAt } from '../json-path';

/** Prices and power figures of one region (DatacenterLoader, §1.2), defaults applied. */
export interface RegionPrices {
  computeCostPerGbSecond(architecture: string): number;
  invocationCost(architecture: string): number;
  /** Intra-provider transfer price; the only transfer price the solver asks for. */
  transferCostPerGb: number;
  /**
   * USD per message request between functions. The reference sends with SNS and pays its
   * request price (kept under `referenceQuirks`); our runtime sends with a Lambda async
   * invoke, whose only request charge is the target's invocation (`invocationCost`), so 0.
   */
  snsRequestCost: number;
  dynamoDbReadCostPerUnit: number;
  dynamoDbWriteCostPerUnit: number;
  pue: number;
  cfe: number;
  memoryPowerKwPerGb: number;
  minCpuPowerKw: number;
  maxCpuPowerKw: number;
}

/**
 * `referenceQuirks` reads the SNS/DynamoDB prices from the keys the reference loader asks for
 * (`sns_cost.sns_cost`, `dynamodb_cost.read_cost`/`write_cost`), which the collector never
 * writes, so the defaults apply (§12.1 #2). Otherwise the collector's keys are read.
 */
export function loadRegionPrices(row: unknown, referenceQuirks: boolean): RegionPrices {
  const snsKey = 'sns_cost';
  const readKey = referenceQuirks ? 'read_cost' : 'read_request_cost';
  const writeKey = referenceQuirks ? 'write_cost' : 'write_request_cost';
  return {
    computeCostPerGbSecond: (arch) =>
      numberAt(row, SolverDefaults.computeCostPerGbSecond, 'execution_cost', 'compute_cost', arch),
    invocationCost: (arch) => numberAt(row, SolverDefaults.invocationCost, 'execution_cost', 'invocation_cost', arch),
    transferCostPerGb: numberAt(row, SolverDefaults.transmissionCostPerGb, 'transmission_cost', 'provider_data_transfer'),
    snsRequestCost: referenceQuirks ? numberAt(row, SolverDefaults.snsRequestCost, 'sns_cost', snsKey) : 0,
    dynamoDbReadCostPerUnit: numberAt(row, SolverDefaults.dynamoDbReadCostPerUnit, 'dynamodb_cost', readKey),
    dynamoDbWriteCostPerUnit: numberAt(row, SolverDefaults.dynamoDbWriteCostPerUnit, 'dynamodb_cost', writeKey),
    pue: numberAt(row, SolverDefaults.pue, 'pue'),
    cfe: numberAt(row, SolverDefaults.cfe, 'cfe'),
    memoryPowerKwPerGb: numberAt(row, SolverDefaults.averageMemoryPowerKwPerGb, 'average_memory_power'),
    minCpuPowerKw: numberAt(row, SolverDefaults.minCpuPowerKw, 'min_cpu_power_kWh'),
    maxCpuPowerKw: numberAt(row, SolverDefaults.maxCpuPowerKw, 'max_cpu_power_kWh'),
  };
}

/** Number of hour slots: index 0 is the daily average ("overall"), 1 + h is UTC hour h. */
export const HOUR_SLOTS = 25;

/** Hour setting → slot: `null` is the daily average, 0–23 an hour of the day. */
export function hourSlot(hour: number | null): number {
  return hour === null ? 0 : hour + 1;
}

/**
 * CarbonLoader (§1.2): `averages[h ?? "overall"].carbon_intensity`, 410 when the region or that
 * hour is missing (no fallback from an hour to the daily average, as in the reference).
 */
export function loadCarbonIntensities(row: unknown): Float64Array {
  const slots = new Float64Array(HOUR_SLOTS);
  slots[0] = numberAt(row, SolverDefaults.gridCarbonIntensity, 'averages', 'overall', 'carbon_intensity');
  for (let h = 0; h < 24; h++) {
    slots[h + 1] = numberAt(row, SolverDefaults.gridCarbonIntensity, 'averages', String(h), 'carbon_intensity');
  }
  return slots;
}

/** `transmission_distances` of a carbon row (km by region key), used by the re-solve policy. */
export function loadTransmissionDistances(row: unknown): Map<string, number> {
  const distances = new Map<string, number>();
  const table = objectAt(row, 'transmission_distances');
  for (const [region, km] of Object.entries(table ?? {})) {
    if (typeof km === 'number' && Number.isFinite(km)) distances.set(region, km);
  }
  return distances;
}

/** PerformanceLoader: `relative_performance` (a runtime multiplier; bigger is slower), default 1. */
export function loadRelativePerformance(row: unknown): number {
  return numberAt(row, SolverDefaults.relativePerformance, 'relative_performance');
}

/** Mean of `ping(from, to)`: row `from`'s latency distribution to `to`, default [0.22] s. */
export function loadMeanPing(fromRow: unknown, toRegion: string): number {
  const samples = numberListAt(fromRow, 'transmission_latency', toRegion, 'latency_distribution');
  if (!samples || samples.length === 0) return SolverDefaults.pingLatencySeconds;
  let sum = 0;
  for (const s of samples) sum += s;
  return sum / samples.length;
}

export { CarbonSettings };
