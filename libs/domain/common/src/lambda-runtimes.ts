import { CaribouError } from './errors';

/**
 * One AWS Lambda Node.js runtime and the dates of its deprecation schedule (UTC days). After
 * `deprecation` the runtime still runs but gets no patches; from `blockCreate` Lambda refuses
 * CreateFunction with it, from `blockUpdate` also UpdateFunctionCode/Configuration.
 */
export interface LambdaNodeRuntime {
  id: string;
  nodeMajor: number;
  deprecation: string;
  blockCreate: string;
  blockUpdate: string;
}

/**
 * The Node.js rows of the AWS Lambda runtime table, "Lambda runtimes"
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html), checked 2026-12-03; see
 * libs/adapters/offline-data/data/SOURCES.md §Lambda runtimes. Older Node.js runtimes (18.x and
 * before) have been blocked for years and are not listed: an unlisted runtime is refused too.
 */
export const LAMBDA_NODE_RUNTIMES: readonly LambdaNodeRuntime[] = [
  { id: 'nodejs20.x', nodeMajor: 20, deprecation: '2026-04-30', blockCreate: '2026-08-31', blockUpdate: '2026-09-30' },
  { id: 'nodejs22.x', nodeMajor: 22, deprecation: '2027-04-30', blockCreate: '2027-06-01', blockUpdate: '2027-07-01' },
  { id: 'nodejs24.x', nodeMajor: 24, deprecation: '2028-04-30', blockCreate: '2028-06-01', blockUpdate: '2028-07-01' },
];

/** The runtime of every Lambda function Caribou creates unless the config (or `--runtime`) names another. */
export const DEFAULT_LAMBDA_RUNTIME = 'nodejs24.x';

const dayMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);

/** Runtimes Lambda still lets us create functions with at `nowMs`. */
export function supportedLambdaRuntimes(nowMs: number): string[] {
  return LAMBDA_NODE_RUNTIMES.filter((row) => nowMs < dayMs(row.blockCreate)).map((row) => row.id);
}

export interface CheckedLambdaRuntime {
  runtime: LambdaNodeRuntime;
  /** Set when the runtime is deprecated: it still deploys, but not for long. */
  warning?: string;
}

/**
 * Refuses a runtime Lambda blocks at `nowMs` (creating functions, which a deploy or a migration
 * may do in any region) or that is not a Node.js runtime of the table, in one line naming
 * `field` and the supported values; warns when it is deprecated.
 */
export function checkLambdaRuntime(runtime: unknown, nowMs: number, field: string): CheckedLambdaRuntime {
  const supported = supportedLambdaRuntimes(nowMs);
  const use = `use one of ${supported.join(', ')}`;
  const row = LAMBDA_NODE_RUNTIMES.find((candidate) => candidate.id === runtime);
  if (!row) {
    const shown = typeof runtime === 'string' ? runtime : JSON.stringify(runtime);
    throw new CaribouError(`${field}: ${shown} is not a Lambda Node.js runtime Caribou deploys to; ${use}`);
  }
  if (nowMs >= dayMs(row.blockCreate)) {
    throw new CaribouError(`${field}: ${row.id} is blocked by AWS Lambda (no new functions since ${row.blockCreate}, no updates since ${row.blockUpdate}); ${use}`);
  }
  if (nowMs >= dayMs(row.deprecation)) {
    const newer = supported.filter((id) => id !== row.id);
    return {
      runtime: row,
      warning: `${field}: ${row.id} is deprecated by AWS Lambda since ${row.deprecation}; creating functions with it is blocked from ${row.blockCreate}${newer.length > 0 ? `, move to ${newer.at(-1)}` : ''}`,
    };
  }
  return { runtime: row };
}

/** esbuild's target for code that runs on `runtime` (`node24` for `nodejs24.x`). */
export function esbuildTargetOf(runtime: string): string {
  const row = LAMBDA_NODE_RUNTIMES.find((candidate) => candidate.id === runtime);
  if (!row) throw new CaribouError(`${runtime} is not a Lambda Node.js runtime; use one of ${LAMBDA_NODE_RUNTIMES.map((r) => r.id).join(', ')}`);
  return `node${row.nodeMajor}`;
}

/** Where a project config names the runtime of its AWS functions. */
export const PROJECT_RUNTIME_FIELD = 'regions_and_providers.providers.aws.config.runtime';

/**
 * The Lambda runtime of a project's AWS functions, checked at `nowMs`: the config's
 * `providers.aws.config.runtime`, else the default. Undefined when the project does not name aws.
 */
export function projectLambdaRuntime(
  config: { regions_and_providers: { providers: Record<string, { config: Record<string, unknown> }> }; home_region: { provider: string } },
  nowMs: number,
): CheckedLambdaRuntime | undefined {
  const aws = config.regions_and_providers.providers['aws'];
  if (!aws && config.home_region.provider !== 'aws') return undefined;
  return checkLambdaRuntime(aws?.config['runtime'] ?? DEFAULT_LAMBDA_RUNTIME, nowMs, PROJECT_RUNTIME_FIELD);
}
