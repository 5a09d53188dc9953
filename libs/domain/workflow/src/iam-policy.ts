import { CaribouError } from '@caribou/domain-common';
import type { ProjectConfig } from './config-schema';
import type { FunctionRegionsAndProviders } from './region-checks';

/** `.caribou/<iam_policy_file>`: one policy document per provider, e.g. `{"aws": {...}, "local": {}}`. */
export type IamPolicyDocument = Record<string, unknown>;

/** The file the config names, relative to `.caribou/`. An empty name means `iam_policy.json` (the reference used `iam_policy.yml`, a JSON file with a misleading name). */
export function iamPolicyFileName(config: Pick<ProjectConfig, 'iam_policy_file'>): string {
  return config.iam_policy_file === '' ? 'iam_policy.json' : config.iam_policy_file;
}

/**
 * Every provider a function of this workflow may be deployed to (home, the workflow's
 * providers, each function's own): the deploy and later migrations read the policy of each.
 */
export function providersInUse(
  config: Pick<ProjectConfig, 'home_region' | 'regions_and_providers'>,
  functionRegionsAndProviders: readonly FunctionRegionsAndProviders[] = [],
): string[] {
  const providers = new Set<string>([config.home_region.provider, ...Object.keys(config.regions_and_providers.providers)]);
  for (const own of functionRegionsAndProviders) {
    for (const provider of Object.keys(own?.providers ?? {})) providers.add(provider);
  }
  return [...providers];
}

/** Providers whose missing key means "no extra permissions" (gcp: the generated roles cover the runtime). */
const OPTIONAL_POLICY_PROVIDERS: ReadonlySet<string> = new Set(['gcp']);

/**
 * Parses the policy file text and checks it has a policy for each provider
 * (`Policy could not be parsed…`, `Policy is not a dictionary…`, `Provider <p> not found in policy file`).
 */
export function parseIamPolicy(text: string, fileLabel: string, requiredProviders: readonly string[]): IamPolicyDocument {
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch (error) {
    throw new CaribouError(`Policy could not be parsed: ${fileLabel} is not valid JSON (${(error as Error).message})`);
  }
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
    throw new CaribouError(`Policy is not a dictionary: ${fileLabel} must hold a JSON object with one key per provider`);
  }
  for (const provider of requiredProviders) {
    if (!(provider in policy) && !OPTIONAL_POLICY_PROVIDERS.has(provider)) {
      throw new CaribouError(`Provider ${provider} not found in policy file ${fileLabel}: add a "${provider}" key (use {} when it needs no policy)`);
    }
  }
  return policy as IamPolicyDocument;
}
