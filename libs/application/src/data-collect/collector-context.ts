import { CaribouError, Tables } from '@caribou/domain-common';
import { availableRegionOf, type AvailableRegionRow } from '@caribou/domain-collection';
import type { Clock, KeyValueStore, ProgressReporter } from '@caribou/ports';
import { readRows } from '../stored-rows';

/** What every region collector needs besides its data source. */
export interface CollectorDependencies {
  store: KeyValueStore;
  clock: Clock;
  progress: ProgressReporter;
  /**
   * Provider whose rows this collector writes: `local` for the embedded provider (its
   * regions carry real AWS codes, `local:us-east-1`, so the AWS data applies) or `aws`.
   */
  provider: string;
}

export interface AvailableRegion extends AvailableRegionRow {
  key: string;
}

/** Provider names become key prefixes: no `:` (key separator) and no `_` (the reference forbids it). */
export function checkProviderName(provider: string): string {
  if (!/^[a-z0-9-]+$/i.test(provider)) {
    throw new CaribouError(`provider name '${provider}' is not usable as a region-key prefix: use letters, digits and '-' only (e.g. local, aws)`);
  }
  return provider;
}

/** All rows of available_regions_table, in table order (the reference reads every provider's regions). */
export async function readAvailableRegions(store: KeyValueStore): Promise<AvailableRegion[]> {
  return (await readRows(store, Tables.availableRegions)).map(([key, row]) => ({ key, ...availableRegionOf(key, row) }));
}

/** Stamps the collector's column (`provider_collector`, …) with the run time in epoch seconds, as the reference. */
export async function stampCollector(store: KeyValueStore, regionKey: string, collector: string, epochSeconds: number): Promise<void> {
  await store.setNumericAttributes(Tables.availableRegions, regionKey, { [`${collector}_collector`]: epochSeconds });
}

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
