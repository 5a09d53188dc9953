import { fitLatencyByDistance, haversineKm, type DistanceLatencyPair, type LatencyByDistanceFit } from '@caribou/domain-collection';
import type { RegionPrices } from '@caribou/ports';
// JSON imports (not file reads) so the dataset travels inside bundles (CLI, remote handler).
import regionsJson from '../data/gcp/cloud-run-regions.json' with { type: 'json' };
import carbonJson from '../data/gcp/region-carbon.json' with { type: 'json' };
import pricingJson from '../data/gcp/cloud-run-pricing.json' with { type: 'json' };
import { loadShippedDataset, type OfflineDataset } from './dataset';
import { fail, number, object, text } from './json-fields';

/** The shipped Google Cloud files, as parsed JSON; passed explicitly so tests can feed broken copies. */
export interface RawGcpDataset {
  regions: unknown;
  carbon: unknown;
  pricing: unknown;
}

export const SHIPPED_RAW_GCP_DATASET: RawGcpDataset = { regions: regionsJson, carbon: carbonJson, pricing: pricingJson };

export interface GcpRegion {
  code: string;
  /** Google's own name of the place (`Northern Virginia`, `Montréal`). */
  location: string;
  latitude: number;
  longitude: number;
  /** Continent of Google's network price table (`north-america`, `europe`, …). */
  continent: string;
  /** Cloud Run pricing tier (1 or 2). */
  tier: 1 | 2;
}

export interface GcpYearlyCarbon {
  year: number;
  /** Google's grid carbon intensity, gCO2eq/kWh (location-based, operational basis). */
  gco2PerKwh: number;
  /** Google's carbon-free-energy share (market-based; reported, not used by the model). */
  googleCfe: number;
}

export interface GcpDataset {
  regions: GcpRegion[];
  /** Newest year of Google's figures per region code. */
  latestCarbon: Map<string, GcpYearlyCarbon>;
  prices: Map<string, RegionPrices>;
  /** Latency against great-circle distance, fitted on the shipped AWS matrix. */
  latencyFit: LatencyByDistanceFit;
  /** Median intra-region latency of the AWS matrix (its diagonal), ms. */
  intraRegionMs: number;
}

const REGIONS_FILE = 'gcp/cloud-run-regions.json';
const CARBON_FILE = 'gcp/region-carbon.json';
const PRICING_FILE = 'gcp/cloud-run-pricing.json';

function parseRegions(raw: unknown): GcpRegion[] {
  const list = object(raw, REGIONS_FILE, '(root)').regions;
  if (!Array.isArray(list)) fail(REGIONS_FILE, 'regions', 'must be a list');
  return list.map((entry, i) => {
    const region = object(entry, REGIONS_FILE, `regions[${i}]`);
    const code = text(region.code, REGIONS_FILE, `regions[${i}].code`);
    const at = (field: string) => `regions[${i}].${field} (${code})`;
    const tier = number(region.cloud_run_pricing_tier, REGIONS_FILE, at('cloud_run_pricing_tier'));
    if (tier !== 1 && tier !== 2) fail(REGIONS_FILE, at('cloud_run_pricing_tier'), 'must be 1 or 2');
    return {
      code,
      location: text(region.location, REGIONS_FILE, at('location')),
      latitude: number(region.latitude, REGIONS_FILE, at('latitude')),
      longitude: number(region.longitude, REGIONS_FILE, at('longitude')),
      continent: text(region.continent, REGIONS_FILE, at('continent')),
      tier,
    };
  });
}

function parseLatestCarbon(raw: unknown): Map<string, GcpYearlyCarbon> {
  const years = object(object(raw, CARBON_FILE, '(root)').years, CARBON_FILE, 'years');
  const latest = new Map<string, GcpYearlyCarbon>();
  // Oldest first, so each newer year overwrites: a region keeps its newest published figure.
  for (const year of Object.keys(years).map(Number).sort((a, b) => a - b)) {
    for (const [code, entry] of Object.entries(object(years[String(year)], CARBON_FILE, `years.${year}`))) {
      const row = object(entry, CARBON_FILE, `years.${year}.${code}`);
      latest.set(code, {
        year,
        gco2PerKwh: number(row.grid_carbon_intensity_gco2eq_per_kwh, CARBON_FILE, `years.${year}.${code}.grid_carbon_intensity_gco2eq_per_kwh`),
        googleCfe: number(row.google_cfe, CARBON_FILE, `years.${year}.${code}.google_cfe`),
      });
    }
  }
  return latest;
}

/**
 * Cloud Run functions prices in the provider_region_table's terms. The row has one
 * compute price per GB-second; Cloud Run bills CPU and memory apart, so the row gets the
 * price per second of the reference shape (1 GiB with Google's 0.583 vCPU) per GiB. Tier 2
 * is 1.4 × tier 1 in CPU and memory alike, so regions compare the same for every shape.
 * The free tier's binding limit at that shape is CPU (180,000 vCPU-s ≈ 308,748 GiB-s).
 * No Arm: Cloud Run functions run on x86-64 only (0 = not offered). Pub/Sub stands in
 * for SNS. Firestore and Artifact Registry are not priced (the solver defaults apply).
 */
function parsePrices(raw: unknown, regions: readonly GcpRegion[]): Map<string, RegionPrices> {
  const root = object(raw, PRICING_FILE, '(root)');
  const tiers = object(root.tiers, PRICING_FILE, 'tiers');
  const shape = object(root.reference_shape, PRICING_FILE, 'reference_shape');
  const shapeGib = number(shape.memory_gib, PRICING_FILE, 'reference_shape.memory_gib');
  const shapeVcpu = number(shape.vcpu, PRICING_FILE, 'reference_shape.vcpu');
  const free = object(root.free_tier_per_month, PRICING_FILE, 'free_tier_per_month');
  const freeGibSeconds = Math.min(
    number(free.gib_seconds, PRICING_FILE, 'free_tier_per_month.gib_seconds') / shapeGib,
    number(free.vcpu_seconds, PRICING_FILE, 'free_tier_per_month.vcpu_seconds') / shapeVcpu,
  ) * shapeGib;
  const freeTier = { requests: number(free.requests, PRICING_FILE, 'free_tier_per_month.requests'), gbSeconds: freeGibSeconds };
  const network = object(root.network_usd_per_gib, PRICING_FILE, 'network_usd_per_gib');
  const internet = number(network.internet_egress, PRICING_FILE, 'network_usd_per_gib.internet_egress');
  const withinContinent = object(network.inter_region_within_continent, PRICING_FILE, 'network_usd_per_gib.inter_region_within_continent');
  const pubsub = object(root.pubsub, PRICING_FILE, 'pubsub');
  const bytesPerTib = 2 ** 40;
  // One call = one publish + one push delivery, each billed at least the minimum size.
  const pubsubPerCall = (2 * number(pubsub.minimum_bytes_per_message, PRICING_FILE, 'pubsub.minimum_bytes_per_message') * number(pubsub.usd_per_tib, PRICING_FILE, 'pubsub.usd_per_tib')) / bytesPerTib;

  const prices = new Map<string, RegionPrices>();
  for (const region of regions) {
    const tier = object(tiers[String(region.tier)], PRICING_FILE, `tiers.${region.tier}`);
    const cpu = number(tier.cpu_usd_per_vcpu_second, PRICING_FILE, `tiers.${region.tier}.cpu_usd_per_vcpu_second`);
    const memory = number(tier.memory_usd_per_gib_second, PRICING_FILE, `tiers.${region.tier}.memory_usd_per_gib_second`);
    const request = number(tier.request_usd_per_million, PRICING_FILE, `tiers.${region.tier}.request_usd_per_million`) / 1_000_000;
    prices.set(region.code, {
      lambda: {
        x86_64: { gbSecondUsd: (shapeVcpu * cpu + shapeGib * memory) / shapeGib, requestUsd: request },
        arm64: { gbSecondUsd: 0, requestUsd: 0 },
      },
      freeTier,
      transfer: {
        globalUsdPerGb: internet,
        providerUsdPerGb: number(withinContinent[region.continent], PRICING_FILE, `network_usd_per_gib.inter_region_within_continent.${region.continent}`),
      },
      snsRequestUsd: pubsubPerCall,
      source: `offline:cloud-run-tier-${region.tier}`,
    });
  }
  return prices;
}

/** Every measured ordered pair of the shipped AWS matrix as (great-circle km, P50 ms), and its diagonal (intra-region). */
export function awsDistanceLatencyPairs(aws: OfflineDataset): { pairs: DistanceLatencyPair[]; intraRegionMs: number[] } {
  const where = new Map(aws.regions.map((region) => [region.code, region]));
  const pairs: DistanceLatencyPair[] = [];
  const intraRegionMs: number[] = [];
  for (const [from, row] of aws.latencyMs) {
    for (const [to, latencyMs] of row) {
      if (from === to) {
        intraRegionMs.push(latencyMs);
        continue;
      }
      const a = where.get(from);
      const b = where.get(to);
      if (a && b) pairs.push({ distanceKm: haversineKm(a, b), latencyMs });
    }
  }
  return { pairs, intraRegionMs };
}

/** Latency by distance fitted on the AWS matrix (diagonal excluded), and the diagonal's median. */
export function fitOnAwsMatrix(aws: OfflineDataset): { fit: LatencyByDistanceFit; intraRegionMs: number } {
  const { pairs, intraRegionMs } = awsDistanceLatencyPairs(aws);
  const sorted = [...intraRegionMs].sort((x, y) => x - y);
  return { fit: fitLatencyByDistance(pairs), intraRegionMs: sorted[Math.floor((sorted.length - 1) / 2)]! };
}

/** Parses and checks the Google Cloud files; any malformed field is a CaribouError naming the file and field. */
export function parseGcpDataset(raw: RawGcpDataset, aws: OfflineDataset = loadShippedDataset()): GcpDataset {
  const regions = parseRegions(raw.regions);
  const { fit, intraRegionMs } = fitOnAwsMatrix(aws);
  return { regions, latestCarbon: parseLatestCarbon(raw.carbon), prices: parsePrices(raw.pricing, regions), latencyFit: fit, intraRegionMs };
}

let shipped: GcpDataset | undefined;

/** The Google Cloud dataset shipped with this package, parsed once. */
export function loadShippedGcpDataset(): GcpDataset {
  shipped ??= parseGcpDataset(SHIPPED_RAW_GCP_DATASET);
  return shipped;
}
