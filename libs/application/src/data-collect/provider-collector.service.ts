import { CaribouError, Tables } from '@caribou/domain-common';
import { buildAvailableRegionRow, buildProviderRegionRow, type RegionPrices } from '@caribou/domain-collection';
import type { RegionCatalog } from '@caribou/ports';
import type { CollectorReport, RegionCollectionOutcome } from './collection-report';
import { checkProviderName, errorMessage, stampCollector, type CollectorDependencies } from './collector-context';

/**
 * Provider collector (reference §9.1): lists the catalog's regions into
 * available_regions_table (`{name, provider, code, latitude, longitude}`) and writes each
 * region's prices and energy constants into provider_region_table. Prices the catalog
 * lacks get the reference's defaults; a catalog whose price source fails still yields
 * rows (all defaults) with a warning. provider_table stays empty, as in the reference.
 */
export class ProviderCollectorService {
  private readonly provider: string;

  constructor(private readonly deps: CollectorDependencies & { catalog: RegionCatalog }) {
    this.provider = checkProviderName(deps.provider);
  }

  async collect(): Promise<CollectorReport> {
    const { store, clock, progress, catalog } = this.deps;
    return progress.step(`Collecting regions and prices (${this.provider}) from the ${catalog.name}`, async (update) => {
      const warnings: string[] = [];
      const regions = await catalog.listRegions();
      for (const region of regions) {
        if (!region.code || region.code.includes(':')) throw new CaribouError(`${catalog.name} listed a region with code '${region.code}': codes must be non-empty and contain no ':'`);
      }
      if (regions.length === 0) {
        warnings.push(`${catalog.name} listed no regions`);
        progress.warn(`${catalog.name} listed no regions: nothing to collect`);
      }
      let prices = new Map<string, RegionPrices>();
      try {
        prices = await catalog.getPrices(regions.map((region) => region.code));
      } catch (error) {
        const warning = `prices unavailable from ${catalog.name} (${errorMessage(error)}): every region gets the reference's default prices`;
        warnings.push(warning);
        progress.warn(warning);
      }
      const epochSeconds = clock.now() / 1000;
      const outcomes: RegionCollectionOutcome[] = [];
      const uncovered = new Set<string>();
      for (const region of regions) {
        const key = `${this.provider}:${region.code}`;
        update(key);
        await store.put(Tables.availableRegions, key, JSON.stringify(buildAvailableRegionRow(this.provider, region)));
        const regionPrices = prices.get(region.code);
        const { row, fallbacks, uncoveredCategories } = buildProviderRegionRow(region.code, regionPrices);
        for (const category of uncoveredCategories) uncovered.add(category);
        await store.put(Tables.providerRegion, key, JSON.stringify(row));
        await stampCollector(store, key, 'provider', epochSeconds);
        outcomes.push({
          region: key,
          source: regionPrices?.source ?? (regionPrices ? catalog.name : 'defaults (no prices)'),
          fallbacks,
          notes: [],
        });
      }
      const notes = [...uncovered].map((category) => `${catalog.name} has no ${category} prices: the solver defaults are written for every region`);
      return { collector: 'provider', provider: this.provider, regions: outcomes, warnings, notes };
    });
  }
}
