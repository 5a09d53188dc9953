import { CaribouError, regionKey, Tables } from '@caribou/domain-common';
import type { InstancePlacement, StagedPlan } from '@caribou/domain-workflow';
import type { KeyValueStore } from '@caribou/ports';
import type { FailedInvocation, FailedInvocationsService } from '../failures/index';
import { readRow } from '../stored-rows';

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
    const wpd = await readRow(this.store, Tables.workflowPlacementDecision, workflowId);
    if (!wpd) throw new CaribouError(`No workflow ${workflowId} is deployed (caribou list shows the deployed workflows)`);
    const regionsOf = (placements: Record<string, InstancePlacement>) =>
      Object.fromEntries(Object.entries(placements).map(([instance, p]) => [instance, regionKey(p.provider_region)]));
    const home = regionsOf(wpd.workflow_placement.home_deployment);
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
    if (current) {
      view.placement.current = {
        expiry_time: current.expiry_time,
        time_keys: current.time_keys,
        instances: Object.fromEntries(Object.entries(current.instances).map(([key, instances]) => [key, regionsOf(instances)])),
      };
    }
    const resources = await readRow(this.store, Tables.deploymentResources, workflowId);
    if (resources) {
      view.deployed_functions = Object.entries(resources.deployed_regions).map(([name, entry]) => ({
        name,
        region: regionKey(entry.deploy_region),
        function_identifier: entry.function_identifier,
      }));
    }
    const summary = await readRow(this.store, Tables.workflowSummary, workflowId);
    if (summary) {
      view.synced_runs = summary.logs?.length ?? 0;
      if (summary.last_sync_time) view.last_sync_time = summary.last_sync_time;
    }
    const collected = await readRow(this.store, Tables.workflowInstance, workflowId);
    if (collected && 'instance_summary' in collected) view.instance_summary = collected.instance_summary;
    const staged = await readRow(this.store, Tables.workflowPlacementSolverStagingArea, workflowId);
    if (staged) view.staged_plan = staged;
    // Fresh failures first: what the destinations hold now is part of what the framework knows.
    if (this.failures) {
      await this.failures.drain();
      view.failed_invocations = await this.failures.forWorkflow(workflowId);
    }
    view.failed_runs = [...new Set(view.failed_invocations.map((failure) => failure.run_id))];
    return view;
  }
}
