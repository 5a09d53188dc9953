import { CaribouError, Tables } from '@caribou/domain-common';
import { summarizeWorkflow } from '@caribou/domain-telemetry';
import type { KeyValueStore } from '@caribou/ports';
import { readRow } from '../stored-rows';

export interface WorkflowCollectorDeps {
  store: KeyValueStore;
}

export interface WorkflowCollectionReport {
  workflowId: string;
  /** False when the workflow has no summary yet (never synced): `{}` was stored. */
  summarized: boolean;
  /** Runs the summary held. */
  runs: number;
  /** Instances with execution or transfer data. */
  instances: number;
}

/**
 * `caribou data_collect workflow` (reference-system §9.4): turns the log syncer's
 * summary of a workflow into the distributions the solver samples, stored compressed in
 * `workflow_instance_table`. A workflow without a summary gets `{}`, as in the reference.
 */
export class WorkflowCollectorService {
  constructor(private readonly deps: WorkflowCollectorDeps) {}

  async collect(workflowId: string): Promise<WorkflowCollectionReport> {
    if (!workflowId) throw new CaribouError('No workflow id provided: pass the id shown by `caribou list`');
    if (!(await this.deps.store.has(Tables.deploymentManagerResource, workflowId))) {
      throw new CaribouError(`No workflow ${workflowId} is deployed (caribou list shows the deployed workflows)`);
    }
    const summary = await readRow(this.deps.store, Tables.workflowSummary, workflowId);
    const data = summarizeWorkflow(summary, workflowId);
    await this.deps.store.put(Tables.workflowInstance, workflowId, JSON.stringify(data), { compress: true });
    return {
      workflowId,
      summarized: 'instance_summary' in data,
      runs: summary?.logs?.length ?? 0,
      instances: 'instance_summary' in data ? Object.keys(data.instance_summary).length : 0,
    };
  }
}
