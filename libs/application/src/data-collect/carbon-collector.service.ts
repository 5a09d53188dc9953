import { Tables } from '@caribou/domain-common';
import {
  WORST_CASE_CARBON_INTENSITY,
  buildCarbonRegionRow,
  flatProfile,
  forecastProfileFromHistory,
  transmissionDistancesKm,
  type HourlyCarbonProfile,
} from '@caribou/domain-collection';
import type { CarbonReading, CarbonSource } from '@caribou/ports';
import type { CollectorReport, RegionCollectionOutcome } from './collection-report';
import { checkProviderName, errorMessage, readAvailableRegions, stampCollector, type AvailableRegion, type CollectorDependencies } from './collector-context';

/**
 * Carbon collector (reference §9.2): for every available region of the provider, asks the
 * carbon source, turns a history into a 24-hour Holt-Winters forecast keyed by UTC hour
 * (or takes a ready profile), and writes carbon_region_table with haversine distances to
 * every available region. Unlike the reference, a region without data is not skipped:
 * it gets 475 gCO2eq/kWh at every hour (the reference's worst case), reported as a
 * fallback, so the solver never meets a region with no carbon row.
 */
export class CarbonCollectorService {
  private readonly provider: string;

  constructor(private readonly deps: CollectorDependencies & { carbonSource: CarbonSource }) {
    this.provider = checkProviderName(deps.provider);
  }

  async collect(): Promise<CollectorReport> {
    const { store, clock, progress, carbonSource } = this.deps;
    return progress.step(`Collecting carbon intensity (${this.provider}) from the ${carbonSource.name}`, async (update) => {
      const warnings: string[] = [];
      const everyRegion = await readAvailableRegions(store);
      const regions = everyRegion.filter((region) => region.key.startsWith(`${this.provider}:`));
      if (regions.length === 0) {
        const warning = `no ${this.provider} regions in ${Tables.availableRegions}: run the provider collector first`;
        warnings.push(warning);
        progress.warn(warning);
      }
      const epochSeconds = clock.now() / 1000;
      const outcomes: RegionCollectionOutcome[] = [];
      for (const region of regions) {
        update(region.key);
        const outcome = await this.profileFor(region);
        const { row, fallbacks } = buildCarbonRegionRow(outcome.profile, transmissionDistancesKm(region, everyRegion));
        await store.put(Tables.carbonRegion, region.key, JSON.stringify(row));
        await stampCollector(store, region.key, 'carbon', epochSeconds);
        outcomes.push({ region: region.key, source: outcome.source, fallbacks: [...outcome.fallbacks, ...fallbacks], notes: outcome.notes });
      }
      return { collector: 'carbon', provider: this.provider, regions: outcomes, warnings, notes: [] };
    });
  }

  private async profileFor(region: AvailableRegion): Promise<{ profile: HourlyCarbonProfile; source: string; fallbacks: string[]; notes: string[] }> {
    let reading: CarbonReading | undefined;
    const notes: string[] = [];
    try {
      reading = await this.deps.carbonSource.read({ code: region.code, latitude: region.latitude, longitude: region.longitude });
    } catch (error) {
      notes.push(`${this.deps.carbonSource.name} failed: ${errorMessage(error)}`);
    }
    if (reading) {
      notes.push(...reading.notes);
      if (reading.data.kind === 'profile') {
        const hourly = reading.data.hourly.map((value) => (value === null ? undefined : value));
        return { profile: { overall: reading.data.overall, hourly }, source: reading.source, fallbacks: [], notes };
      }
      const forecast = forecastProfileFromHistory(reading.data.points);
      if (forecast) {
        if (forecast.method === 'holt-winters') notes.push(`Holt-Winters α=${forecast.alpha!.toFixed(3)} γ=${forecast.gamma!.toFixed(3)}`);
        return { profile: forecast, source: `${reading.source}+${forecast.method}`, fallbacks: [], notes };
      }
      notes.push(`${reading.source} returned a history without values`);
    }
    return {
      profile: flatProfile(WORST_CASE_CARBON_INTENSITY),
      source: 'fallback:worst-case-475',
      fallbacks: [`no carbon data → ${WORST_CASE_CARBON_INTENSITY} gCO2eq/kWh every hour (worst case)`],
      notes,
    };
  }
}
