import { parseRegionKey } from '@caribou/domain-common';
import { WORST_CASE_CARBON_INTENSITY, HOURS_PER_DAY, type HourlyCarbonProfile } from './carbon-profile';
import { haversineKm } from './geo';
import { PRICE_DEFAULTS, REGION_ENERGY_CONSTANTS, snsRequestCostUsd, transmissionPricesUsdPerGb, type TransmissionPrices } from './price-tables';

/* ------------------------------------------------------------------ available_regions_table */

/** Value of an available_regions_table row, keyed `"<provider>:<code>"`. */
export interface AvailableRegionRow {
  name: string;
  provider: string;
  code: string;
  latitude: number;
  longitude: number;
}

export function buildAvailableRegionRow(provider: string, region: { code: string; name: string; latitude: number; longitude: number }): AvailableRegionRow {
  return { name: region.name, provider, code: region.code, latitude: region.latitude, longitude: region.longitude };
}

/**
 * A stored available_regions_table row (checked by the application's row schema) with the
 * reference's defaults: a row without name, provider or code takes them from its key.
 */
export function availableRegionOf(
  key: string,
  row: { latitude: number; longitude: number; name?: string | undefined; provider?: string | undefined; code?: string | undefined },
): AvailableRegionRow {
  const { provider, region } = parseRegionKey(key);
  return { name: row.name ?? region, provider: row.provider ?? provider, code: row.code ?? region, latitude: row.latitude, longitude: row.longitude };
}

/* ------------------------------------------------------------------ provider_region_table */

/** A Lambda price for one architecture; null = unknown (defaults apply), 0 = not offered. */
export interface LambdaPrice {
  gbSecondUsd: number | null;
  requestUsd: number | null;
}

/** What a region catalog knows about a region's prices. Every part is optional: gaps get defaults. */
export interface RegionPrices {
  lambda?: { x86_64?: LambdaPrice; arm64?: LambdaPrice };
  freeTier?: { requests: number; gbSeconds: number } | null;
  transfer?: { globalUsdPerGb: number | null; providerUsdPerGb: number | null };
  /** USD per single SNS request. */
  snsRequestUsd?: number | null;
  dynamodb?: { readRequestUsd: number | null; writeRequestUsd: number | null; storageUsdPerGbMonth: number | null };
  ecrStorageUsdPerGbMonth?: number | null;
  /** Where the figures come from (shown in the collection report). */
  source?: string;
}

/** Value of a provider_region_table row, in the reference's shape (§9.1 item 2). */
export interface ProviderRegionRow {
  execution_cost: {
    invocation_cost: { arm64: number; x86_64: number; free_tier_invocations: number };
    compute_cost: { arm64: number; x86_64: number; free_tier_compute_gb_s: number };
    unit: 'USD';
  };
  transmission_cost: { global_data_transfer: number; provider_data_transfer: number; unit: 'USD/GB' };
  sns_cost: { request_cost: number; unit: 'USD/requests' };
  dynamodb_cost: { read_request_cost: number; write_request_cost: number; storage_cost: number; unit: 'USD' };
  ecr_cost: { storage_cost: number; unit: 'USD' };
  pue: number;
  cfe: number;
  average_memory_power: number;
  max_cpu_power_kWh: number;
  min_cpu_power_kWh: number;
  available_architectures: string[];
}

export interface BuiltRow<T> {
  row: T;
  /** One entry per value that came from a fallback instead of the source, e.g. "x86_64 compute price (USD/GB-s) default → 0.0000166667". */
  fallbacks: string[];
}

export interface BuiltProviderRegionRow extends BuiltRow<ProviderRegionRow> {
  /**
   * Price categories the catalog does not provide at all (e.g. the offline dataset has no
   * DynamoDB or ECR prices): defaults for every region, so not counted as this region's fallbacks.
   */
  uncoveredCategories: string[];
}

const usable = (value: number | null | undefined): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/**
 * Builds a provider_region_table row from whatever the catalog knows, filling every gap
 * with the reference's rules: Lambda prices → solver defaults (1.66667e-05 USD/GB-s,
 * 2e-07 USD/request); transfer → the reference's per-region table, then 0.09 USD/GB;
 * SNS → its per-region table, then 5e-07 USD/request; DynamoDB and ECR → solver defaults.
 * An architecture is available when its request price is above 0 (as the reference);
 * an unknown price counts as available at the default price.
 */
export function buildProviderRegionRow(code: string, prices: RegionPrices | undefined): BuiltProviderRegionRow {
  const fallbacks: string[] = [];
  const uncovered = new Set<string>();
  // A gap is this region's fallback when the region is unpriced or the catalog gave null;
  // a category the catalog never provides (undefined) is reported once as uncovered.
  const pick = (category: string, categoryProvided: boolean, value: number | null | undefined, fallback: () => number, what: string): number => {
    if (usable(value)) return value;
    const chosen = fallback();
    if (prices === undefined || categoryProvided) fallbacks.push(`${what} → ${chosen}`);
    else uncovered.add(category);
    return chosen;
  };
  const lambda = prices?.lambda;
  const hasLambda = lambda !== undefined;
  const x86Request = pick('Lambda', hasLambda, lambda?.x86_64?.requestUsd, () => PRICE_DEFAULTS.invocationUsd, 'x86_64 request price (USD) default');
  const armRequest = pick('Lambda', hasLambda, lambda?.arm64?.requestUsd, () => PRICE_DEFAULTS.invocationUsd, 'arm64 request price (USD) default');
  const x86Compute = pick('Lambda', hasLambda, lambda?.x86_64?.gbSecondUsd, () => PRICE_DEFAULTS.computeUsdPerGbSecond, 'x86_64 compute price (USD/GB-s) default');
  const armCompute = pick('Lambda', hasLambda, lambda?.arm64?.gbSecondUsd, () => PRICE_DEFAULTS.computeUsdPerGbSecond, 'arm64 compute price (USD/GB-s) default');

  const freeTier = prices?.freeTier;
  const hasFreeTier = freeTier !== undefined;
  const freeInvocations = pick('free tier', hasFreeTier, freeTier?.requests, () => PRICE_DEFAULTS.freeTierInvocations, 'free-tier requests default');
  const freeGbSeconds = pick('free tier', hasFreeTier, freeTier?.gbSeconds, () => PRICE_DEFAULTS.freeTierComputeGbSeconds, 'free-tier GB-s default');

  const table = transmissionPricesUsdPerGb(code);
  const hasTransfer = prices?.transfer !== undefined;
  const transferFallback = (which: keyof TransmissionPrices) => () => table?.[which] ?? PRICE_DEFAULTS.transmissionUsdPerGb;
  const transferLabel = table ? "reference's per-region table" : 'default';
  const globalTransfer = pick('data transfer', hasTransfer, prices?.transfer?.globalUsdPerGb, transferFallback('globalUsdPerGb'), `internet transfer (USD/GB) ${transferLabel}`);
  const providerTransfer = pick('data transfer', hasTransfer, prices?.transfer?.providerUsdPerGb, transferFallback('providerUsdPerGb'), `inter-region transfer (USD/GB) ${transferLabel}`);

  const snsTable = snsRequestCostUsd(code);
  const sns = pick(
    'SNS',
    prices?.snsRequestUsd !== undefined,
    prices?.snsRequestUsd,
    () => snsTable ?? PRICE_DEFAULTS.snsRequestUsd,
    `SNS request price (USD) ${snsTable === undefined ? 'default' : "reference's per-region table"}`,
  );

  const dynamodb = prices?.dynamodb;
  const hasDynamodb = dynamodb !== undefined;
  const dynamoRead = pick('DynamoDB', hasDynamodb, dynamodb?.readRequestUsd, () => PRICE_DEFAULTS.dynamodbReadRequestUsd, 'DynamoDB read request price (USD) default');
  const dynamoWrite = pick('DynamoDB', hasDynamodb, dynamodb?.writeRequestUsd, () => PRICE_DEFAULTS.dynamodbWriteRequestUsd, 'DynamoDB write request price (USD) default');
  const dynamoStorage = pick('DynamoDB', hasDynamodb, dynamodb?.storageUsdPerGbMonth, () => PRICE_DEFAULTS.dynamodbStorageUsdPerGbMonth, 'DynamoDB storage price (USD/GB-month) default');
  const ecrStorage = pick('ECR', prices?.ecrStorageUsdPerGbMonth !== undefined, prices?.ecrStorageUsdPerGbMonth, () => PRICE_DEFAULTS.ecrStorageUsdPerGbMonth, 'ECR storage price (USD/GB-month) default');

  const architectures: string[] = [];
  if (armRequest > 0) architectures.push('arm64');
  if (x86Request > 0) architectures.push('x86_64');

  return {
    row: {
      execution_cost: {
        invocation_cost: { arm64: armRequest, x86_64: x86Request, free_tier_invocations: freeInvocations },
        compute_cost: { arm64: armCompute, x86_64: x86Compute, free_tier_compute_gb_s: freeGbSeconds },
        unit: 'USD',
      },
      transmission_cost: { global_data_transfer: globalTransfer, provider_data_transfer: providerTransfer, unit: 'USD/GB' },
      sns_cost: { request_cost: sns, unit: 'USD/requests' },
      dynamodb_cost: { read_request_cost: dynamoRead, write_request_cost: dynamoWrite, storage_cost: dynamoStorage, unit: 'USD' },
      ecr_cost: { storage_cost: ecrStorage, unit: 'USD' },
      pue: REGION_ENERGY_CONSTANTS.pue,
      cfe: REGION_ENERGY_CONSTANTS.cfe,
      average_memory_power: REGION_ENERGY_CONSTANTS.averageMemoryPowerKwPerGb,
      max_cpu_power_kWh: REGION_ENERGY_CONSTANTS.maxCpuPowerKwPerVcpu,
      min_cpu_power_kWh: REGION_ENERGY_CONSTANTS.minCpuPowerKwPerVcpu,
      available_architectures: architectures,
    },
    fallbacks,
    uncoveredCategories: [...uncovered],
  };
}

/* ------------------------------------------------------------------ carbon_region_table */

/** Value of a carbon_region_table row. `averages` keys: "overall" and "0".."23". */
export interface CarbonRegionRow {
  averages: Record<string, { carbon_intensity: number }>;
  units: 'gCO2eq/kWh';
  transmission_distances: Record<string, number>;
  transmission_distances_unit: 'km';
}

/** Haversine km from one region to every listed region (itself included, 0.0), keyed by region key. */
export function transmissionDistancesKm(
  from: { latitude: number; longitude: number },
  regions: ReadonlyArray<{ key: string; latitude: number; longitude: number }>,
): Record<string, number> {
  const distances: Record<string, number> = {};
  for (const region of regions) distances[region.key] = haversineKm(from, region);
  return distances;
}

/**
 * Builds a carbon_region_table row. Unknown hours get 475 gCO2eq/kWh (the reference's
 * worst case). Note: JavaScript lists integer-like keys first, so "0".."23" precede
 * "overall" in the stored JSON; readers look keys up, so order carries no meaning.
 */
export function buildCarbonRegionRow(profile: HourlyCarbonProfile, distances: Record<string, number>): BuiltRow<CarbonRegionRow> {
  const fallbacks: string[] = [];
  const averages: Record<string, { carbon_intensity: number }> = {};
  const overall = usable(profile.overall) ? profile.overall : WORST_CASE_CARBON_INTENSITY;
  if (overall !== profile.overall) fallbacks.push(`overall → ${WORST_CASE_CARBON_INTENSITY} (worst case)`);
  averages.overall = { carbon_intensity: overall };
  const missingHours: number[] = [];
  for (let hour = 0; hour < HOURS_PER_DAY; hour++) {
    const value = profile.hourly[hour];
    if (usable(value)) averages[String(hour)] = { carbon_intensity: value };
    else {
      missingHours.push(hour);
      averages[String(hour)] = { carbon_intensity: WORST_CASE_CARBON_INTENSITY };
    }
  }
  if (missingHours.length > 0) fallbacks.push(`hours ${missingHours.join(',')} → ${WORST_CASE_CARBON_INTENSITY} (worst case)`);
  return {
    row: { averages, units: 'gCO2eq/kWh', transmission_distances: distances, transmission_distances_unit: 'km' },
    fallbacks,
  };
}

/* ------------------------------------------------------------------ performance_region_table */

/** Value of a performance_region_table row; latency distributions in seconds. */
export interface PerformanceRegionRow {
  relative_performance: number;
  transmission_latency: Record<string, { latency_distribution: number[]; unit: 's' }>;
}

/** Builds a performance_region_table row; every region performs alike (`relative_performance: 1`, as the reference). */
export function buildPerformanceRegionRow(latenciesSeconds: ReadonlyArray<readonly [toKey: string, seconds: number[]]>): PerformanceRegionRow {
  const transmission_latency: PerformanceRegionRow['transmission_latency'] = {};
  for (const [toKey, seconds] of latenciesSeconds) transmission_latency[toKey] = { latency_distribution: seconds, unit: 's' };
  return { relative_performance: 1, transmission_latency };
}
