import { array, fail, hours, number, object, optionalNumber, text } from './json-fields';
import type { RegionPrices } from '@caribou/ports';
// JSON imports (not file reads) so the dataset travels inside bundles (CLI, Lambda handler).
import awsRegionsJson from '../data/aws-regions.json' with { type: 'json' };
import latencyJson from '../data/aws-interregion-p50-ms.json' with { type: 'json' };
import lambdaPricingJson from '../data/lambda-pricing.json' with { type: 'json' };
import dataTransferJson from '../data/data-transfer.json' with { type: 'json' };
import hourOfDayJson from '../data/hour-of-day-profiles-2024.json' with { type: 'json' };
import annualByZoneJson from '../data/annual-by-zone.json' with { type: 'json' };
import ccfJson from '../data/ccf-aws-emission-factors.json' with { type: 'json' };

/** The shipped files, as parsed JSON; passed explicitly so tests can feed broken copies. */
export interface RawDataset {
  awsRegions: unknown;
  latency: unknown;
  lambdaPricing: unknown;
  dataTransfer: unknown;
  hourOfDay: unknown;
  annualByZone: unknown;
  ccf: unknown;
}

export const SHIPPED_RAW_DATASET: RawDataset = {
  awsRegions: awsRegionsJson,
  latency: latencyJson,
  lambdaPricing: lambdaPricingJson,
  dataTransfer: dataTransferJson,
  hourOfDay: hourOfDayJson,
  annualByZone: annualByZoneJson,
  ccf: ccfJson,
};

export interface DatasetRegion {
  code: string;
  name: string;
  latitude: number;
  longitude: number;
  /** Electricity Maps zone the region's coordinates fall in. */
  zone: string;
}

export interface HourOfDayProfile {
  /** 24 values per calendar month 1..12, UTC hours. */
  byMonth: Map<number, number[]>;
  annual: number[];
  year: number;
}

export interface YearlyIntensity {
  year: number;
  gco2PerKwh: number;
}

export interface OfflineDataset {
  regions: DatasetRegion[];
  hourOfDay: Map<string, HourOfDayProfile>;
  /** Latest Electricity Maps yearly lifecycle value per zone. */
  latestYearly: Map<string, YearlyIntensity>;
  /** Cloud Carbon Footprint grid factor per AWS region code, gCO2e/kWh. */
  ccfGramsPerKwh: Map<string, number>;
  /** P50 round-trip latency, ms, `latencyMs.get(from).get(to)`. */
  latencyMs: Map<string, Map<string, number>>;
  latencyMissingRegions: string[];
  prices: Map<string, RegionPrices>;
}

/* ------------------------------------------------------------------ parsers */

function parseRegions(raw: unknown): DatasetRegion[] {
  const file = 'aws-regions.json';
  return array(object(raw, file, '(root)').regions, file, 'regions').map((entry, index) => {
    const region = object(entry, file, `regions[${index}]`);
    const code = text(region.code, file, `regions[${index}].code`);
    return {
      code,
      name: text(region.name, file, `regions[${index}].name (${code})`),
      latitude: number(region.latitude, file, `regions[${index}].latitude (${code})`),
      longitude: number(region.longitude, file, `regions[${index}].longitude (${code})`),
      zone: text(region.electricity_maps_zone, file, `regions[${index}].electricity_maps_zone (${code})`),
    };
  });
}

function parseHourOfDay(raw: unknown): Map<string, HourOfDayProfile> {
  const file = 'hour-of-day-profiles-2024.json';
  const zones = object(object(raw, file, '(root)').zones, file, 'zones');
  const profiles = new Map<string, HourOfDayProfile>();
  for (const [zone, entry] of Object.entries(zones)) {
    const profile = object(entry, file, `zones.${zone}`);
    const byMonthRaw = object(profile.by_month, file, `zones.${zone}.by_month`);
    const byMonth = new Map<number, number[]>();
    for (let month = 1; month <= 12; month++) byMonth.set(month, hours(byMonthRaw[String(month)], file, `zones.${zone}.by_month.${month}`));
    profiles.set(zone, { byMonth, annual: hours(profile.annual, file, `zones.${zone}.annual`), year: 2024 });
  }
  return profiles;
}

function parseLatestYearly(raw: unknown): Map<string, YearlyIntensity> {
  const file = 'annual-by-zone.json';
  const zones = object(object(raw, file, '(root)').zones, file, 'zones');
  const latest = new Map<string, YearlyIntensity>();
  for (const [zone, entry] of Object.entries(zones)) {
    const yearly = object(entry, file, `zones.${zone}`).electricity_maps_yearly_lifecycle;
    if (yearly === undefined || yearly === null) continue;
    const years = object(yearly, file, `zones.${zone}.electricity_maps_yearly_lifecycle`);
    const newest = Object.keys(years)
      .map(Number)
      .filter(Number.isInteger)
      .sort((a, b) => b - a)[0];
    if (newest === undefined) continue; // e.g. MX-OC: no yearly data published
    const value = object(years[String(newest)], file, `zones.${zone}.electricity_maps_yearly_lifecycle.${newest}`);
    latest.set(zone, { year: newest, gco2PerKwh: number(value.carbon_intensity_gco2eq_per_kwh, file, `zones.${zone}.electricity_maps_yearly_lifecycle.${newest}.carbon_intensity_gco2eq_per_kwh`) });
  }
  return latest;
}

function parseCcf(raw: unknown): Map<string, number> {
  const file = 'ccf-aws-emission-factors.json';
  const regions = object(object(raw, file, '(root)').regions, file, 'regions');
  const factors = new Map<string, number>();
  for (const [code, entry] of Object.entries(regions)) {
    if (code === 'unknown') continue; // CCF's global average is not a regional figure
    factors.set(code, number(object(entry, file, `regions.${code}`).gco2e_per_kwh_converted, file, `regions.${code}.gco2e_per_kwh_converted`));
  }
  return factors;
}

function parseLatency(raw: unknown): { latencyMs: Map<string, Map<string, number>>; missing: string[] } {
  const file = 'aws-interregion-p50-ms.json';
  const root = object(raw, file, '(root)');
  const matrix = object(root.matrix_ms, file, 'matrix_ms');
  const latencyMs = new Map<string, Map<string, number>>();
  for (const [from, row] of Object.entries(matrix)) {
    const targets = new Map<string, number>();
    for (const [to, value] of Object.entries(object(row, file, `matrix_ms.${from}`))) {
      const ms = number(value, file, `matrix_ms.${from}.${to}`);
      if (ms <= 0) fail(file, `matrix_ms.${from}.${to}`, 'must be a positive number of milliseconds');
      targets.set(to, ms);
    }
    latencyMs.set(from, targets);
  }
  const missing = root.missing_regions === undefined ? [] : array(root.missing_regions, file, 'missing_regions').map((code, i) => text(code, file, `missing_regions[${i}]`));
  return { latencyMs, missing };
}

function parsePrices(lambdaRaw: unknown, transferRaw: unknown): Map<string, RegionPrices> {
  const lambdaFile = 'lambda-pricing.json';
  const transferFile = 'data-transfer.json';
  const lambdaRoot = object(lambdaRaw, lambdaFile, '(root)');
  const freeTierRaw = object(lambdaRoot.free_tier_per_month, lambdaFile, 'free_tier_per_month');
  const freeTier = {
    requests: number(freeTierRaw.requests, lambdaFile, 'free_tier_per_month.requests'),
    gbSeconds: number(freeTierRaw.gb_seconds, lambdaFile, 'free_tier_per_month.gb_seconds'),
  };
  const lambdaRegions = object(lambdaRoot.regions, lambdaFile, 'regions');
  const transferRegions = object(object(transferRaw, transferFile, '(root)').regions, transferFile, 'regions');
  const prices = new Map<string, RegionPrices>();
  for (const code of new Set([...Object.keys(lambdaRegions), ...Object.keys(transferRegions)])) {
    const lambda = lambdaRegions[code] === undefined ? undefined : object(lambdaRegions[code], lambdaFile, `regions.${code}`);
    const transfer = transferRegions[code] === undefined ? undefined : object(transferRegions[code], transferFile, `regions.${code}`);
    const field = (name: string) => optionalNumber(lambda?.[name], lambdaFile, `regions.${code}.${name}`);
    const snsPerMillion = optionalNumber(transfer?.sns_usd_per_million_requests, transferFile, `regions.${code}.sns_usd_per_million_requests`);
    const lowConfidence = (Array.isArray(lambda?.sources) ? lambda.sources : []).some((s) => typeof s === 'string' && /UNATTRIBUTED|LOW confidence/i.test(s));
    prices.set(code, {
      lambda: {
        x86_64: { gbSecondUsd: field('x86_gb_second_usd'), requestUsd: field('x86_request_usd') },
        arm64: { gbSecondUsd: field('arm_gb_second_usd'), requestUsd: field('arm_request_usd') },
      },
      freeTier,
      transfer: {
        globalUsdPerGb: optionalNumber(transfer?.internet_egress_usd_per_gb, transferFile, `regions.${code}.internet_egress_usd_per_gb`),
        providerUsdPerGb: optionalNumber(transfer?.inter_region_egress_usd_per_gb, transferFile, `regions.${code}.inter_region_egress_usd_per_gb`),
      },
      snsRequestUsd: snsPerMillion === null ? null : snsPerMillion / 1_000_000,
      source: lowConfidence ? 'offline:pricing (low-confidence Lambda price)' : 'offline:pricing',
    });
  }
  return prices;
}

/** Parses and checks the dataset; any malformed field is a CaribouError naming the file and field. */
export function parseOfflineDataset(raw: RawDataset): OfflineDataset {
  const { latencyMs, missing } = parseLatency(raw.latency);
  return {
    regions: parseRegions(raw.awsRegions),
    hourOfDay: parseHourOfDay(raw.hourOfDay),
    latestYearly: parseLatestYearly(raw.annualByZone),
    ccfGramsPerKwh: parseCcf(raw.ccf),
    latencyMs,
    latencyMissingRegions: missing,
    prices: parsePrices(raw.lambdaPricing, raw.dataTransfer),
  };
}

let shipped: OfflineDataset | undefined;

/** The dataset shipped with this package, parsed once. */
export function loadShippedDataset(): OfflineDataset {
  shipped ??= parseOfflineDataset(SHIPPED_RAW_DATASET);
  return shipped;
}
