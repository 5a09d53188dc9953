import { describe, expect, it } from 'vitest';
import type { ExecutionRecord, RunLog, StartHopRecord, TransmissionRecord } from '../summary-types';
import { summarizeWorkflow } from './summarize-workflow';
import type { WorkflowInstanceData } from './instance-data-types';

const E1 = 'aws:us-east-1';
const W2 = 'aws:us-west-2';

function run(parts: { executions?: ExecutionRecord[]; transmissions?: TransmissionRecord[]; startHop?: StartHopRecord; runtime?: number }): RunLog {
  return {
    run_id: 'r',
    start_time: '2024-08-02 10:00:00,000000+0000',
    runtime_s: parts.runtime ?? 1,
    execution_data: parts.executions ?? [],
    transmission_data: parts.transmissions ?? [],
    start_hop_info: parts.startHop ?? { workflow_placement_decision: { retrieved_wpd_at_function: false } },
    unique_cpu_models: [],
  };
}

const exec = (instance: string, duration: number, extra: Partial<ExecutionRecord> = {}): ExecutionRecord => ({
  instance_name: instance,
  provider_region: E1,
  duration_s: duration,
  data_transfer_during_execution_gb: 0,
  ...extra,
});

const summarize = (logs: RunLog[]) => summarizeWorkflow({ logs, daily_invocation_counts: { '2024-08-02+0000': logs.length } }) as WorkflowInstanceData;

describe('summarizeWorkflow: input', () => {
  it('a workflow never synced gives {}', () => {
    expect(summarizeWorkflow(undefined)).toEqual({});
    expect(summarizeWorkflow({})).toEqual({});
  });

  // The row's shape is checked by its schema when the application reads it (stored-row-reads.spec.ts);
  // what the collector cannot do without is checked here.
  it('a run without a field the collector needs is a CaribouError naming the field and the fix', () => {
    expect(() => summarizeWorkflow({ logs: [run({ executions: [{ duration_s: 1 } as ExecutionRecord] })] }, 'wf')).toThrow(
      'workflow_summary_table[wf].logs[0].execution_data[0].instance_name is missing: run log_sync to rebuild the summary',
    );
  });

  it('a summary without runs gives empty summaries', () => {
    expect(summarize([])).toEqual({
      workflow_runtime_samples: [],
      daily_invocation_counts: { '2024-08-02+0000': 0 },
      daily_user_code_failure_counts: {},
      start_hop_summary: {
        invoked: 0,
        retrieved_wpd_at_function: 0,
        wpd_at_function_probability: 0,
        workflow_placement_decision_size_gb: [],
        at_redirector: {},
        from_client: { transfer_sizes_gb: [], received_region: {} },
      },
      instance_summary: {},
    });
  });
});

describe('summarizeWorkflow: executions', () => {
  it('clamps utilisation to [0, 1] before averaging and omits it when no run measured it', () => {
    const result = summarize([
      run({ executions: [exec('A', 0.1, { cpu_utilization: 1.4 }), exec('B', 0.1)] }),
      run({ executions: [exec('A', 0.2, { cpu_utilization: 0.5 }), exec('B', 0.1)] }),
    ]);
    expect(result.instance_summary['A']!.cpu_utilization).toBe(0.75);
    expect(result.instance_summary['A']!.executions!.at_region[E1]!.cpu_utilization).toBe(0.75);
    expect(result.instance_summary['B']).not.toHaveProperty('cpu_utilization');
    expect(result.instance_summary['B']!.executions!.at_region[E1]).not.toHaveProperty('cpu_utilization');
    expect(result.instance_summary['B']!.invocations).toBe(2);
  });

  it('auxiliary rows: 10 ms duration buckets, successor times rounded up to 1 ms, null for a successor not called', () => {
    const result = summarize([
      run({ executions: [exec('A', 0.161, { successor_data: { B: { task_type: 'INVOKE_SUCCESSOR_ONLY', invocation_time_from_function_start_s: 0.0501 } } })] }),
      run({ executions: [exec('A', 0.165, { data_transfer_during_execution_gb: 0.25, successor_data: { C: { task_type: 'INVOKE_SUCCESSOR_ONLY', invocation_time_from_function_start_s: 0.07 } } })] }),
      run({ executions: [exec('A', 2)] }),
    ]);
    const executions = result.instance_summary['A']!.executions!;
    expect(executions.auxiliary_index_translation).toEqual({ data_transfer_during_execution_gb: 0, B: 1, C: 2 });
    expect(executions.at_region[E1]).toEqual({
      durations_s: [0.161, 0.165, 2],
      auxiliary_data: { '0.17': [[0, 0.051, null], [0.25, null, 0.07]], '2.0': [[0, null, null]] },
    });
  });

  it('the redirector is summarised under at_redirector, its placement-decision fetches counted', () => {
    const startHop: StartHopRecord = {
      destination: W2,
      data_transfer_size_gb: 1e-6,
      latency_from_client_s: 0.3,
      workflow_placement_decision: { data_size_gb: 2e-6, retrieved_wpd_at_function: true },
      redirector_execution_data: exec('A', 0.06, { successor_data: { A: { task_type: 'REDIRECT_ONLY', invocation_time_from_function_start_s: 0.02 } } }),
    };
    const result = summarize([run({ startHop }), run({ startHop: { ...startHop, workflow_placement_decision: { data_size_gb: 4e-6, retrieved_wpd_at_function: false } } })]);
    expect(result.start_hop_summary).toMatchObject({ invoked: 2, retrieved_wpd_at_function: 1, wpd_at_function_probability: 0.5, workflow_placement_decision_size_gb: 3e-6 });
    expect(result.start_hop_summary.at_redirector['A']!.invocations).toBe(2);
    expect(result.start_hop_summary.at_redirector['A']!.executions!.at_region[E1]!.auxiliary_data).toEqual({ '0.06': [[0, 0.02], [0, 0.02]] });
    expect(result.instance_summary).toEqual({});
  });
});

describe('summarizeWorkflow: start hop', () => {
  it('keeps a client latency only inside (0, 3 s)', () => {
    const hop = (latency: number, size = 1e-6): StartHopRecord => ({
      destination: E1,
      data_transfer_size_gb: size,
      latency_from_client_s: latency,
      workflow_placement_decision: { retrieved_wpd_at_function: false },
    });
    const result = summarize([run({ startHop: hop(0.5) }), run({ startHop: hop(0) }), run({ startHop: hop(3.0) }), run({ startHop: hop(0.7, 5e-5) })]);
    const received = result.start_hop_summary.from_client.received_region[E1]!;
    expect(received.transfer_size_gb_to_transfer_latencies_s).toEqual({ '9.5367431640625e-06': [0.5], '5.7220458984375e-05': [0.7] });
    expect(result.start_hop_summary.from_client.transfer_sizes_gb).toEqual([1e-6, 1e-6, 1e-6, 5e-5]);
    expect(received.best_fit_line).toBeDefined();
  });

  it('a region with no plausible latency has no line', () => {
    const result = summarize([run({ startHop: { destination: W2, latency_from_client_s: 7, workflow_placement_decision: { retrieved_wpd_at_function: false } } })]);
    expect(result.start_hop_summary.from_client.received_region[W2]).toEqual({ transfer_size_gb_to_transfer_latencies_s: {} });
  });
});

describe('summarizeWorkflow: edges', () => {
  it('an upload-only call (sync node not invoked yet) records sizes but no latency, and an empty line', () => {
    const result = summarize([
      run({
        executions: [exec('A', 0.1)],
        transmissions: [
          {
            transmission_size_gb: 2e-6,
            from_instance: 'A',
            to_instance: 'S',
            from_region: E1,
            to_region: W2,
            successor_invoked: false,
            from_direct_successor: true,
            sync_information: { upload_size_gb: 5e-7, consumed_write_capacity: 1, sync_data_response_size_gb: 6e-7 },
          },
        ],
      }),
    ]);
    expect(result.instance_summary['A']!.to_instance!['S']).toEqual({
      invoked: 1,
      non_executions: 0,
      invocation_probability: 1,
      sync_size_gb: 6e-7,
      sns_only_size_gb: 2e-6,
      transfer_sizes_gb: [5e-7],
      regions_to_regions: { [E1]: { [W2]: { transfer_size_gb_to_transfer_latencies_s: {}, best_fit_line: {} } } },
      non_execution_info: {},
    });
  });

  it('a sync-node call made for a skipped successor goes to that successor’s non-execution info', () => {
    const result = summarize([
      run({
        executions: [
          exec('E', 0.1, {
            successor_data: {
              X: {
                task_type: 'CONDITIONALLY_NOT_INVOKE',
                invocation_time_from_function_start_s: 0.05,
                sync_info: { 'X>S': { data_transfer_size: 1e-6, sync_data_response_size_gb: 4e-7, consumed_write_capacity: 2, destination_region: W2 } },
              },
            },
          }),
        ],
        transmissions: [
          {
            transmission_size_gb: 1e-6,
            transmission_latency_s: 0.2,
            from_instance: 'E',
            uninvoked_instance: 'X',
            simulated_sync_predecessor: 'X',
            to_instance: 'S',
            from_region: E1,
            to_region: W2,
            successor_invoked: true,
            from_direct_successor: false,
            sync_information: { consumed_write_capacity: 2, sync_data_response_size_gb: 4e-7 },
          },
        ],
      }),
    ]);
    expect(result.instance_summary['E']!.to_instance!['X']).toEqual({
      invoked: 0,
      non_executions: 1,
      invocation_probability: 0,
      transfer_sizes_gb: [],
      regions_to_regions: {},
      non_execution_info: { 'X>S': { sync_data_response_size_gb: 4e-7, sns_transfer_size_gb: 1e-6, regions_to_regions: { [E1]: { [W2]: { transfer_latencies_s: [0.2] } } } } },
    });
  });

  it('invocation probability is invoked / (invoked + skipped)', () => {
    const called = run({
      executions: [exec('A', 0.1, { successor_data: { B: { task_type: 'INVOKE_SUCCESSOR_ONLY', invocation_time_from_function_start_s: 0.01 } } })],
      transmissions: [{ transmission_size_gb: 1e-6, transmission_latency_s: 0.1, from_instance: 'A', to_instance: 'B', from_region: E1, to_region: E1, successor_invoked: true, from_direct_successor: true }],
    });
    const skipped = run({ executions: [exec('A', 0.1, { successor_data: { B: { task_type: 'CONDITIONALLY_NOT_INVOKE', invocation_time_from_function_start_s: 0.01 } } })] });
    const result = summarize([called, skipped, skipped, skipped]);
    expect(result.instance_summary['A']!.to_instance!['B']).toMatchObject({ invoked: 1, non_executions: 3, invocation_probability: 0.25 });
  });
});
