import { CaribouError } from './errors';

/**
 * One Cloud Run functions Node.js runtime and its support dates (UTC days). After
 * `deprecation` functions still deploy but get no patches; from `decommission` Google refuses
 * to create or update functions with it.
 */
export interface GoogleNodeRuntime {
  id: string;
  nodeMajor: number;
  deprecation: string;
  decommission: string;
}

/**
 * The Node.js rows of Google's runtime support schedule, "Cloud Run functions runtimes"
 * (https://cloud.google.com/run/docs/runtimes/function-runtimes, "Runtime support schedule",
 * and https://cloud.google.com/functions/docs/runtime-support for what the dates mean),
 * checked 2026-12-07; see libs/adapters/offline-data/data/SOURCES.md §Cloud Run functions
 * runtimes. `nodejs26` is in Preview (not deployed by Caribou); `nodejs18` and older are
 * decommissioned and left out: an unlisted runtime is refused too.
 */
export const GOOGLE_NODE_RUNTIMES: readonly GoogleNodeRuntime[] = [
  { id: 'nodejs20', nodeMajor: 20, deprecation: '2026-04-30', decommission: '2026-10-30' },
  { id: 'nodejs22', nodeMajor: 22, deprecation: '2027-04-30', decommission: '2027-10-31' },
  { id: 'nodejs24', nodeMajor: 24, deprecation: '2028-04-30', decommission: '2028-10-31' },
];

/** The runtime of every Cloud Run function Caribou creates unless the config names another. */
export const DEFAULT_GOOGLE_RUNTIME = 'nodejs24';

/** Where a project config names the runtime of its Google Cloud functions. */
export const PROJECT_GOOGLE_RUNTIME_FIELD = 'regions_and_providers.providers.gcp.config.runtime';

const dayMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);

/** Runtimes Google still creates functions with at `nowMs`. */
export function supportedGoogleRuntimes(nowMs: number): string[] {
  return GOOGLE_NODE_RUNTIMES.filter((row) => nowMs < dayMs(row.decommission)).map((row) => row.id);
}

/**
 * Refuses a runtime Google has decommissioned at `nowMs`, or one not in the table, in one line
 * naming `field` and the supported values; warns when it is deprecated.
 */
export function checkGoogleRuntime(runtime: unknown, nowMs: number, field: string): { runtime: GoogleNodeRuntime; warning?: string } {
  const supported = supportedGoogleRuntimes(nowMs);
  const use = `use one of ${supported.join(', ')}`;
  const row = GOOGLE_NODE_RUNTIMES.find((candidate) => candidate.id === runtime);
  if (!row) {
    const shown = typeof runtime === 'string' ? runtime : JSON.stringify(runtime);
    throw new CaribouError(`${field}: ${shown} is not a Cloud Run functions Node.js runtime Caribou deploys to; ${use}`);
  }
  if (nowMs >= dayMs(row.decommission)) {
    throw new CaribouError(`${field}: ${row.id} is decommissioned by Google Cloud since ${row.decommission} (no new functions, no updates); ${use}`);
  }
  if (nowMs >= dayMs(row.deprecation)) {
    const newer = supported.filter((id) => id !== row.id);
    return { runtime: row, warning: `${field}: ${row.id} is deprecated by Google Cloud since ${row.deprecation}; it is decommissioned on ${row.decommission}${newer.length > 0 ? `, move to ${newer.at(-1)}` : ''}` };
  }
  return { runtime: row };
}

/** The Cloud Run functions runtime of a project's gcp functions: `providers.gcp.config.runtime`, else the default, checked at `nowMs`. */
export function projectGoogleRuntime(config: { regions_and_providers: { providers: Record<string, { config: Record<string, unknown> }> } }, nowMs: number): { runtime: GoogleNodeRuntime; warning?: string } {
  return checkGoogleRuntime(config.regions_and_providers.providers['gcp']?.config['runtime'] ?? DEFAULT_GOOGLE_RUNTIME, nowMs, PROJECT_GOOGLE_RUNTIME_FIELD);
}
