/**
 * Tolerant readers for stored rows. The reference falls back to a default whenever a key is
 * missing at any depth; these helpers do the same and also treat wrongly typed values as missing.
 */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectAt(value: unknown, ...path: string[]): JsonObject | undefined {
  let current: unknown = value;
  for (const key of path) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return isObject(current) ? current : undefined;
}

export function valueAt(value: unknown, ...path: string[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

export function numberAt(value: unknown, fallback: number, ...path: string[]): number {
  const found = valueAt(value, ...path);
  return typeof found === 'number' && Number.isFinite(found) ? found : fallback;
}

/** A list of finite numbers at `path`, or undefined when absent or not such a list. */
export function numberListAt(value: unknown, ...path: string[]): number[] | undefined {
  const found = valueAt(value, ...path);
  if (!Array.isArray(found)) return undefined;
  return found.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
}
