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
