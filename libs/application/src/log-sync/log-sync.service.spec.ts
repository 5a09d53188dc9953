import { Tables } from '@caribou/domain-common';
import { describe, expect, it } from 'vitest';
import { LogSyncService } from './log-sync.service';
import { FixedClock } from './testing/fixed-clock';
import { InMemoryKeyValueStore } from '../testing/in-memory-key-value-store';
import { RecordedLogSource } from './testing/recorded-log-source';
import { addFunctionLines, FUNCTION_A, FUNCTION_B, IB, linearRunLines, linearWorkflow, registerDeployedWorkflow, US_EAST_1 } from './testing/scenario';

const MIN = 60_000;
const DAY = 86_400_000;
const RUN1_START = Date.UTC(2024, 7, 2, 16, 43, 12, 300);
const NOW = Date.UTC(2024, 7, 2, 17, 15, 0);

function setup(now = NOW) {
  const store = new InMemoryKeyValueStore();
  const logs = new RecordedLogSource();
  const clock = new FixedClock(now);
  return { store, logs, clock, service: new LogSyncService({ store, logs, clock }) };
}

const storedSummary = async (store: InMemoryKeyValueStore, id: string) => JSON.parse((await store.get(Tables.workflowSummary, id))!);

/** reference-system §11.3 fixture A, expected workflow_summary_table value (unique_cpu_models has one entry, so order is moot). */
const FIXTURE_A_SUMMARY = JSON.parse(`{"daily_invocation_counts": {"2024-08-02+0000": 1}, "daily_user_code_failure_counts": {},
 "logs": [{"run_id": "run1", "start_time": "2024-08-02 16:43:12,300000+0000", "runtime_s": 0.401,
   "execution_data": [
     {"instance_name": "wf-0_0_1-A:entry_point:0", "duration_s": 0.16, "cpu_model": "Intel(R) Xeon(R) Processor @ 2.50GHz",
      "provider_region": "aws:us-east-1", "data_transfer_during_execution_gb": 8.146972656249999e-07, "cpu_utilization": 0.5,
      "successor_data": {"wf-0_0_1-B:wf-0_0_1-A_0_0:1": {"task_type": "INVOKE_SUCCESSOR_ONLY", "invocation_time_from_function_start_s": 0.05}},
      "additional_analysis_data": {"input_payload_size_gb": 1e-06, "total_input_data_transfer_gb": 0.0, "total_output_data_transfer_gb": 3e-06}},
     {"instance_name": "wf-0_0_1-B:wf-0_0_1-A_0_0:1", "duration_s": 0.21, "cpu_model": "Intel(R) Xeon(R) Processor @ 2.50GHz",
      "provider_region": "aws:us-east-1", "data_transfer_during_execution_gb": 1.0, "cpu_utilization": 0.1,
      "additional_analysis_data": {"input_payload_size_gb": 3e-06, "total_input_data_transfer_gb": 0.0, "total_output_data_transfer_gb": 0.0}}],
   "transmission_data": [{"transmission_size_gb": 3e-06, "transmission_latency_s": 0.15, "from_instance": "wf-0_0_1-A:entry_point:0",
      "to_instance": "wf-0_0_1-B:wf-0_0_1-A_0_0:1", "from_region": "aws:us-east-1", "to_region": "aws:us-east-1",
      "successor_invoked": true, "from_direct_successor": true}],
   "start_hop_info": {"destination": "aws:us-east-1", "request_source": "Caribou CLI", "data_transfer_size_gb": 1e-06,
      "latency_from_client_s": 0.5, "time_from_function_start_to_entry_point_s": 0.001,
      "workflow_placement_decision": {"data_size_gb": 2e-06, "consumed_read_capacity": 1.0, "retrieved_wpd_at_function": false}},
   "unique_cpu_models": ["Intel(R) Xeon(R) Processor @ 2.50GHz"]}],
 "workflow_runtime_samples": [0.401], "last_sync_time": "2024-08-02 17:00:00,000000+0000"}`);

describe('LogSyncService', () => {
  it('golden fixture A end to end: stores the reference summary, compressed', async () => {
    const { store, logs, service } = setup();
    await linearWorkflow(store, logs, 'wf-0.0.1', [{ runId: 'run1', startMs: RUN1_START }]);
    const [report] = await service.sync();
    expect(report).toMatchObject({ workflowId: 'wf-0.0.1', status: 'synced', runsSynced: 1, malformedLines: 0, functions: 2, intervals: 30 });
    expect(report!.lastSyncTime).toBe('2024-08-02 17:00:00,000000+0000');
    expect(await storedSummary(store, 'wf-0.0.1')).toEqual(FIXTURE_A_SUMMARY);
    expect(store.wasCompressed(Tables.workflowSummary, 'wf-0.0.1')).toBe(true);
  });

  it('streams each function-day a chunk at a time and stores the same summary as reading it whole', async () => {
    const store = new InMemoryKeyValueStore();
    const logs = new RecordedLogSource({ chunkLines: 2 });
    const service = new LogSyncService({ store, logs, clock: new FixedClock(NOW) });
    await linearWorkflow(store, logs, 'wf-0.0.1', [{ runId: 'run1', startMs: RUN1_START }]);
    const [report] = await service.sync();
    expect(report).toMatchObject({ status: 'synced', runsSynced: 1, linesRead: 10 });
    expect(await storedSummary(store, 'wf-0.0.1')).toEqual(FIXTURE_A_SUMMARY);
    // Fixture A's two function-days came as chunks of at most two lines.
    expect(logs.largestChunk).toBe(2);
    expect(logs.chunks).toBe(5);
  });

  it('asks the log source for the [CARIBOU] and REPORT lines only (a filter pattern on CloudWatch)', async () => {
    const { store, logs, service } = setup();
    await linearWorkflow(store, logs, 'wf', [{ runId: 'run1', startMs: RUN1_START }]);
    await service.sync();
    const lineReads = logs.reads.filter((r) => r.kind === 'logs');
    expect(lineReads.length).toBeGreaterThan(0);
    for (const read of lineReads) expect(read.containingAny).toEqual(['[CARIBOU]', 'REPORT RequestId:']);
  });

  it('reads each deployed function over each interval; Insights with a 15-minute margin on AWS', async () => {
    const { store, logs, service } = setup();
    await linearWorkflow(store, logs, 'wf', [{ runId: 'run1', startMs: RUN1_START }]);
    await store.put(Tables.workflowSummary, 'wf', JSON.stringify({ last_sync_time: '2024-08-02 16:00:00,000000+0000' }));
    await service.sync({ workflowId: 'wf' });
    expect(logs.reads.filter((r) => r.kind === 'logs').map(({ containingAny: _, ...read }) => read)).toEqual([
      { kind: 'logs', function: FUNCTION_A, region: 'aws:us-east-1', startMs: Date.UTC(2024, 7, 2, 16), endMs: Date.UTC(2024, 7, 2, 17) },
      { kind: 'logs', function: FUNCTION_B, region: 'aws:us-east-1', startMs: Date.UTC(2024, 7, 2, 16), endMs: Date.UTC(2024, 7, 2, 17) },
    ]);
    expect(logs.reads.filter((r) => r.kind === 'insights')[0]).toEqual({
      kind: 'insights',
      function: FUNCTION_A,
      region: 'aws:us-east-1',
      startMs: Date.UTC(2024, 7, 2, 16) - 15 * MIN,
      endMs: Date.UTC(2024, 7, 2, 17) + 15 * MIN,
    });
  });

  it('last sync 14 minutes before the buffered now: too soon, nothing read or written', async () => {
    const { store, logs, service } = setup();
    await linearWorkflow(store, logs, 'wf', [{ runId: 'run1', startMs: RUN1_START }]);
    await store.put(Tables.workflowSummary, 'wf', JSON.stringify({ last_sync_time: '2024-08-02 16:46:00,000000+0000' }));
    const putsBefore = store.writes.length;
    const [report] = await service.sync({ workflowId: 'wf' });
    expect(report!.status).toBe('too-soon');
    expect(logs.reads).toEqual([]);
    expect(store.writes.length).toBe(putsBefore);
  });

  it('local provider: no buffer, lines up to now are read', async () => {
    const local = { provider: 'local', region: 'ca-central-1' };
    const { store, logs, service } = setup(RUN1_START + 5 * MIN);
    await linearWorkflow(store, logs, 'wf', [{ runId: 'run1', startMs: RUN1_START }], { region: local });
    const [report] = await service.sync();
    expect(report).toMatchObject({ status: 'synced', runsSynced: 1, toMs: RUN1_START + 5 * MIN });
  });

  it('the buffer is a constructor option', async () => {
    const store = new InMemoryKeyValueStore();
    const logs = new RecordedLogSource();
    const service = new LogSyncService({ store, logs, clock: new FixedClock(NOW) }, { bufferMinutesFor: () => 5 });
    await linearWorkflow(store, logs, 'wf', [{ runId: 'run1', startMs: RUN1_START }]);
    expect((await service.sync())[0]!.toMs).toBe(NOW - 5 * MIN);
  });

  it('syncs every workflow in deployment_manager_resource_table', async () => {
    const { store, logs, service } = setup();
    await linearWorkflow(store, logs, 'wf-one', [{ runId: 'one', startMs: RUN1_START }], { functionSuffix: '-one' });
    await linearWorkflow(store, logs, 'wf-two', [{ runId: 'two', startMs: RUN1_START - DAY }], { functionSuffix: '-two' });
    const reports = await service.sync();
    expect(reports.map((r) => [r.workflowId, r.status, r.runsSynced])).toEqual([
      ['wf-one', 'synced', 1],
      ['wf-two', 'synced', 1],
    ]);
    expect((await storedSummary(store, 'wf-two')).logs[0].run_id).toBe('two');
  });

  it('counts malformed lines and cold starts in the report and still stores the good runs', async () => {
    const { store, logs, service } = setup();
    await linearWorkflow(store, logs, 'wf', [
      { runId: 'warm', startMs: RUN1_START },
      { runId: 'cold', startMs: RUN1_START + 1000, coldStartB: true },
    ]);
    addFunctionLines(logs, US_EAST_1, FUNCTION_A, [linearRunLines('broken', RUN1_START + 2000).linesA[2]!.replace(/PAYLOAD_SIZE \([^)]*\)/, 'PAYLOAD_SIZE (big)')]);
    const [report] = await service.sync();
    expect(report).toMatchObject({ status: 'synced', runsSynced: 2, runsWithColdStart: 1, malformedLines: 1, runsWithMalformedLines: 1 });
    const summary = await storedSummary(store, 'wf');
    expect(summary.logs.map((l: { run_id: string }) => l.run_id)).toEqual(['warm', 'cold']);
    const coldB = summary.logs[1].execution_data.find((e: { instance_name: string }) => e.instance_name === IB);
    expect(coldB.cold_start).toBe(true);
  });

  it('without Insights records the runs still count (REPORT durations, no CPU utilisation)', async () => {
    const { store, logs, service } = setup();
    await linearWorkflow(store, logs, 'wf', [{ runId: 'run1', startMs: RUN1_START }], { insights: false });
    const [report] = await service.sync();
    expect(report).toMatchObject({ runsSynced: 1, insightsRecords: 0 });
    const execution = (await storedSummary(store, 'wf')).logs[0].execution_data[0];
    expect(execution.duration_s).toBe(0.16);
    expect(execution).not.toHaveProperty('cpu_utilization');
  });

  it('a second sync continues from last_sync_time and keeps the earlier runs and counts', async () => {
    const { store, logs, clock, service } = setup();
    await linearWorkflow(store, logs, 'wf', [{ runId: 'run1', startMs: RUN1_START }]);
    await service.sync();
    const later = RUN1_START + 60 * MIN;
    const next = linearRunLines('run2', later);
    addFunctionLines(logs, US_EAST_1, FUNCTION_A, next.linesA);
    addFunctionLines(logs, US_EAST_1, FUNCTION_B, next.linesB);
    clock.nowMs = NOW + 90 * MIN;
    logs.reads.length = 0;
    const [report] = await service.sync();
    expect(logs.reads[0]).toMatchObject({ startMs: Date.UTC(2024, 7, 2, 17), endMs: NOW + 75 * MIN });
    expect(report).toMatchObject({ runsSynced: 1, logsRetained: 2 });
    const summary = await storedSummary(store, 'wf');
    expect(summary.logs.map((l: { run_id: string }) => l.run_id)).toEqual(['run1', 'run2']);
    expect(summary.daily_invocation_counts).toEqual({ '2024-08-02+0000': 2 });
    expect(summary.workflow_runtime_samples).toEqual([0.401, 0.401]);
  });

  it('reports workflows without resources, and damaged resources, without stopping the others', async () => {
    const { store, logs, service } = setup();
    await store.put(Tables.deploymentManagerResource, 'half-deployed', '{}');
    await registerDeployedWorkflow(store, 'damaged', []);
    await store.put(
      Tables.deploymentResources,
      'damaged',
      JSON.stringify({ deployed_regions: JSON.stringify({ fn: { deploy_region: { provider: 'aws' }, identifier: 'fn', function_identifier: 'fn' } }) }),
    );
    await linearWorkflow(store, logs, 'fine', [{ runId: 'run1', startMs: RUN1_START }]);
    const reports = await service.sync();
    expect(reports.map((r) => [r.workflowId, r.status])).toEqual([
      ['half-deployed', 'not-deployed'],
      ['damaged', 'failed'],
      ['fine', 'synced'],
    ]);
    expect(reports[1]!.message).toBe(
      'Stored row deployment_resources_table[damaged].deployed_regions.fn.deploy_region.region is damaged (Invalid input: expected string, received undefined): remove the workflow (caribou remove damaged) and deploy it again',
    );
  });

  it('reads ahead but folds batches in order; a failing read fails the workflow, not the process', async () => {
    const { store, logs, service } = setup();
    await linearWorkflow(store, logs, 'wf', [{ runId: 'run1', startMs: RUN1_START }]);
    const original = logs.getLogsBetween.bind(logs);
    let calls = 0;
    logs.getLogsBetween = async (region, name, startMs, endMs) => {
      calls++;
      if (name === FUNCTION_B && startMs < RUN1_START - 2 * DAY) throw new Error('CloudWatch throttled');
      return original(region, name, startMs, endMs);
    };
    const [report] = await service.sync();
    expect(report).toMatchObject({ status: 'failed', message: 'CloudWatch throttled' });
    // Reads stop soon after the failure instead of running through all 60 windows.
    expect(calls).toBeLessThan(40);
    expect(await store.get(Tables.workflowSummary, 'wf')).toBeUndefined();
  });

  it('a damaged previous summary fails that workflow with the fix in the message', async () => {
    const { store, logs, service } = setup();
    await linearWorkflow(store, logs, 'wf', [{ runId: 'run1', startMs: RUN1_START }]);
    await store.put(Tables.workflowSummary, 'wf', 'not json');
    const [report] = await service.sync();
    expect(report).toMatchObject({ status: 'failed', message: expect.stringMatching(/^Stored row workflow_summary_table\[wf\] is damaged \(not JSON: .*\): delete the row to rebuild it from the logs with caribou log_sync$/) });
  });
});
