import { CaribouError } from '@caribou/domain-common';
import type { LambdaPrice, RegionPrices } from '@caribou/domain-collection';
import type { AwsClients } from '../config';
import { fetchPriceListFiles, type PriceListFetchOptions } from './price-list-api';

/** What one price-list file says about Lambda: prices per architecture and the monthly free tier. */
export type LambdaRegionPrices = Required<Pick<RegionPrices, 'lambda' | 'freeTier' | 'source'>>;

interface PriceDimension {
  beginRange?: string;
  endRange?: string;
  unit?: string;
  pricePerUnit?: Record<string, string>;
}
interface PriceListFile {
  products?: Record<string, { sku?: string; attributes?: Record<string, string> }>;
  terms?: { OnDemand?: Record<string, Record<string, { priceDimensions?: Record<string, PriceDimension> }>> };
}

const GROUPS = {
  x86Requests: 'AWS-Lambda-Requests',
  x86Duration: 'AWS-Lambda-Duration',
  armRequests: 'AWS-Lambda-Requests-ARM',
  armDuration: 'AWS-Lambda-Duration-ARM',
} as const;

/** Dimensions of a SKU's first on-demand term, in file order. */
function dimensions(file: PriceListFile, sku: string | undefined): PriceDimension[] {
  if (!sku) return [];
  const terms = file.terms?.OnDemand?.[sku];
  const first = terms ? Object.values(terms)[0] : undefined;
  return first?.priceDimensions ? Object.values(first.priceDimensions) : [];
}

function usd(dimension: PriceDimension | undefined): number | null {
  const text = dimension?.pricePerUnit?.USD;
  if (text === undefined) return null;
  const value = Number.parseFloat(text);
  return Number.isFinite(value) ? value : null;
}

/** The tier that applies to the first unit of use: beginRange ≤ 0 ≤ endRange (or Inf), as the reference. */
function firstTierUsd(all: PriceDimension[]): number | null {
  const tier = all.find((dimension) => Number(dimension.beginRange ?? 0) <= 0 && (dimension.endRange === 'Inf' || Number(dimension.endRange ?? 'Infinity') >= 0));
  return usd(tier ?? all[0]);
}

function endRange(all: PriceDimension[]): number | null {
  const end = all[0]?.endRange;
  if (end === undefined || end === 'Inf') return null;
  const value = Number(end);
  return Number.isFinite(value) ? value : null;
}

/**
 * Lambda prices of one region from its AWSLambda price-list file (spec §9.1 item 2):
 * SKUs by `attributes.group` with a real location; the free tier is the `endRange` of the
 * `location == "Any"` Requests / Duration SKUs; a region without ARM SKUs prices ARM at 0
 * (not offered). Unlike the reference, a missing x86 SKU or free tier yields null (the
 * collector's defaults apply) instead of a KeyError, and products without a group are skipped.
 */
export function parseLambdaPriceList(json: unknown, regionCode: string): LambdaRegionPrices {
  if (!json || typeof json !== 'object' || typeof (json as PriceListFile).products !== 'object') {
    throw new CaribouError(`The AWSLambda price list of ${regionCode} has no products; the file format may have changed`);
  }
  const file = json as PriceListFile;
  const regional: Partial<Record<keyof typeof GROUPS, string>> = {};
  const freeTier: { requests?: string; duration?: string } = {};
  for (const [key, product] of Object.entries(file.products ?? {})) {
    const attributes = product.attributes ?? {};
    const sku = product.sku ?? key;
    if (attributes.location === 'Any') {
      if (attributes.group === GROUPS.x86Requests) freeTier.requests ??= sku;
      if (attributes.group === GROUPS.x86Duration) freeTier.duration ??= sku;
      continue;
    }
    if (attributes.regionCode && attributes.regionCode !== regionCode) continue;
    for (const [name, group] of Object.entries(GROUPS) as Array<[keyof typeof GROUPS, string]>) {
      if (attributes.group === group) regional[name] ??= sku;
    }
  }
  const price = (requests: string | undefined, duration: string | undefined, absent: number | null): LambdaPrice => ({
    requestUsd: requests ? usd(dimensions(file, requests)[0]) : absent,
    gbSecondUsd: duration ? firstTierUsd(dimensions(file, duration)) : absent,
  });
  const freeRequests = endRange(dimensions(file, freeTier.requests));
  const freeGbSeconds = endRange(dimensions(file, freeTier.duration));
  return {
    lambda: {
      x86_64: price(regional.x86Requests, regional.x86Duration, null),
      arm64: price(regional.armRequests, regional.armDuration, 0),
    },
    freeTier: freeRequests !== null && freeGbSeconds !== null ? { requests: freeRequests, gbSeconds: freeGbSeconds } : null,
    source: `AWS Pricing API price list AWSLambda/${regionCode}`,
  };
}

/**
 * Live Lambda prices for the regions (Pricing API in us-east-1). Throws
 * PricingUnavailableError when the API or a file cannot be read; regions the API has no
 * price list for are listed in `missingRegions`.
 */
export async function fetchLambdaPrices(
  clients: AwsClients,
  regionCodes: readonly string[],
  options: PriceListFetchOptions = {},
): Promise<{ prices: Record<string, LambdaRegionPrices>; missingRegions: string[] }> {
  const files = await fetchPriceListFiles(clients, 'AWSLambda', regionCodes, options);
  const prices: Record<string, LambdaRegionPrices> = {};
  for (const [region, file] of files) prices[region] = parseLambdaPriceList(file, region);
  return { prices, missingRegions: regionCodes.filter((region) => !files.has(region)) };
}
