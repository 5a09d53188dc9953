import type { CatalogRegion, Geocoder, RegionCatalog, RegionPrices } from '@caribou/ports';
import type { AwsClients } from '../config';
import { fetchLambdaPrices } from './lambda-prices';
import { PricingUnavailableError, type PriceListFetchOptions } from './price-list-api';
import { listEnabledRegions } from './regions';

export interface AwsRegionCatalogOptions {
  /** Known regions (names, coordinates, every price the Pricing API does not give): the shipped dataset. */
  fallback: RegionCatalog;
  /** Places region names when set (Google Geocoding with GOOGLE_API_KEY); otherwise the fallback's coordinates are used. */
  geocoder?: Geocoder;
  priceLists?: PriceListFetchOptions;
  /** Receives one line per fallback taken (shown in the collection report). */
  warn?: (message: string) => void;
}

/**
 * The live provider catalog of reference-system §9.1: the account's enabled regions (EC2
 * DescribeRegions), each placed by geocoding its name, Lambda prices from the AWS price
 * list files. Region names, transfer prices and anything the live sources cannot answer
 * come from the fallback catalog (the shipped dataset), so one unreachable API degrades
 * the data instead of failing the collection.
 */
export class AwsRegionCatalog implements RegionCatalog {
  readonly name = 'aws';

  constructor(
    private readonly clients: AwsClients,
    private readonly options: AwsRegionCatalogOptions,
  ) {}

  async listRegions(): Promise<CatalogRegion[]> {
    const enabled = await listEnabledRegions(this.clients);
    const known = new Map((await this.options.fallback.listRegions()).map((region) => [region.code, region]));
    const regions: CatalogRegion[] = [];
    for (const code of enabled) {
      const base = known.get(code);
      const name = base?.name ?? code;
      let coordinates = base ? { latitude: base.latitude, longitude: base.longitude } : undefined;
      if (this.options.geocoder) {
        try {
          coordinates = await this.options.geocoder.geocode(name);
        } catch (error) {
          this.options.warn?.(`${code}: geocoding "${name}" failed (${error instanceof Error ? error.message : String(error)}); using the shipped coordinates`);
        }
      }
      if (!coordinates) {
        this.options.warn?.(`${code}: no coordinates known and none geocoded; region skipped (set GOOGLE_API_KEY to place it)`);
        continue;
      }
      regions.push({ code, name, ...coordinates });
    }
    return regions;
  }

  async getPrices(codes: readonly string[]): Promise<Map<string, RegionPrices>> {
    const prices = await this.options.fallback.getPrices(codes);
    try {
      const live = await fetchLambdaPrices(this.clients, codes, this.options.priceLists);
      for (const [code, lambda] of Object.entries(live.prices)) prices.set(code, { ...prices.get(code), ...lambda });
      if (live.missingRegions.length > 0) {
        this.options.warn?.(`no AWSLambda price list for ${live.missingRegions.join(', ')}; using the shipped prices`);
      }
    } catch (error) {
      if (!(error instanceof PricingUnavailableError)) throw error;
      this.options.warn?.(`AWS Pricing API unavailable (${error.message}); using the shipped prices`);
    }
    return prices;
  }
}
