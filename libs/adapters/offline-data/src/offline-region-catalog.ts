import type { CatalogRegion, RegionCatalog, RegionPrices } from '@caribou/ports';
import { loadShippedDataset, type OfflineDataset } from './dataset';

/**
 * The 34 AWS regions with a Lambda endpoint, their coordinates (Electricity Maps'
 * data-centre points) and prices (Lambda, data transfer, SNS) from the shipped files.
 * Regions without a published price carry nulls; the collector fills them with the
 * reference's defaults.
 */
export class OfflineRegionCatalog implements RegionCatalog {
  readonly name = 'offline dataset';

  constructor(private readonly dataset: OfflineDataset = loadShippedDataset()) {}

  async listRegions(): Promise<CatalogRegion[]> {
    return this.dataset.regions.map(({ code, name, latitude, longitude }) => ({ code, name, latitude, longitude }));
  }

  async getPrices(codes: readonly string[]): Promise<Map<string, RegionPrices>> {
    return pricesOf(this.dataset.prices, codes);
  }
}

/** The shipped prices of the regions asked for that have them, as copies a collector may change. */
export function pricesOf(shipped: ReadonlyMap<string, RegionPrices>, codes: readonly string[]): Map<string, RegionPrices> {
  const prices = new Map<string, RegionPrices>();
  for (const code of codes) {
    const entry = shipped.get(code);
    if (entry) prices.set(code, structuredClone(entry));
  }
  return prices;
}
