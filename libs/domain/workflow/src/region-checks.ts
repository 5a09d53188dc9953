import { CaribouError, isAwsRegionCode, type ProviderRegion } from '@caribou/domain-common';
import type { ProjectRegionsAndProviders } from './config-schema';
import { isSupportedProvider, memoryAndTimeoutProblem, PROVIDERS_NEEDING_MEMORY_AND_TIMEOUT } from './providers';
import type { RegionsAndProviders } from './placement';

/**
 * The region cross-checks of the reference's `DeployerFactory` and
 * `WorkflowBuilder._merge_and_verify_regions_and_providers` (reference-system §2.2).
 * They run on raw documents (the reference's own tests call them that way), so every
 * shape is checked here, not assumed.
 */

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const fail = (where: string, message: string): never => {
  throw new CaribouError(`${where}: ${message}`);
};

/** A region as the messages show it: `aws:us-east-1`, or the raw entry when it is incomplete. */
function describeRegion(entry: unknown): string {
  if (isRecord(entry) && typeof entry['provider'] === 'string' && typeof entry['region'] === 'string') {
    return `${entry['provider']}:${entry['region']}`;
  }
  return JSON.stringify(entry);
}

/**
 * Checks `allowed_regions` and `disallowed_regions` of one `regions_and_providers`
 * mapping against the providers it may use and the home region. `where` names the place
 * for the message, e.g. `Invalid project config: regions_and_providers`.
 */
function checkRegionLists(
  regionsAndProviders: Record<string, unknown>,
  definedProviders: readonly string[],
  homeRegion: unknown,
  where: string,
): void {
  const allowed = new Set<string>();
  for (const field of ['allowed_regions', 'disallowed_regions'] as const) {
    if (!(field in regionsAndProviders)) continue;
    const entries = regionsAndProviders[field] ?? [];
    if (!Array.isArray(entries)) fail(`${where}.${field}`, `${field} must be a list`);
    (entries as unknown[]).forEach((entry, index) => {
      const at = `${where}.${field}[${index}]`;
      if (!isRecord(entry)) fail(at, `${field} must be a list of dictionaries`);
      const region = entry as Record<string, unknown>;
      if (!('provider' in region) || !('region' in region)) {
        fail(at, `Region ${describeRegion(region)} must have both provider and region defined`);
      }
      const key = describeRegion(region);
      if (field === 'allowed_regions') allowed.add(key);
      else if (allowed.has(key)) fail(at, `Region ${key} cannot be both allowed and disallowed`);
      const provider = region['provider'];
      if (!isSupportedProvider(provider)) fail(at, `Provider ${String(provider)} is not supported`);
      if (!definedProviders.includes(provider as string)) fail(at, `Provider ${String(provider)} is not defined in providers`);
      if (
        field === 'disallowed_regions' &&
        isRecord(homeRegion) &&
        homeRegion['provider'] === region['provider'] &&
        homeRegion['region'] === region['region']
      ) {
        fail(at, `Region ${key} cannot be both home and disallowed`);
      }
    });
  }
}

/** `DeployerFactory.__validate_allowed_and_disallowed_regions_and_providers` on a raw config document. */
export function checkAllowedAndDisallowedRegions(projectConfig: unknown): void {
  const where = 'Invalid project config';
  const config = isRecord(projectConfig) ? projectConfig : {};
  if (!('regions_and_providers' in config)) fail(where, 'regions_and_providers must be defined in project config');
  const regionsAndProviders = config['regions_and_providers'];
  if (!isRecord(regionsAndProviders)) return fail(where, 'regions_and_providers must be a dictionary');
  if (!('providers' in regionsAndProviders)) fail(where, 'at least one provider must be defined in regions_and_providers');
  const providers = regionsAndProviders['providers'];
  if (!isRecord(providers)) return fail(where, 'providers must be a dictionary');
  const definedProviders = Object.keys(providers).filter(isSupportedProvider);
  const home = config['home_region'];
  if (isRecord(home) && typeof home['provider'] === 'string') {
    // Checked here, before the IAM policy, so the first message is the real problem.
    const provider = home['provider'];
    if (!isSupportedProvider(provider)) fail(`${where}: home_region.provider`, `Provider ${provider} is not supported; use local or aws`);
    if (!(definedProviders as string[]).includes(provider)) {
      fail(`${where}: home_region.provider`, `Provider ${provider} is not defined in providers; add regions_and_providers.providers.${provider}`);
    }
  }
  checkRegionLists(regionsAndProviders, definedProviders, home, `${where}: regions_and_providers`);
  const lists = ['allowed_regions', 'disallowed_regions'].flatMap((list) => {
    const entries = regionsAndProviders[list];
    return Array.isArray(entries) ? entries.map((entry, i) => [`regions_and_providers.${list}[${i}]`, entry] as const) : [];
  });
  for (const [field, region] of [['home_region', home] as const, ['client_region', config['client_region']] as const, ...lists])
    checkRegionCode(`${where}: ${field}`, region);
}

/**
 * A function's `dataRegion` and `dataBytesPerInvocation` (SDK options): a region of a
 * provider the workflow uses with an AWS-style code the shipped data knows, and a byte count.
 */
export function checkDataLocation(
  functionName: string,
  dataRegion: unknown,
  bytesPerInvocation: unknown,
  homeRegion: ProviderRegion,
  known?: ReadonlySet<string>,
): void {
  const where = `function ${functionName}`;
  if (dataRegion === undefined || dataRegion === null) {
    if (bytesPerInvocation !== undefined && bytesPerInvocation !== null)
      fail(`${where}: dataBytesPerInvocation`, `needs dataRegion, where the data lives, e.g. dataRegion: { provider: '${homeRegion.provider}', region: '${homeRegion.region}' }`);
    return;
  }
  if (!isRecord(dataRegion) || typeof dataRegion['provider'] !== 'string' || typeof dataRegion['region'] !== 'string')
    fail(`${where}: dataRegion`, `must be { provider, region }, e.g. { provider: '${homeRegion.provider}', region: '${homeRegion.region}' }`);
  const region = dataRegion as { provider: string; region: string };
  if (region.provider !== homeRegion.provider)
    fail(`${where}: dataRegion.provider`, `must be the home region's provider ${homeRegion.provider} (got ${region.provider})`);
  checkRegionCode(`${where}: dataRegion`, region);
  if (known && !known.has(region.region))
    fail(`${where}: dataRegion`, `Region ${region.provider}:${region.region} is in none of the shipped region data; use an AWS region code such as us-east-1`);
  if (bytesPerInvocation === undefined || bytesPerInvocation === null) return;
  if (typeof bytesPerInvocation !== 'number' || !Number.isFinite(bytesPerInvocation) || bytesPerInvocation < 0)
    fail(`${where}: dataBytesPerInvocation`, `must be the bytes it reads from dataRegion per invocation, a number ≥ 0 (got ${JSON.stringify(bytesPerInvocation ?? null)})`);
}

/**
 * Every aws/local region of the config (home, allowed, disallowed) must be one the shipped
 * data knows, and so must every gcp region when `knownGcp` is given (the Cloud Run regions):
 * elsewhere there is no carbon, latency or price to plan with.
 */
export function checkRegionsKnown(config: ProjectRegionsAndProvidersConfig, known: ReadonlySet<string>, knownGcp?: ReadonlySet<string>): void {
  const where = 'Invalid project config';
  const entries: Array<[string, unknown]> = [['home_region', config.home_region]];
  if (config.client_region) entries.push(['client_region', config.client_region]);
  for (const list of ['allowed_regions', 'disallowed_regions'] as const) {
    (config.regions_and_providers[list] ?? []).forEach((entry, i) => entries.push([`regions_and_providers.${list}[${i}]`, entry]));
  }
  for (const [field, region] of entries) {
    if (!isRecord(region) || typeof region['region'] !== 'string') continue;
    const provider = region['provider'];
    if ((provider === 'aws' || provider === 'local') && !known.has(region['region'])) {
      fail(
        `${where}: ${field}`,
        `Region ${provider}:${region['region']} is in none of the shipped region data (no carbon, latency or price for it, no Lambda endpoint); use an AWS region code such as us-east-1 or ca-central-1`,
      );
    }
    if (provider === 'gcp' && knownGcp && !knownGcp.has(region['region'])) {
      fail(
        `${where}: ${field}`,
        `Region gcp:${region['region']} is not a Cloud Run functions region of the shipped Google Cloud data (no carbon, latency or price for it); use a Google Cloud region code such as us-east4 or northamerica-northeast1`,
      );
    }
  }
}

interface ProjectRegionsAndProvidersConfig {
  home_region: unknown;
  client_region?: unknown;
  regions_and_providers: { allowed_regions?: unknown[] | null; disallowed_regions?: unknown[] | null };
}

/** AWS-style codes (`us-east-1`, `ap-southeast-4`): local regions carry them too, so the shipped data applies. */
function checkRegionCode(where: string, region: unknown): void {
  if (!isRecord(region) || typeof region['region'] !== 'string') return;
  const provider = region['provider'];
  if ((provider === 'aws' || provider === 'local') && !isAwsRegionCode(region['region'])) {
    fail(where, `Region ${provider}:${region['region']} is not an AWS region code; use one like us-east-1 or ca-central-1`);
  }
}

/** What a function may set in `serverlessFunction({ regionsAndProviders })`. */
export type FunctionRegionsAndProviders = Partial<RegionsAndProviders> | null | undefined;

/** The checks of `_verify_providers` plus the schema's own provider checks, for a function-level `providers` map. */
function checkFunctionProviders(providers: unknown, where: string): void {
  if (!isRecord(providers)) fail(where, 'providers must be a dictionary');
  for (const [provider, entry] of Object.entries(providers as Record<string, unknown>)) {
    const at = `${where}.${provider}`;
    if (!isSupportedProvider(provider)) fail(at, `Provider ${provider} is not supported`);
    if (!isRecord(entry) || !isRecord(entry['config'])) fail(`${at}.config`, 'Field required');
    if (!PROVIDERS_NEEDING_MEMORY_AND_TIMEOUT.has(provider)) continue;
    const problem = memoryAndTimeoutProblem(provider, (entry as { config: Record<string, unknown> }).config);
    if (problem) fail(`${at}.config.${problem.key}`, problem.message);
  }
}

const hasProviders = (regionsAndProviders: FunctionRegionsAndProviders): boolean =>
  isRecord(regionsAndProviders) && isRecord(regionsAndProviders.providers) && Object.keys(regionsAndProviders.providers).length > 0;

/**
 * The `providers` a function is deployed with: its own when it sets a non-empty map,
 * otherwise the workflow's. The home provider must be among them.
 */
export function providersForFunction(
  functionName: string,
  functionRegionsAndProviders: FunctionRegionsAndProviders,
  workflowRegionsAndProviders: ProjectRegionsAndProviders,
  homeRegion: ProviderRegion,
): RegionsAndProviders['providers'] {
  const providers = hasProviders(functionRegionsAndProviders)
    ? (functionRegionsAndProviders!.providers as RegionsAndProviders['providers'])
    : workflowRegionsAndProviders.providers;
  checkFunctionProviders(providers, `Function ${functionName}: regions_and_providers.providers`);
  if (!(homeRegion.provider in providers)) {
    throw new CaribouError(
      `Home region provider ${homeRegion.provider} is not defined in providers for function ${functionName}`,
    );
  }
  return providers;
}

/**
 * `_merge_and_verify_regions_and_providers`: a copy of the workflow's `regions_and_providers`
 * with `providers`, `allowed_regions` and `disallowed_regions` replaced by the function's
 * own keys when it sets them, re-checked like the project config. (The reference also
 * replaces `providers` with an empty map; we keep the workflow's, as its resource builder does.)
 */
export function mergeAndVerifyRegionsAndProviders(
  functionName: string,
  functionRegionsAndProviders: FunctionRegionsAndProviders,
  workflowRegionsAndProviders: ProjectRegionsAndProviders,
  homeRegion: ProviderRegion,
): RegionsAndProviders {
  const merged: RegionsAndProviders = structuredClone(workflowRegionsAndProviders) as RegionsAndProviders;
  if (!functionRegionsAndProviders) return merged;
  const where = `Function ${functionName}: regions_and_providers`;
  if (!isRecord(functionRegionsAndProviders)) fail(where, 'regions_and_providers must be a dictionary');
  if (hasProviders(functionRegionsAndProviders)) {
    checkFunctionProviders(functionRegionsAndProviders.providers, `${where}.providers`);
    merged.providers = structuredClone(functionRegionsAndProviders.providers) as RegionsAndProviders['providers'];
  }
  if ('allowed_regions' in functionRegionsAndProviders) {
    merged.allowed_regions = structuredClone(functionRegionsAndProviders.allowed_regions ?? null);
  }
  if ('disallowed_regions' in functionRegionsAndProviders) {
    merged.disallowed_regions = structuredClone(functionRegionsAndProviders.disallowed_regions ?? null);
  }
  const definedProviders = Object.keys(merged.providers).filter(isSupportedProvider);
  checkRegionLists(functionRegionsAndProviders as Record<string, unknown>, definedProviders, homeRegion, where);
  return merged;
}
