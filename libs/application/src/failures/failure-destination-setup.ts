import { regionKey, type ProviderRegion } from '@caribou/domain-common';
import type { FailureDestinations, KeyValueStore } from '@caribou/ports';
import { ResourceLedger } from '../ledger/index';

/**
 * The ledger row of what the install shares across workflows (one on-failure destination per
 * region): kept in the resource ledger table beside the workflows' rows, removed by
 * `teardown_framework`, never by removing one workflow.
 */
export const FRAMEWORK_LEDGER_KEY = 'caribou-framework';

/**
 * Makes sure a region has its on-failure destination before a function copy names it,
 * recording it on the framework's ledger first (so teardown deletes exactly what exists).
 */
export class FailureDestinationSetup {
  private readonly known = new Map<string, string>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly destinations: FailureDestinations,
  ) {}

  async ensure(region: ProviderRegion, createdBy: string): Promise<string> {
    const key = regionKey(region);
    const cached = this.known.get(key);
    if (cached) return cached;
    const ledger = new ResourceLedger(this.store, FRAMEWORK_LEDGER_KEY);
    await ledger.open();
    // The platform's name (prefixed by the install on AWS), so the ledger names what exists.
    const created = await ledger.willCreate({ kind: 'failure-destination', region, name: this.destinations.name, createdBy });
    const identifier = await this.destinations.ensure(region);
    await created(identifier);
    this.known.set(key, identifier);
    return identifier;
  }
}
