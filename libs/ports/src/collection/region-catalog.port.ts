import type { RegionPrices } from '@caribou/domain-collection';

export type { LambdaPrice, RegionPrices } from '@caribou/domain-collection';

/** A region a provider offers, with the point used for distances and carbon look-ups. */
export interface CatalogRegion {
  /** The provider's region code, e.g. `eu-south-1`. */
  code: string;
  /** Display name, e.g. `Europe (Milan)`. */
  name: string;
  latitude: number;
  longitude: number;
}

/**
 * Which regions exist and what they cost. The offline dataset answers from files; an AWS
 * implementation lists enabled regions (EC2 DescribeRegions), places them (a Geocoder)
 * and prices them from the AWS price-list files, which cover all regions at once — hence
 * one batched price call rather than one per region.
 */
export interface RegionCatalog {
  /** Short name for reports, e.g. `offline dataset` or `aws`. */
  readonly name: string;
  listRegions(): Promise<CatalogRegion[]>;
  /**
   * Prices of the given region codes. A code the catalog cannot price is absent from
   * the map, and unknown figures inside a present entry are null: the collector fills
   * both with the reference's defaults. Throws only when the source itself fails.
   */
  getPrices(codes: readonly string[]): Promise<Map<string, RegionPrices>>;
}
