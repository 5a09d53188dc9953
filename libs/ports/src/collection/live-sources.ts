import { CaribouError } from '@caribou/domain-common';

/**
 * `CARIBOU_OFFLINE_DATA=1` keeps every collector on the shipped dataset: no live source
 * (Electricity Maps, Google Geocoding, cloudping, the AWS price lists) is composed, even
 * when its key is set. Read by each live source's module, in both apps.
 */
export const OFFLINE_DATA_VARIABLE = 'CARIBOU_OFFLINE_DATA';

/**
 * Whether CARIBOU_OFFLINE_DATA asks for the shipped dataset only. `1`/`true` and `0`/`false` (or
 * unset, empty); anything else is refused, since reading `yes` as "not offline" would quietly
 * call the live sources the user meant to keep out.
 */
export function offlineDataOnly(env: Record<string, string | undefined>): boolean {
  const value = env[OFFLINE_DATA_VARIABLE]?.trim() ?? '';
  if (['1', 'true'].includes(value.toLowerCase())) return true;
  if (['', '0', 'false'].includes(value.toLowerCase())) return false;
  throw new CaribouError(`${OFFLINE_DATA_VARIABLE}=${value} is neither 1 nor 0: set it to 1 to use the shipped dataset only, or unset it for the live sources whose keys are set`);
}
