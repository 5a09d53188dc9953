import type { FirestoreRegionSetup } from '../firestore/sync-store';
import { isGoogleApiError, type GoogleRestClient } from './rest-client';

/**
 * Firestore's administration over its REST API (v1): a region's `caribou-<region>` database
 * (`projects.databases.create`, Native mode, located in the region) and the TTL policies that
 * expire fan-in documents (`collectionGroups.fields.patch` with `ttlConfig`). Both are
 * long-running operations; an existing database or policy is left as it is. The emulator
 * needs neither (it creates databases on first use and expires nothing), so the module binds
 * this only against Google Cloud or the control-plane fake.
 */
export class FirestoreAdminSetup implements FirestoreRegionSetup {
  private readonly known = new Set<string>();

  constructor(
    private readonly projectId: string,
    private readonly rest: GoogleRestClient,
  ) {}

  async ensureDatabase(region: string, databaseId: string): Promise<void> {
    if (this.known.has(databaseId)) return;
    const name = `projects/${this.projectId}/databases/${databaseId}`;
    try {
      await this.rest.request('firestore', 'GET', `/v1/${name}`);
    } catch (error) {
      if (!isGoogleApiError(error, 404)) throw error;
      try {
        const operation = await this.rest.request<{ name: string; done?: boolean }>('firestore', 'POST', `/v1/projects/${this.projectId}/databases?databaseId=${databaseId}`, {
          locationId: region,
          type: 'FIRESTORE_NATIVE',
        });
        await this.rest.waitForOperation('firestore', operation, `Creating Firestore database ${databaseId} in ${region}`);
      } catch (createError) {
        // Created meanwhile by another deploy: what we wanted.
        if (!isGoogleApiError(createError, 409)) throw createError;
      }
    }
    this.known.add(databaseId);
  }

  async ensureTtlPolicy(databaseId: string, collectionGroup: string, field: string): Promise<void> {
    const path = `/v1/projects/${this.projectId}/databases/${databaseId}/collectionGroups/${collectionGroup}/fields/${field}`;
    const current = await this.rest.request<{ ttlConfig?: { state?: string } }>('firestore', 'GET', path).catch((error: unknown): { ttlConfig?: { state?: string } } => {
      if (isGoogleApiError(error, 404)) return {};
      throw error;
    });
    if (current.ttlConfig) return;
    const operation = await this.rest.request<{ name: string; done?: boolean }>('firestore', 'PATCH', `${path}?updateMask=ttlConfig`, { ttlConfig: {} });
    await this.rest.waitForOperation('firestore', operation, `Setting the TTL policy on ${collectionGroup}.${field} of ${databaseId}`);
  }
}
