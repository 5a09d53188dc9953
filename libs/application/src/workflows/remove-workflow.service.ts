import { CaribouError, Tables } from '@caribou/domain-common';
import type { ArtifactCopier, FunctionLogGroups, FunctionPlatform, IdentityManager, KeyValueStore, LogSource, PlatformHousekeeping } from '@caribou/ports';
import { removeLedgerResources, ResourceLedger } from '../ledger/index';

export interface RemoveWorkflowDeps {
  store: KeyValueStore;
  platform: FunctionPlatform;
  identity: IdentityManager;
  logs?: LogSource;
  /** Deletes the workflow's image repositories. */
  copier?: ArtifactCopier;
  /** Deletes the copies' log groups (AWS). */
  logGroups?: FunctionLogGroups;
  housekeeping?: PlatformHousekeeping;
}

export interface RemoveResult {
  workflowId: string;
  failures: string[];
}

/**
 * `caribou remove <id>` (reference-system §5.3): table rows in the reference's order,
 * the resources of the ledger (every region copy, functions before roles), the
 * registration last so a failed removal can be retried.
 */
export class RemoveWorkflowService {
  constructor(private readonly deps: RemoveWorkflowDeps) {}

  async remove(workflowId: string, report: (line: string) => void = () => undefined): Promise<RemoveResult> {
    const { store } = this.deps;
    const ledger = new ResourceLedger(store, workflowId);
    const record = await ledger.read();
    if (!record && !(await store.has(Tables.deploymentManagerResource, workflowId))) {
      throw new CaribouError(`No workflow ${workflowId} is deployed (caribou list shows the deployed workflows)`);
    }
    if (record) {
      await ledger.update((r) => {
        r.status = 'removing';
      });
    }
    for (const table of [Tables.workflowPlacementDecision, Tables.deploymentManagerWorkflowInfo, Tables.workflowPlacementSolverStagingArea]) {
      await store.delete(table, workflowId);
    }
    const failures = await removeLedgerResources(ledger, record?.resources ?? [], this.deps, report);
    for (const table of [Tables.deploymentResources, Tables.workflowInstance, Tables.workflowSummary, Tables.publishedPlan]) {
      await store.delete(table, workflowId);
    }
    await store.delete(Tables.workflowImages, workflowId.replace(/\./g, '_'));
    const [name, ...versionParts] = workflowId.split('-');
    await this.deps.housekeeping?.purgeWorkflowRuntimeData(workflowId, `${name}-${versionParts.join('-').replace(/\./g, '_')}-`);
    if (failures.length > 0) {
      report(`Removal of ${workflowId} is incomplete; run caribou remove ${workflowId} again`);
      return { workflowId, failures };
    }
    await store.delete(Tables.deploymentManagerResource, workflowId);
    await ledger.delete();
    report(`Removed workflow ${workflowId}`);
    return { workflowId, failures };
  }
}
