import { CaribouError } from '@caribou/domain-common';
import type { RemoteFrameworkSettings } from '@caribou/ports';

export type { RemoteFrameworkSettings } from '@caribou/ports';

/** Memory, timeout and /tmp of the `caribou_cli` function (reference defaults, spec §1.2). */
export const REMOTE_FRAMEWORK_DEFAULTS: RemoteFrameworkSettings = { memoryMb: 1769, timeoutSeconds: 900, ephemeralStorageMb: 5120 };

/** Throws the reference's message for the first setting outside Lambda's limits. */
export function validateRemoteFrameworkSettings(settings: RemoteFrameworkSettings): void {
  const { memoryMb, timeoutSeconds, ephemeralStorageMb } = settings;
  if (!Number.isInteger(memoryMb) || memoryMb < 128 || memoryMb > 10240) throw new CaribouError('Memory must be between 128 and 10240 MB.');
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 900) throw new CaribouError('Timeout must be between 1 and 900 seconds.');
  if (!Number.isInteger(ephemeralStorageMb) || ephemeralStorageMb < 512 || ephemeralStorageMb > 10240) {
    throw new CaribouError('Ephemeral Storage must be between 512 and 10240 MB.');
  }
}

/**
 * API keys the remote framework's live collectors use. They live only in SSM Parameter Store
 * (SecureString, `/<install>/<NAME>` in the system region): never in the bundle, a Lambda
 * environment variable, a log line or a table. The function reads them when it starts.
 */
export const REMOTE_SECRET_NAMES = ['ELECTRICITY_MAPS_AUTH_TOKEN', 'GOOGLE_API_KEY'] as const;
export type RemoteSecretName = (typeof REMOTE_SECRET_NAMES)[number];

/**
 * Set on the `caribou_cli` function to its own timeout (deploy_remote_cli -t): inside Lambda the
 * framework takes its time budgets (a solve, a log sync) from it.
 */
export const REMOTE_FRAMEWORK_TIMEOUT_VARIABLE = 'CARIBOU_REMOTE_TIMEOUT_SECONDS';

/** The reference's share of the function's time a solve may take: 800 s of 900 (AWS_TIMEOUT_SECONDS). */
const BUDGET_SHARE = 800 / 900;

/**
 * Seconds of work one remote framework invocation may plan for: 8/9 of the function's timeout
 * (the reference's 800 s of 900), the rest left to load, store and hand over. A function
 * deployed before the variable existed has the reference's 800 s.
 */
export function remoteTimeBudgetSeconds(env: Record<string, string | undefined>): number {
  const raw = env[REMOTE_FRAMEWORK_TIMEOUT_VARIABLE];
  if (raw === undefined || raw.trim() === '') return REMOTE_FRAMEWORK_DEFAULTS.timeoutSeconds * BUDGET_SHARE;
  const timeout = Number(raw);
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 900) {
    throw new CaribouError(`${REMOTE_FRAMEWORK_TIMEOUT_VARIABLE} must be the function's timeout, a whole number of seconds 1–900, got '${raw}': deploy the framework again with caribou deploy_remote_cli -t <seconds>`);
  }
  return timeout * BUDGET_SHARE;
}
