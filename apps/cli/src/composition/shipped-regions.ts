import { loadShippedDataset } from '@caribou/adapter-offline-data';

/** Region codes of the shipped dataset: a project's aws/local regions must be among them. */
export function shippedRegionCodes(): ReadonlySet<string> {
  return new Set(loadShippedDataset().regions.map((region) => region.code));
}
