import type { RegionSelector, SolverRegionsAndProviders } from './input';

function keysOf(selectors: readonly RegionSelector[] | null | undefined): string[] {
  return (selectors ?? []).map((s) => `${s.provider}:${s.region}`);
}

function providerOf(regionKey: string): string {
  const colon = regionKey.indexOf(':');
  return colon < 0 ? regionKey : regionKey.slice(0, colon);
}

/**
 * §1.1: keep regions of a configured provider; a non-empty allow-list then wins outright,
 * otherwise the deny-list is removed. Order of `regions` is kept. A missing or null list
 * counts as "not set".
 */
export function filterRegions(regions: readonly string[], filter: SolverRegionsAndProviders): string[] {
  const providers = new Set(Object.keys(filter.providers ?? {}));
  const ofProvider = regions.filter((r) => providers.has(providerOf(r)));
  const allowed = keysOf(filter.allowed_regions);
  if (allowed.length > 0) {
    const allowedSet = new Set(allowed);
    return ofProvider.filter((r) => allowedSet.has(r));
  }
  const disallowed = new Set(keysOf(filter.disallowed_regions));
  return ofProvider.filter((r) => !disallowed.has(r));
}
