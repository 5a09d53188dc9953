import { GLOBAL_SYSTEM_REGION, parseRegionKey, regionKey, Tables, type ProviderRegion } from '@caribou/domain-common';
import type { FailureDestinations, KeyValueStore, SyncStoreProvider } from '@caribou/ports';
import { FRAMEWORK_TABLES } from '../deploy/index';
import { FRAMEWORK_LEDGER_KEY } from '../failures/index';
import { ResourceLedger } from '../ledger/index';
import type { RemoveWorkflowService } from '../workflows/index';

export interface FrameworkDeps {
  store: KeyValueStore;
  syncStores: SyncStoreProvider;
  /** Removes the on-failure destinations on the framework's ledger. */
  failureDestinations?: FailureDestinations;
  remover: RemoveWorkflowService;
  /** The provider whose regions hold sync tables (`local` or `aws`). */
  provider: string;
  /** Removes the remote framework and its timers, where there is one (AWS). */
  removeRemoteFramework?: () => Promise<void>;
  /** Removes the timers a scheduler of this machine runs (local provider: `caribou serve` then has nothing to run). */
  removeTimers?: () => Promise<void>;
}

export interface TeardownReport {
  workflowsRemoved: string[];
  syncRegionsCleared: string[];
  failures: string[];
}

/** `setup_tables` and `teardown_framework` (reference-system §1.2, §6.1). */
export class FrameworkService {
  constructor(private readonly deps: FrameworkDeps) {}

  async setupTables(): Promise<string[]> {
    await this.deps.store.ensureTables(FRAMEWORK_TABLES);
    return [...FRAMEWORK_TABLES];
  }

  /**
   * Removes everything the framework created: the remote framework or the local timers, every workflow (with
   * all its region copies), the sync tables of every known region of the provider and the
   * system region, then the framework tables. A failure is reported and the rest goes on.
   */
  async teardown(report: (line: string) => void): Promise<TeardownReport> {
    const result: TeardownReport = { workflowsRemoved: [], syncRegionsCleared: [], failures: [] };
    const attempt = async (what: string, work: () => Promise<void>) => {
      try {
        await work();
      } catch (error) {
        const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
        result.failures.push(message);
        report(`Could not ${message}`);
      }
    };
    if (this.deps.removeRemoteFramework) await attempt('remove the remote framework', this.deps.removeRemoteFramework);
    if (this.deps.removeTimers) await attempt('remove the timers', this.deps.removeTimers);
    // Registered workflows, and deploys that never got registered (interrupted, failed rollback):
    // the ledger knows what those created.
    const workflowIds = new Set([...(await this.deps.store.keys(Tables.deploymentManagerResource)), ...(await this.deps.store.keys(Tables.resourceLedger))]);
    workflowIds.delete(FRAMEWORK_LEDGER_KEY);
    for (const workflowId of [...workflowIds].sort()) {
      await attempt(`remove workflow ${workflowId}`, async () => {
        const removal = await this.deps.remover.remove(workflowId, report);
        if (removal.failures.length === 0) result.workflowsRemoved.push(workflowId);
        else result.failures.push(...removal.failures);
      });
    }
    // What the workflows shared (the on-failure destinations), once no workflow is left to use it.
    const frameworkLedger = new ResourceLedger(this.deps.store, FRAMEWORK_LEDGER_KEY);
    const shared = await frameworkLedger.read().catch(() => undefined);
    if (shared && result.failures.length === 0) {
      for (const entry of shared.resources) {
        await attempt(`remove the on-failure destination of ${regionKey(entry.region)}`, async () => {
          if (!this.deps.failureDestinations) throw new Error('no on-failure destinations are bound for this provider');
          await this.deps.failureDestinations.remove(entry.region);
          await frameworkLedger.forget(entry);
          report(`Removed on-failure destination ${entry.name} from provider ${entry.region.provider} in region ${entry.region.region}`);
        });
      }
      if (result.failures.length === 0) await frameworkLedger.delete();
    }
    const regions = new Map<string, ProviderRegion>();
    for (const key of await this.deps.store.keys(Tables.availableRegions)) {
      const region = parseRegionKey(key);
      if (region.provider === this.deps.provider) regions.set(key, region);
    }
    regions.set(`${this.deps.provider}:${GLOBAL_SYSTEM_REGION}`, { provider: this.deps.provider, region: GLOBAL_SYSTEM_REGION });
    for (const [key, region] of regions) {
      await attempt(`remove the sync tables of ${key}`, async () => {
        await this.deps.syncStores.removeSyncTables(region);
        result.syncRegionsCleared.push(key);
      });
    }
    if (result.failures.length > 0) {
      // The ledger is the only record of what is left: keep the tables for the next attempt.
      report('Framework tables kept: some resources could not be removed');
      return result;
    }
    await attempt('drop the framework tables', () => this.deps.store.dropTables(FRAMEWORK_TABLES));
    return result;
  }
}
