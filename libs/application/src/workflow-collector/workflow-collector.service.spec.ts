import { CaribouError, Tables } from '@caribou/domain-common';
import { describe, expect, it } from 'vitest';
import { LogSyncService } from '../log-sync/log-sync.service';
import { FixedClock } from '../log-sync/testing/fixed-clock';
import { InMemoryKeyValueStore } from '../testing/in-memory-key-value-store';
import { RecordedLogSource } from '../log-sync/testing/recorded-log-source';
import { IA, IB, linearWorkflow } from '../log-sync/testing/scenario';
import { WorkflowCollectorService } from './workflow-collector.service';

const RUN1_START = Date.UTC(2024, 7, 2, 16, 43, 12, 300);
const NOW = Date.UTC(2024, 7, 2, 17, 15, 0);

/** reference-system §11.3 fixture A, the collector output's non-trivial parts. */
const FIXTURE_A_INSTANCES = JSON.parse(`{
  "wf-0_0_1-A:entry_point:0": {"invocations": 1, "cpu_utilization": 0.5, "executions": {"at_region": {"aws:us-east-1": {"cpu_utilization": 0.5, "durations_s": [0.16], "auxiliary_data": {"0.16": [[8.146972656249999e-07, 0.05]]}}}, "auxiliary_index_translation": {"data_transfer_during_execution_gb": 0, "wf-0_0_1-B:wf-0_0_1-A_0_0:1": 1}}, "to_instance": {"wf-0_0_1-B:wf-0_0_1-A_0_0:1": {"invoked": 1, "non_executions": 0, "invocation_probability": 1.0, "transfer_sizes_gb": [3e-06], "regions_to_regions": {"aws:us-east-1": {"aws:us-east-1": {"transfer_size_gb_to_transfer_latencies_s": {"9.5367431640625e-06": [0.15]}, "best_fit_line": {"slope_s": 0.0, "intercept_s": 0.15, "min_latency_s": 0.105, "max_latency_s": 0.195}}}}, "non_execution_info": {}}}},
  "wf-0_0_1-B:wf-0_0_1-A_0_0:1": {"invocations": 1, "cpu_utilization": 0.1, "executions": {"at_region": {"aws:us-east-1": {"cpu_utilization": 0.1, "durations_s": [0.21], "auxiliary_data": {"0.21": [[1.0]]}}}, "auxiliary_index_translation": {"data_transfer_during_execution_gb": 0}}}
}`);

describe('WorkflowCollectorService', () => {
  it('after a log sync of fixture A, stores the reference instance data compressed, bucket keys as Python reprs', async () => {
    const store = new InMemoryKeyValueStore();
    const logs = new RecordedLogSource();
    await linearWorkflow(store, logs, 'wf-0.0.1', [{ runId: 'run1', startMs: RUN1_START }]);
    await new LogSyncService({ store, logs, clock: new FixedClock(NOW) }).sync();

    const report = await new WorkflowCollectorService({ store }).collect('wf-0.0.1');
    expect(report).toEqual({ workflowId: 'wf-0.0.1', summarized: true, runs: 1, instances: 2 });
    const text = (await store.get(Tables.workflowInstance, 'wf-0.0.1'))!;
    expect(store.wasCompressed(Tables.workflowInstance, 'wf-0.0.1')).toBe(true);
    const data = JSON.parse(text);
    expect(data.instance_summary).toEqual(FIXTURE_A_INSTANCES);
    expect(text).toContain('"9.5367431640625e-06":[0.15]');
    expect(data.start_hop_summary.from_client.received_region['aws:us-east-1'].best_fit_line).toEqual({ slope_s: 0, intercept_s: 0.5, min_latency_s: 0.35, max_latency_s: 0.65 });
    expect(data.workflow_runtime_samples).toEqual([0.401]);
    expect(Object.keys(data.instance_summary)).toEqual([IA, IB]);
  });

  it('a workflow never synced gets {}; an unknown workflow is refused without writing anything', async () => {
    const store = new InMemoryKeyValueStore();
    await expect(new WorkflowCollectorService({ store }).collect('wf')).rejects.toThrow('No workflow wf is deployed');
    expect(store.writes).toEqual([]);
    store.seed(Tables.deploymentManagerResource, 'wf', { workflow_id: 'wf' });
    expect(await new WorkflowCollectorService({ store }).collect('wf')).toEqual({ workflowId: 'wf', summarized: false, runs: 0, instances: 0 });
    expect(await store.get(Tables.workflowInstance, 'wf')).toBe('{}');
  });

  it('a damaged summary is a CaribouError that says how to rebuild it', async () => {
    const store = new InMemoryKeyValueStore();
    store.seed(Tables.deploymentManagerResource, 'wf', { workflow_id: 'wf' });
    await store.put(Tables.workflowSummary, 'wf', '{"logs": 3}');
    await expect(new WorkflowCollectorService({ store }).collect('wf')).rejects.toThrow(CaribouError);
    await store.put(Tables.workflowSummary, 'wf', 'nope');
    await expect(new WorkflowCollectorService({ store }).collect('wf')).rejects.toThrow(/^Stored row workflow_summary_table\[wf\] is damaged \(not JSON: .*\): delete the row to rebuild it from the logs with caribou log_sync$/);
    expect(await store.get(Tables.workflowInstance, 'wf')).toBeUndefined();
  });
});
