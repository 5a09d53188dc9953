import { regionKey, type ProviderRegion } from '@caribou/domain-common';
import type { EnabledRegions } from '@caribou/ports';

/**
 * Which regions of a provider the account has not enabled (AWS opt-in regions it has not opted
 * into). Deploy refuses a home region among them, planning leaves them out of the candidates,
 * the migrator never copies a function to one. Without an `EnabledRegions` (local provider),
 * every region is enabled.
 */
export class EnabledRegionCheck {
  constructor(private readonly enabled: EnabledRegions | undefined) {}

  /** The regions of `regions` that are the checked provider's and not enabled, each once, in order. */
  async disabled(regions: Iterable<ProviderRegion>): Promise<ProviderRegion[]> {
    const enabled = this.enabled;
    if (!enabled) return [];
    const candidates = new Map<string, ProviderRegion>();
    for (const region of regions) if (region.provider === enabled.provider) candidates.set(regionKey(region), region);
    if (candidates.size === 0) return [];
    const codes = await enabled.list();
    return [...candidates.values()].filter((region) => !codes.has(region.region));
  }
}

/** The one-line reason a region cannot be used, with what to do about it. */
export function notEnabledReason(region: ProviderRegion): string {
  return `${regionKey(region)} is not enabled for this ${region.provider === 'aws' ? 'AWS ' : ''}account (an opt-in region it has not opted into; enable it in the account's Regions settings)`;
}
