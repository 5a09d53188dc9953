import { haversineKm, predictLatencyMs } from '@caribou/domain-collection';
import type { CarbonLocation, CarbonReading, CarbonSource, CatalogRegion, LatencyReading, LatencySource, RegionCatalog, RegionPrices } from '@caribou/ports';
import { loadShippedGcpDataset, type GcpDataset } from './gcp-dataset';
import { pricesOf } from './offline-region-catalog';

/** The 40 Google Cloud regions that run Cloud Run functions, placed at the city Google names, priced by Cloud Run tier. */
export class OfflineGcpRegionCatalog implements RegionCatalog {
  readonly name = 'offline Google Cloud dataset';

  constructor(private readonly dataset: GcpDataset = loadShippedGcpDataset()) {}

  async listRegions(): Promise<CatalogRegion[]> {
    return this.dataset.regions.map(({ code, location, latitude, longitude }) => ({ code, name: location, latitude, longitude }));
  }

  async getPrices(codes: readonly string[]): Promise<Map<string, RegionPrices>> {
    return pricesOf(this.dataset.prices, codes);
  }
}

/**
 * Google's own yearly grid carbon intensity per region (newest published year), the same
 * value at every hour: Google publishes no hourly figures. Operational (direct) basis,
 * while the AWS dataset is lifecycle; a workflow plans within one provider, so regions
 * compared with each other share the basis.
 */
export class OfflineGcpCarbonSource implements CarbonSource {
  readonly name = 'offline Google Cloud dataset';

  constructor(private readonly dataset: GcpDataset = loadShippedGcpDataset()) {}

  async read(location: CarbonLocation): Promise<CarbonReading | undefined> {
    const yearly = this.dataset.latestCarbon.get(location.code);
    if (!yearly) return undefined;
    return {
      data: { kind: 'profile', hourly: new Array<number>(24).fill(yearly.gco2PerKwh), overall: yearly.gco2PerKwh },
      source: `offline:google-region-carbon-${yearly.year}`,
      notes: [`Google Cloud region carbon data ${yearly.year}: grid ${yearly.gco2PerKwh} gCO2eq/kWh (Google CFE ${Math.round(yearly.googleCfe * 100)} %), same value every hour`],
    };
  }
}

/**
 * Inter-region latency of Google Cloud regions, which no public matrix covers: the P50
 * predicted from the great-circle distance by the fit on the AWS cloudping matrix
 * (docs/gcp.md, "Data"); within a region, the AWS matrix's median intra-region value.
 */
export class OfflineGcpLatencySource implements LatencySource {
  readonly name = 'offline Google Cloud dataset';

  constructor(private readonly dataset: GcpDataset = loadShippedGcpDataset()) {}

  async read(fromCode: string, toCode: string): Promise<LatencyReading | undefined> {
    const from = this.dataset.regions.find((region) => region.code === fromCode);
    const to = this.dataset.regions.find((region) => region.code === toCode);
    if (!from || !to) return undefined;
    const p50 = fromCode === toCode ? this.dataset.intraRegionMs : predictLatencyMs(this.dataset.latencyFit, haversineKm(from, to));
    return { observation: { kind: 'percentiles', millis: { p_50: p50 } }, source: 'offline:latency-by-distance', measuredFrom: fromCode, measuredTo: toCode };
  }
}
