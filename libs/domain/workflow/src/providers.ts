/**
 * Providers a project config may name. `local` (our embedded platform) and `aws` are the
 * ones we deploy to; `gcp`, `provider1`, `provider2` and `IntegrationTestProvider` are the
 * reference's other enum values, accepted so its configs and test cases carry over.
 */
export const SUPPORTED_PROVIDERS = ['aws', 'local', 'gcp', 'provider1', 'provider2', 'IntegrationTestProvider'] as const;

export type SupportedProvider = (typeof SUPPORTED_PROVIDERS)[number];

/** Providers whose `config` must carry integer `memory` (MB) and `timeout` (s): the deploy sizes functions from them. */
export const PROVIDERS_NEEDING_MEMORY_AND_TIMEOUT: ReadonlySet<string> = new Set(['aws', 'local', 'provider1']);

export function isSupportedProvider(provider: unknown): provider is SupportedProvider {
  return typeof provider === 'string' && (SUPPORTED_PROVIDERS as readonly string[]).includes(provider);
}

/**
 * Function sizes the platforms accept (AWS Lambda: 128–10,240 MB, 1–900 s; the local provider
 * simulates Lambda). Outside them a deploy fails at the platform or, locally, runs a function
 * no real region could.
 */
export const MEMORY_AND_TIMEOUT_RANGES: Readonly<Record<string, { memoryMb: [number, number]; timeoutS: [number, number] }>> = {
  aws: { memoryMb: [128, 10_240], timeoutS: [1, 900] },
  local: { memoryMb: [128, 10_240], timeoutS: [1, 900] },
  // Cloud Run functions: 128 MiB–32 GiB, HTTP functions up to 60 minutes (https://cloud.google.com/functions/docs/configuring/memory, .../timeout).
  gcp: { memoryMb: [128, 32_768], timeoutS: [1, 3_600] },
};

/** Google Cloud project ids: 6–30 characters, lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen. */
const GCP_PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

/** The first problem with `providers.gcp.config`'s own keys (`project` optional; `runtime` checked against the dates at deploy). */
export function gcpConfigProblem(config: Record<string, unknown>): { key: 'project' | 'runtime' | 'memory' | 'timeout'; message: string } | undefined {
  // Optional here (the reference's configs name gcp without them; the deploy defaults to 128 MB and 60 s), in Cloud Run's ranges when given.
  const given = Object.fromEntries(Object.entries({ memory: 128, timeout: 60 }).map(([key, fallback]) => [key, config[key] ?? fallback]));
  const sizes = memoryAndTimeoutProblem('gcp', given);
  if (sizes) return sizes;
  const project = config['project'];
  if (project !== undefined && project !== null && (typeof project !== 'string' || !GCP_PROJECT_ID.test(project))) {
    return { key: 'project', message: `must be a Google Cloud project id (6–30 lowercase letters, digits, hyphens, starting with a letter), got ${JSON.stringify(project)}; leave it out to use CARIBOU_GCP_PROJECT` };
  }
  const runtime = config['runtime'];
  if (runtime !== undefined && runtime !== null && typeof runtime !== 'string') {
    return { key: 'runtime', message: `must be a Cloud Run functions runtime such as nodejs24, got ${JSON.stringify(runtime)}` };
  }
  return undefined;
}

/** The first problem with a provider's `memory`/`timeout`, naming the key, or undefined. */
export function memoryAndTimeoutProblem(provider: string, config: Record<string, unknown>): { key: 'memory' | 'timeout'; message: string } | undefined {
  for (const key of ['memory', 'timeout'] as const) {
    if (!Number.isInteger(config[key])) return { key, message: `The 'config' dictionary must contain '${key}' key with an integer value` };
  }
  const ranges = MEMORY_AND_TIMEOUT_RANGES[provider];
  if (!ranges) return undefined;
  const checks = [
    ['memory', ranges.memoryMb, 'MB'],
    ['timeout', ranges.timeoutS, 'seconds'],
  ] as const;
  for (const [key, [min, max], unit] of checks) {
    const value = config[key] as number;
    if (value < min || value > max) return { key, message: `must be between ${min} and ${max} ${unit} on ${provider} (got ${value})` };
  }
  return undefined;
}

/** How the platform treats a failed asynchronous invocation of a function copy. */
export interface AsyncInvocationSettings {
  /** Retries after the first failed attempt (Lambda: 0–2). */
  retryAttempts: number;
  /** How long an event may wait in the platform's queue, seconds (Lambda: 60–21,600). */
  maximumEventAgeSeconds: number;
}

/** Lambda's own defaults: two retries, six hours. */
export const DEFAULT_ASYNC_INVOCATION: AsyncInvocationSettings = { retryAttempts: 2, maximumEventAgeSeconds: 21_600 };

/** `providers.<p>.config` keys of the async-invocation settings and the ranges Lambda accepts. */
const ASYNC_INVOCATION_KEYS = {
  retry_attempts: { min: 0, max: 2, unit: 'retries' },
  maximum_event_age: { min: 60, max: 21_600, unit: 'seconds' },
} as const;

/** The first problem with a provider's `retry_attempts`/`maximum_event_age` (both optional), naming the key. */
export function asyncInvocationProblem(config: Record<string, unknown>): { key: keyof typeof ASYNC_INVOCATION_KEYS; message: string } | undefined {
  for (const [key, { min, max, unit }] of Object.entries(ASYNC_INVOCATION_KEYS) as Array<[keyof typeof ASYNC_INVOCATION_KEYS, { min: number; max: number; unit: string }]>) {
    const value = config[key];
    if (value === undefined || value === null) continue;
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
      return { key, message: `must be an integer from ${min} to ${max} ${unit} (got ${JSON.stringify(value)}); remove it for the default (${key === 'retry_attempts' ? DEFAULT_ASYNC_INVOCATION.retryAttempts : DEFAULT_ASYNC_INVOCATION.maximumEventAgeSeconds})` };
    }
  }
  return undefined;
}

/** A provider config's async-invocation settings, defaults filled in (the config was validated). */
export function asyncInvocationOf(config: Record<string, unknown>): AsyncInvocationSettings {
  const retries = config['retry_attempts'];
  const age = config['maximum_event_age'];
  return {
    retryAttempts: Number.isInteger(retries) ? (retries as number) : DEFAULT_ASYNC_INVOCATION.retryAttempts,
    maximumEventAgeSeconds: Number.isInteger(age) ? (age as number) : DEFAULT_ASYNC_INVOCATION.maximumEventAgeSeconds,
  };
}

/** The retentions CloudWatch Logs accepts (PutRetentionPolicy), days. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** How long a function copy's log lines are kept when `log_retention_days` is not set: a month covers every log sync and report. */
export const DEFAULT_LOG_RETENTION_DAYS = 30;

/** The problem with a provider's `log_retention_days` (optional), naming the key and the values allowed. */
export function logRetentionProblem(config: Record<string, unknown>): { key: 'log_retention_days'; message: string } | undefined {
  const value = config['log_retention_days'];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && (LOG_RETENTION_DAYS as readonly number[]).includes(value)) return undefined;
  return {
    key: 'log_retention_days',
    message: `must be one of ${LOG_RETENTION_DAYS.join(', ')} days (got ${JSON.stringify(value)}); remove it for the default (${DEFAULT_LOG_RETENTION_DAYS})`,
  };
}

/** A provider config's log retention in days, the default filled in (the config was validated). */
export function logRetentionDaysOf(config: Record<string, unknown>): number {
  const value = config['log_retention_days'];
  return typeof value === 'number' && (LOG_RETENTION_DAYS as readonly number[]).includes(value) ? value : DEFAULT_LOG_RETENTION_DAYS;
}
