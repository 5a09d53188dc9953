import { CaribouError, regionKey, Tables } from '@caribou/domain-common';
import { parsePlacementDecision, type StagedPlan } from '@caribou/domain-workflow';
import type { KeyValueStore } from '@caribou/ports';
import type { DeployedRegionEntry, DeploymentResourcesRecord } from '../deploy/index';
import type { FailedInvocation, FailedInvocationsService } from '../failures/index';
import { parseStoredRow, readStoredRow, redeployFix } from '../stored-rows';

export interface WorkflowView {
  workflow_id: string;
  home_region: string;
  entry_point: string;
  placement: {
    home: Record<string, string>;
    current?: { expiry_time: string | null; time_keys: string[]; instances: Record<string, Record<string, string>> };
  };
  deployed_functions: Array<{ name: string; region: string; function_identifier: string }>;
  synced_runs: number;
  last_sync_time?: string;
  instance_summary?: unknown;
  staged_plan?: StagedPlan;
  /** Asynchronous invocations the platform gave up on (drained from the on-failure destinations), oldest first. */
  failed_invocations: FailedInvocation[];
  /** Runs with at least one failed invocation. */
  failed_runs: string[];
}

/** `caribou show <id>`: what the framework knows about one workflow, from its tables. */
export class ShowWorkflowService {
  constructor(
    private readonly store: KeyValueStore,
    /** Composed with it everywhere; tests of the tables alone leave it out. */
    private readonly failures?: FailedInvocationsService,
  ) {}

  async show(workflowId: string): Promise<WorkflowView> {
    const wpdText = await this.store.get(Tables.workflowPlacementDecision, workflowId);
    if (!wpdText) throw new CaribouError(`No workflow ${workflowId} is deployed (caribou list shows the deployed workflows)`);
    const fix = redeployFix(workflowId);
    const wpdRow = { table: Tables.workflowPlacementDecision, key: workflowId };
    const wpd = parsePlacementDecision(wpdText, `${Tables.workflowPlacementDecision}[${workflowId}]`, redeployFix(workflowId));
    const home = readStoredRow(wpdRow, fix, () =>
      Object.fromEntries(Object.entries(wpd.workflow_placement.home_deployment).map(([instance, p]) => [instance, regionKey(p.provider_region)])),
    );
    const current = wpd.workflow_placement.current_deployment;
    const view: WorkflowView = {
      workflow_id: workflowId,
      home_region: home[wpd.current_instance_name] ?? '',
      entry_point: wpd.current_instance_name,
      placement: { home },
      deployed_functions: [],
      synced_runs: 0,
      failed_invocations: [],
      failed_runs: [],
    };
    if (current) readStoredRow(wpdRow, fix, () => {
      view.placement.current = {
        expiry_time: current.expiry_time,
        time_keys: current.time_keys,
        instances: Object.fromEntries(
          Object.entries(current.instances).map(([key, instances]) => [
            key,
            Object.fromEntries(Object.entries(instances).map(([instance, p]) => [instance, regionKey(p.provider_region)])),
          ]),
        ),
      };
    });
    const resourcesText = await this.store.get(Tables.deploymentResources, workflowId);
    if (resourcesText) {
      const row = { table: Tables.deploymentResources, key: workflowId };
      const resources = parseStoredRow<DeploymentResourcesRecord>(row, resourcesText, fix);
      const regions = parseStoredRow<Record<string, DeployedRegionEntry>>({ ...row, field: 'deployed_regions' }, resources.deployed_regions, fix);
      view.deployed_functions = readStoredRow(row, fix, () =>
        Object.entries(regions).map(([name, entry]) => ({
          name,
          region: regionKey(entry.deploy_region),
          function_identifier: entry.function_identifier,
        })),
      );
    }
    const summaryText = await this.store.get(Tables.workflowSummary, workflowId);
    if (summaryText) {
      const summary = parseStoredRow<{ logs?: unknown[]; last_sync_time?: string }>(
        { table: Tables.workflowSummary, key: workflowId },
        summaryText,
        `delete it with caribou remove ${workflowId} and deploy again, or sync into a new version`,
      );
      view.synced_runs = summary.logs?.length ?? 0;
      if (summary.last_sync_time) view.last_sync_time = summary.last_sync_time;
    }
    const instanceText = await this.store.get(Tables.workflowInstance, workflowId);
    if (instanceText) {
      const collected = parseStoredRow<{ instance_summary?: unknown }>(
        { table: Tables.workflowInstance, key: workflowId },
        instanceText,
        'run caribou data_collect workflow again to rebuild it',
      );
      if (collected.instance_summary) view.instance_summary = collected.instance_summary;
    }
    const stagedText = await this.store.get(Tables.workflowPlacementSolverStagingArea, workflowId);
    if (stagedText) {
      view.staged_plan = parseStoredRow<StagedPlan>(
        { table: Tables.workflowPlacementSolverStagingArea, key: workflowId },
        stagedText,
        'run caribou manage_deployments again to stage a new plan',
      );
    }
    // Fresh failures first: what the destinations hold now is part of what the framework knows.
    if (this.failures) {
      await this.failures.drain();
      view.failed_invocations = await this.failures.forWorkflow(workflowId);
    }
    view.failed_runs = [...new Set(view.failed_invocations.map((failure) => failure.run_id))];
    return view;
  }
}
