import { CaribouError } from '@caribou/domain-common';

/** Field checks of the shipped JSON files: a broken copy is one line naming the file and field. */
export type Json = Record<string, unknown>;

export function fail(file: string, field: string, expected: string): never {
  throw new CaribouError(`offline dataset ${file}: ${field} ${expected}; restore the file from libs/adapters/offline-data/data (see SOURCES.md)`);
}

export function object(value: unknown, file: string, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(file, field, 'must be an object');
  return value as Json;
}

export function array(value: unknown, file: string, field: string): unknown[] {
  if (!Array.isArray(value)) fail(file, field, 'must be a list');
  return value;
}

export function text(value: unknown, file: string, field: string): string {
  if (typeof value !== 'string' || value === '') fail(file, field, 'must be a non-empty string');
  return value;
}

export function number(value: unknown, file: string, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(file, field, 'must be a number');
  return value;
}

export function optionalNumber(value: unknown, file: string, field: string): number | null {
  if (value === null || value === undefined) return null;
  return number(value, file, field);
}

export function hours(value: unknown, file: string, field: string): number[] {
  const list = array(value, file, field);
  if (list.length !== 24) fail(file, field, 'must list 24 hourly values');
  return list.map((v, hour) => number(v, file, `${field}[${hour}]`));
}

