import type { CarbonIntensityPoint } from '@caribou/domain-collection';

export type { CarbonIntensityPoint } from '@caribou/domain-collection';

/** Where a region is, for carbon look-ups: live APIs locate by coordinates, the dataset by code. */
export interface CarbonLocation {
  code: string;
  latitude: number;
  longitude: number;
}

/**
 * What a carbon source knows about one region, in gCO2eq/kWh:
 *  - `history`: an hourly series; the collector forecasts the next 24 h from it (Holt-Winters);
 *  - `profile`: a ready hour-of-day profile, `hourly[h]` for UTC hour h (null = unknown),
 *    plus the overall value (e.g. the dataset's climatology or an annual average).
 */
export type CarbonIntensityData =
  | { kind: 'history'; points: CarbonIntensityPoint[] }
  | { kind: 'profile'; hourly: ReadonlyArray<number | null>; overall: number };

export interface CarbonReading {
  data: CarbonIntensityData;
  /** Short, groupable name of what produced the data, e.g. `electricity-maps:history` or `offline:yearly-2025`. */
  source: string;
  /** Human detail, e.g. the zone and year, or why a fallback was taken. */
  notes: string[];
}

/**
 * Carbon intensity per region. Resolves undefined when the source has no data for the
 * region (the collector then writes its documented fallback); rejects when the source
 * itself fails or refuses (bad token, rate limit exhausted, malformed answer).
 */
export interface CarbonSource {
  readonly name: string;
  read(location: CarbonLocation): Promise<CarbonReading | undefined>;
}
