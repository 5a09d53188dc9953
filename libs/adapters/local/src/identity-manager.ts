import type { ProviderRegion } from '@caribou/domain-common';
import type { IdentityManager } from '@caribou/ports';
import type { LocalDatabase } from './database';

/** Local functions need no permissions; the role is recorded so deploy, remove and inventories read alike. */
export class LocalIdentityManager implements IdentityManager {
  constructor(private readonly db: LocalDatabase) {}

  async ensureRole(region: ProviderRegion, roleName: string, policyJson: string): Promise<{ roleIdentifier: string }> {
    this.db.run(
      'INSERT INTO roles (region, name, policy) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET policy = excluded.policy',
      region.region,
      roleName,
      policyJson,
    );
    return { roleIdentifier: `local:role/${roleName}` };
  }

  async roleExists(region: ProviderRegion, roleName: string): Promise<boolean> {
    return this.db.get('SELECT 1 AS present FROM roles WHERE region = ? AND name = ?', region.region, roleName) !== undefined;
  }

  async removeRole(region: ProviderRegion, roleName: string): Promise<void> {
    this.db.run('DELETE FROM roles WHERE region = ? AND name = ?', region.region, roleName);
  }
}
