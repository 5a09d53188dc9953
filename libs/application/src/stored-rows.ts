import { CaribouError } from '@caribou/domain-common';

/**
 * A framework table row that cannot be read (not JSON, not the shape this version writes):
 * the message names the table, the key (and the field inside the row) and how to recover.
 */
export class StoredRowError extends CaribouError {}

/** What to do about a damaged row of a workflow's tables. */
export const redeployFix = (workflowId: string): string =>
  `remove the workflow (caribou remove ${workflowId}) and deploy it again`;

/**
 * Parses a stored JSON text; `field` names a JSON text nested in a row (as the reference
 * stores `deployed_regions`). Must be a JSON object unless `kind` says otherwise.
 */
export function parseStoredRow<T = Record<string, unknown>>(
  where: { table: string; key: string; field?: string },
  text: unknown,
  fix: string,
  kind: 'object' | 'array' = 'object',
): T {
  const name = `${where.table}[${where.key}]${where.field ? `.${where.field}` : ''}`;
  if (typeof text !== 'string') throw new StoredRowError(`Stored row ${name} is damaged (missing or not text): ${fix}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StoredRowError(`Stored row ${name} is damaged (not JSON: ${(error as Error).message}): ${fix}`);
  }
  const isArray = Array.isArray(value);
  const fits = kind === 'array' ? isArray : typeof value === 'object' && value !== null && !isArray;
  if (!fits) throw new StoredRowError(`Stored row ${name} is damaged (not a JSON ${kind}): ${fix}`);
  return value as T;
}

/**
 * Runs `read` on a row and turns any failure to use it (a missing field read as an object,
 * a wrong type) into a StoredRowError naming the row.
 */
export function readStoredRow<T>(where: { table: string; key: string }, fix: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof CaribouError) throw error;
    throw new StoredRowError(`Stored row ${where.table}[${where.key}] is damaged (${(error as Error).message}): ${fix}`, { cause: error });
  }
}
