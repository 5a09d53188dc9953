/**
 * `CARIBOU_OFFLINE_DATA=1` keeps every collector on the shipped dataset: no live source
 * (Electricity Maps, Google Geocoding, cloudping, the AWS price lists) is composed, even
 * when its key is set. Read by each live source's module, in both apps.
 */
export const OFFLINE_DATA_VARIABLE = 'CARIBOU_OFFLINE_DATA';

export function offlineDataOnly(env: Record<string, string | undefined>): boolean {
  return env[OFFLINE_DATA_VARIABLE]?.trim() === '1';
}
