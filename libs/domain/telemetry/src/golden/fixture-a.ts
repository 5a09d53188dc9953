import type { ProviderRegion } from '@caribou/domain-common';
import { formatCaribouLine, formatReportLine, LogMessages } from '../log-messages';
import { parseTimeMicros } from '../time-micros';

/** One deployed function of a fixture: what its log and its Insights records hold. */
export interface FixtureFunction {
  name: string;
  region: ProviderRegion;
  lines: string[];
  insights: string[];
}

export interface GoldenFixture {
  workflowId: string;
  functions: FixtureFunction[];
  /** The one interval the reference harness synced, epoch ms. */
  interval: { startMs: number; endMs: number };
  expectedSummary: Record<string, unknown>;
}

/** Epoch ms of a `TIME_FORMAT` time without zone (UTC). */
export const ms = (time: string): number => parseTimeMicros(`${time}+0000`)! / 1000;

export const line = (time: string, requestId: string, runId: string, message: string): string =>
  formatCaribouLine(ms(time), requestId, runId, message);

export const report = (requestId: string, durationMs: number, memorySizeMb: number): string =>
  formatReportLine({ requestId, durationMs, memorySizeMb, maxMemoryUsedMb: memorySizeMb / 4 });

export const insights = (requestId: string, fields: Record<string, number>): string => JSON.stringify({ request_id: requestId, ...fields });

const IA = 'wf-0_0_1-A:entry_point:0';
const IB = 'wf-0_0_1-B:wf-0_0_1-A_0_0:1';
const CPU = 'Intel(R) Xeon(R) Processor @ 2.50GHz';
const useast1 = { provider: 'aws', region: 'us-east-1' };

/** reference-system §11.3, fixture A: linear A → B, run `run1`. */
export const fixtureA: GoldenFixture = {
  workflowId: 'wf-0.0.1',
  interval: { startMs: ms('2024-08-02 16:00:00,000000'), endMs: ms('2024-08-02 17:00:00,000000') },
  functions: [
    {
      name: 'wf-0_0_1-A_aws-us-east-1',
      region: useast1,
      lines: [
        line(
          '2024-08-02 16:43:12,300000',
          'reqA',
          'run1',
          LogMessages.entryPoint({
            instance: IA,
            workflowId: 'wf-0.0.1',
            userPayloadSizeGb: 1e-6,
            redirected: false,
            initLatencyFromClientS: 0.5,
            initLatencyFirstReceivedS: 0.0,
            timeFromFunctionStartS: 0.001,
            requestSource: 'Caribou CLI',
            wpdSizeGb: 2e-6,
            consumedReadCapacity: 1.0,
          }),
        ),
        line('2024-08-02 16:43:12,300000', 'reqA', 'run1', LogMessages.invoked({ instance: IA, taint: null, hops: 1 })),
        line(
          '2024-08-02 16:43:12,350000',
          'reqA',
          'run1',
          LogMessages.invokingSuccessor({
            instance: IA,
            successor: IB,
            payloadSizeGb: 3e-6,
            taint: 't1',
            provider: 'aws',
            region: 'us-east-1',
            successorInvoked: true,
            invocationTimeFromFunctionStartS: 0.05,
            finishTimeFromInvocationStartS: 0.04,
          }),
        ),
        line('2024-08-02 16:43:12,450000', 'reqA', 'run1', LogMessages.executed({ instance: IA, userExecutionTimeS: 0.1, totalExecutionTimeS: 0.15 })),
        line('2024-08-02 16:43:12,451000', 'reqA', 'run1', LogMessages.usedCpuModel({ cpuModel: CPU, instance: IA, fromRedirector: false })),
        report('reqA', 160, 1769),
      ],
      insights: [insights('reqA', { total_memory: 1769, duration: 160, cpu_total_time: 80, total_network: 4096 })],
    },
    {
      name: 'wf-0_0_1-B_aws-us-east-1',
      region: useast1,
      lines: [
        line('2024-08-02 16:43:12,500000', 'reqB', 'run1', LogMessages.invoked({ instance: IB, taint: 't1', hops: 2 })),
        line('2024-08-02 16:43:12,700000', 'reqB', 'run1', LogMessages.executed({ instance: IB, userExecutionTimeS: 0.2, totalExecutionTimeS: 0.2 })),
        line('2024-08-02 16:43:12,701000', 'reqB', 'run1', LogMessages.usedCpuModel({ cpuModel: CPU, instance: IB, fromRedirector: false })),
        report('reqB', 210, 1769),
      ],
      insights: [insights('reqB', { total_memory: 1769, duration: 210, cpu_total_time: 21, total_network: 1073741824 })],
    },
  ],
  expectedSummary: JSON.parse(`{"daily_invocation_counts": {"2024-08-02+0000": 1}, "daily_user_code_failure_counts": {},
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
 "workflow_runtime_samples": [0.401], "last_sync_time": "2024-08-02 17:00:00,000000+0000"}`),
};

/** The non-trivial parts of fixture A's collector output, as the spec lists them. */
export const fixtureACollector = JSON.parse(`{
 "start_hop_summary": {"invoked": 1, "retrieved_wpd_at_function": 0, "wpd_at_function_probability": 0.0, "workflow_placement_decision_size_gb": 2e-06, "at_redirector": {}, "from_client": {"transfer_sizes_gb": [1e-06], "received_region": {"aws:us-east-1": {"transfer_size_gb_to_transfer_latencies_s": {"9.5367431640625e-06": [0.5]}, "best_fit_line": {"slope_s": 0.0, "intercept_s": 0.5, "min_latency_s": 0.35, "max_latency_s": 0.65}}}}},
 "instance_summary": {
  "wf-0_0_1-A:entry_point:0": {"invocations": 1, "cpu_utilization": 0.5, "executions": {"at_region": {"aws:us-east-1": {"cpu_utilization": 0.5, "durations_s": [0.16], "auxiliary_data": {"0.16": [[8.146972656249999e-07, 0.05]]}}}, "auxiliary_index_translation": {"data_transfer_during_execution_gb": 0, "wf-0_0_1-B:wf-0_0_1-A_0_0:1": 1}}, "to_instance": {"wf-0_0_1-B:wf-0_0_1-A_0_0:1": {"invoked": 1, "non_executions": 0, "invocation_probability": 1.0, "transfer_sizes_gb": [3e-06], "regions_to_regions": {"aws:us-east-1": {"aws:us-east-1": {"transfer_size_gb_to_transfer_latencies_s": {"9.5367431640625e-06": [0.15]}, "best_fit_line": {"slope_s": 0.0, "intercept_s": 0.15, "min_latency_s": 0.105, "max_latency_s": 0.195}}}}, "non_execution_info": {}}}},
  "wf-0_0_1-B:wf-0_0_1-A_0_0:1": {"invocations": 1, "cpu_utilization": 0.1, "executions": {"at_region": {"aws:us-east-1": {"cpu_utilization": 0.1, "durations_s": [0.21], "auxiliary_data": {"0.21": [[1.0]]}}}, "auxiliary_index_translation": {"data_transfer_during_execution_gb": 0}}}
 }
}`);
