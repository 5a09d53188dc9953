import { FAILED_INVOCATIONS_DESTINATION, regionKey, type ProviderRegion } from '@caribou/domain-common';
import type { DestinationMessage, FailureDestinations } from '@caribou/ports';
import type { LocalDatabase } from './database';

/** `local:<region>:caribou-failed-invocations`: the identifier a local copy's async config names. */
export function localDestinationIdentifier(region: ProviderRegion): string {
  return `local:${region.region}:${FAILED_INVOCATIONS_DESTINATION}`;
}

/**
 * The local on-failure destinations: a row per region, and the invocation records the engine
 * writes there (Lambda's record shape) when it gives an event up.
 */
export class LocalFailureDestinations implements FailureDestinations {
  readonly name = FAILED_INVOCATIONS_DESTINATION;

  constructor(private readonly db: LocalDatabase) {}

  async ensure(region: ProviderRegion): Promise<string> {
    const identifier = localDestinationIdentifier(region);
    this.db.run('INSERT OR IGNORE INTO failure_destinations (region, identifier) VALUES (?, ?)', regionKey(region), identifier);
    return identifier;
  }

  async remove(region: ProviderRegion): Promise<void> {
    this.db.transaction(() => {
      this.db.run('DELETE FROM failure_records WHERE region = ?', regionKey(region));
      this.db.run('DELETE FROM failure_destinations WHERE region = ?', regionKey(region));
    });
  }

  async receive(region: ProviderRegion, max: number): Promise<DestinationMessage[]> {
    return this.db
      .all<{ id: number; body: string }>('SELECT id, body FROM failure_records WHERE region = ? ORDER BY id LIMIT ?', regionKey(region), max)
      .map((row) => ({ body: row.body, receipt: String(row.id) }));
  }

  async acknowledge(region: ProviderRegion, receipts: readonly string[]): Promise<void> {
    this.db.transaction(() => {
      for (const receipt of receipts) this.db.run('DELETE FROM failure_records WHERE region = ? AND id = ?', regionKey(region), Number(receipt));
    });
  }

  /** Writes a record into the region's destination, as Lambda does; false when the region has none (Lambda drops it then). */
  write(region: ProviderRegion, body: string, atMs: number): boolean {
    const exists = this.db.get('SELECT 1 AS one FROM failure_destinations WHERE region = ?', regionKey(region));
    if (!exists) return false;
    this.db.run('INSERT INTO failure_records (region, body, written_at) VALUES (?, ?, ?)', regionKey(region), body, atMs);
    return true;
  }
}
