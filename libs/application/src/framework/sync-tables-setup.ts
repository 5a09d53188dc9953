import { regionKey, type ProviderRegion } from '@caribou/domain-common';
import type { KeyValueStore, SyncStoreProvider } from '@caribou/ports';
import { FRAMEWORK_LEDGER_KEY } from '../failures/index';
import { ResourceLedger } from '../ledger/index';

/** The ledger name of a region's sync tables (fan-in messages, predecessor counters, execution markers). */
export const SYNC_TABLES = 'sync-tables';

/**
 * Makes sure a region has its sync tables before a function copy runs there, recording them on
 * the framework's ledger first: every workflow in the region shares them, so `teardown_framework`
 * (not `remove`) deletes them, in exactly the regions deploys and migrations touched.
 */
export class SyncTablesSetup {
  private readonly known = new Set<string>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly syncStores: SyncStoreProvider,
  ) {}

  async ensure(region: ProviderRegion, createdBy: string): Promise<void> {
    const key = regionKey(region);
    if (this.known.has(key)) return;
    const ledger = new ResourceLedger(this.store, FRAMEWORK_LEDGER_KEY);
    await ledger.open();
    const created = await ledger.willCreate({ kind: 'sync-tables', region, name: SYNC_TABLES, createdBy });
    await this.syncStores.ensureSyncTables(region);
    await created();
    this.known.add(key);
  }
}
