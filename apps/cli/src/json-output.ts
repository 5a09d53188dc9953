/**
 * `--json` keys are snake_case on every command, as the reference's tables are; the reports of
 * log_sync and manage_deployments are camelCase objects and go through this. Keys of data maps
 * (instance names, region keys, hours) are the user's or the platform's names and stay as they
 * are; their values are still converted.
 */
// manage_deployments' hour reports: instance → "provider:region".
const DATA_MAPS = new Set(['placement']);

const snake = (key: string): string => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

export function snakeCaseKeys(value: unknown, keysAreData = false): unknown {
  if (Array.isArray(value)) return value.map((item) => snakeCaseKeys(item));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => {
      const name = keysAreData ? key : snake(key);
      return [name, snakeCaseKeys(child, DATA_MAPS.has(name))];
    }),
  );
}
