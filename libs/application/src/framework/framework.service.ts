import { regionKey, Tables, type ProviderRegion } from '@caribou/domain-common';
import type { KeyValueStore } from '@caribou/ports';
import { FRAMEWORK_TABLES } from '../deploy/index';
import { FRAMEWORK_LEDGER_KEY } from '../failures/index';
import { removeLedgerResources, ResourceLedger, type ResourceRemoverDeps } from '../ledger/index';
import { REMOTE_FRAMEWORK_LEDGER_KEY } from '../remote-framework/remote-ledger';
import type { RemoveWorkflowService } from '../workflows/index';
import { SYNC_TABLES } from './sync-tables-setup';

export interface FrameworkDeps {
  store: KeyValueStore;
  /** Removes what the framework's ledger lists: each region's sync tables and on-failure destination. */
  resources: ResourceRemoverDeps;
  remover: RemoveWorkflowService;
  /** The provider whose regions hold sync tables (`local` or `aws`). */
  provider: string;
  /** Removes the remote framework and its timers, where there is one (AWS), reporting each resource it deleted. */
  removeRemoteFramework?: (report: (line: string) => void) => Promise<void>;
  /** Removes the timers a scheduler of this machine runs (local provider: `caribou serve` then has nothing to run). */
  removeTimers?: () => Promise<void>;
}

export interface TeardownReport {
  workflowsRemoved: string[];
  syncRegionsCleared: string[];
  /** One line per resource or step that could not be removed: what, where, why. */
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
   * Removes everything the framework created, as the ledgers list it: the remote framework or
   * the local timers, every workflow (with all its region copies, log groups and roles), then
   * what the workflows shared in every region they touched (sync tables, on-failure
   * destinations), then the framework tables. A failure is reported and the rest goes on; the
   * ledgers keep what is left, so running teardown again finishes the job.
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
    const { removeRemoteFramework } = this.deps;
    if (removeRemoteFramework) await attempt('remove the remote framework', () => removeRemoteFramework(report));
    if (this.deps.removeTimers) await attempt('remove the timers', this.deps.removeTimers);
    const frameworkLedger = new ResourceLedger(this.deps.store, FRAMEWORK_LEDGER_KEY);
    // Registered workflows, and deploys that never got registered (interrupted, failed rollback):
    // the ledger knows what those created.
    const workflowIds = new Set([...(await this.deps.store.keys(Tables.deploymentManagerResource)), ...(await this.deps.store.keys(Tables.resourceLedger))]);
    workflowIds.delete(FRAMEWORK_LEDGER_KEY);
    // Its rows were removed with it above; one left (a failed removal) is not a workflow.
    workflowIds.delete(REMOTE_FRAMEWORK_LEDGER_KEY);
    // Regions the workflows' copies ran in: their sync tables go too, also where a deploy made
    // before sync tables were on the framework's ledger created them.
    const touched = new Map<string, ProviderRegion>();
    for (const workflowId of workflowIds) {
      const record = await new ResourceLedger(this.deps.store, workflowId).read().catch(() => undefined);
      for (const entry of record?.resources ?? []) {
        if (entry.kind === 'function' && entry.region.provider === this.deps.provider) touched.set(regionKey(entry.region), entry.region);
      }
    }
    for (const workflowId of [...workflowIds].sort()) {
      await attempt(`remove workflow ${workflowId}`, async () => {
        const removal = await this.deps.remover.remove(workflowId, report);
        if (removal.failures.length === 0) result.workflowsRemoved.push(workflowId);
        else result.failures.push(...removal.failures);
      });
    }
    if (result.failures.length > 0) {
      // Functions that could not be removed may still use what the workflows share: keep it, and the ledgers.
      report('Shared resources and framework tables kept: some resources could not be removed');
      return result;
    }
    await attempt('remove what the workflows shared', async () => {
      await frameworkLedger.open();
      const record = await frameworkLedger.update((ledger) => {
        for (const region of touched.values()) {
          const listed = ledger.resources.some((entry) => entry.kind === 'sync-tables' && regionKey(entry.region) === regionKey(region));
          if (!listed) ledger.resources.push({ kind: 'sync-tables', region, name: SYNC_TABLES, state: 'created', createdBy: 'teardown' });
        }
      });
      const failures = await removeLedgerResources(frameworkLedger, record.resources, this.deps.resources, report);
      result.failures.push(...failures);
      const left = new Set(((await frameworkLedger.read())?.resources ?? []).map((entry) => `${entry.kind} ${regionKey(entry.region)}`));
      for (const entry of record.resources) {
        if (entry.kind === 'sync-tables' && !left.has(`sync-tables ${regionKey(entry.region)}`)) result.syncRegionsCleared.push(regionKey(entry.region));
      }
      if (failures.length === 0) await frameworkLedger.delete();
    });
    if (result.failures.length > 0) {
      // The ledger is the only record of what is left: keep the tables for the next attempt.
      report('Framework tables kept: some resources could not be removed');
      return result;
    }
    await attempt('drop the framework tables', () => this.deps.store.dropTables(FRAMEWORK_TABLES));
    return result;
  }
}
