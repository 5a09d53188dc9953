import { LogMessages } from '../log-messages';
import { insights, line, ms, report, type FixtureFunction } from './fixture-a';

export const IE = 'wf-0_0_1-E:entry_point:0';
export const IX = 'wf-0_0_1-X:wf-0_0_1-E_0_0:1';
export const IS = 'wf-0_0_1-S:sync:';
const useast1 = { provider: 'aws', region: 'us-east-1' };
const uswest2 = { provider: 'aws', region: 'us-west-2' };

/** reference-system §11.3, fixture B: E skips X (whose path reaches sync node S), then calls S directly; run `run2`. */
export const fixtureB = {
  workflowId: 'wf-0.0.1',
  interval: { startMs: ms('2024-08-02 09:00:00,000000'), endMs: ms('2024-08-02 11:00:00,000000') },
  functions: [
    {
      name: 'wf-0_0_1-E_aws-us-east-1',
      region: useast1,
      lines: [
        line(
          '2024-08-02 10:00:00,000000',
          'reqE',
          'run2',
          LogMessages.entryPoint({
            instance: IE,
            workflowId: 'wf-0.0.1',
            userPayloadSizeGb: 1e-6,
            redirected: false,
            initLatencyFromClientS: 0.4,
            initLatencyFirstReceivedS: 0.0,
            timeFromFunctionStartS: 0.001,
            requestSource: 'Caribou CLI',
            wpdSizeGb: 2e-6,
            consumedReadCapacity: 1.0,
          }),
        ),
        line('2024-08-02 10:00:00,000000', 'reqE', 'run2', LogMessages.invoked({ instance: IE, taint: null, hops: 1 })),
        line(
          '2024-08-02 10:00:00,050000',
          'reqE',
          'run2',
          LogMessages.invokingSyncNode({
            instance: IE,
            successor: IX,
            predecessor: IX,
            syncNode: IS,
            successorInvoked: false,
            payloadSizeGb: 0.0,
            syncDataResponseSizeGb: 4e-7,
            consumedWriteCapacity: 2.0,
            taint: null,
            provider: 'aws',
            region: 'us-west-2',
            invocationTimeFromFunctionStartS: 0.05,
            finishTimeFromInvocationStartS: 0.03,
            callStartToFinishS: 0.03,
          }),
        ),
        line(
          '2024-08-02 10:00:00,051000',
          'reqE',
          'run2',
          LogMessages.conditionalNonExecution({
            instance: IE,
            successor: IX,
            consumedWriteCapacity: 2.0,
            syncDataResponseSizeGb: 4e-7,
            provider: 'aws',
            region: 'us-east-1',
            invocationTimeFromFunctionStartS: 0.05,
            finishTimeFromInvocationStartS: 0.051,
          }),
        ),
        line(
          '2024-08-02 10:00:00,110000',
          'reqE',
          'run2',
          LogMessages.invokingSuccessor({
            instance: IE,
            successor: IS,
            payloadSizeGb: 2e-6,
            taint: 't2',
            provider: 'aws',
            region: 'us-west-2',
            successorInvoked: true,
            invocationTimeFromFunctionStartS: 0.11,
            finishTimeFromInvocationStartS: 0.09,
            upload: { uploadSizeGb: 5e-7, consumedWriteCapacity: 3.0, syncDataResponseSizeGb: 6e-7, uploadRttS: 0.02 },
          }),
        ),
        line('2024-08-02 10:00:00,250000', 'reqE', 'run2', LogMessages.executed({ instance: IE, userExecutionTimeS: 0.12, totalExecutionTimeS: 0.25 })),
        line('2024-08-02 10:00:00,251000', 'reqE', 'run2', LogMessages.usedCpuModel({ cpuModel: 'cpuA', instance: IE, fromRedirector: false })),
        report('reqE', 250, 1769),
      ],
      insights: [insights('reqE', { total_memory: 1769, duration: 250, cpu_total_time: 125, total_network: 0 })],
    },
    {
      name: 'wf-0_0_1-S_aws-us-west-2',
      region: uswest2,
      lines: [
        line('2024-08-02 10:00:00,400000', 'reqS', 'run2', LogMessages.invoked({ instance: IS, taint: 't2', hops: 2 })),
        line(
          '2024-08-02 10:00:00,410000',
          'reqS',
          'run2',
          LogMessages.downloadDataFromSyncTable({ instance: IS, downloadSizeGb: 5e-7, consumedReadCapacity: 0.5, downloadTimeS: 0.01 }),
        ),
        line('2024-08-02 10:00:00,500000', 'reqS', 'run2', LogMessages.executed({ instance: IS, userExecutionTimeS: 0.1, totalExecutionTimeS: 0.1 })),
        line('2024-08-02 10:00:00,501000', 'reqS', 'run2', LogMessages.usedCpuModel({ cpuModel: 'cpuB', instance: IS, fromRedirector: false })),
        report('reqS', 100, 3538),
      ],
      insights: [insights('reqS', { total_memory: 3538, duration: 100, cpu_total_time: 0, total_network: 0 })],
    },
  ] satisfies FixtureFunction[],
  expected: {
    runtime_s: 0.501,
    executionE: JSON.parse(`{"duration_s": 0.25, "cpu_utilization": 0.5, "data_transfer_during_execution_gb": 0.0,
      "successor_data": {"${IX}": {"task_type": "CONDITIONALLY_NOT_INVOKE", "invocation_time_from_function_start_s": 0.05,
        "sync_info": {"${IX}>${IS}": {"data_transfer_size": 0.0, "sync_data_response_size_gb": 4e-07, "consumed_write_capacity": 2.0, "destination_region": "aws:us-west-2"}},
        "consumed_write_capacity": 2.0},
        "${IS}": {"task_type": "SYNC_UPLOAD_AND_INVOKE", "invocation_time_from_function_start_s": 0.11, "consumed_write_capacity": 3.0}},
      "additional_analysis_data": {"input_payload_size_gb": 1e-06, "total_input_data_transfer_gb": 1e-06, "total_output_data_transfer_gb": 2.4999999999999998e-06}}`),
    executionS: JSON.parse(`{"duration_s": 0.1, "provider_region": "aws:us-west-2", "cpu_utilization": 1.0,
      "additional_analysis_data": {"input_payload_size_gb": 2e-06, "download_size_gb": 5e-07, "consumed_read_capacity_from_download": 0.5,
        "total_input_data_transfer_gb": 5e-07, "total_output_data_transfer_gb": 0.0}}`),
    transmissions: JSON.parse(`[{"transmission_size_gb": 2e-06, "transmission_latency_s": 0.29, "from_instance": "${IE}", "to_instance": "${IS}",
      "from_region": "aws:us-east-1", "to_region": "aws:us-west-2", "successor_invoked": true, "from_direct_successor": true,
      "sync_information": {"upload_size_gb": 5e-07, "consumed_write_capacity": 3.0, "sync_data_response_size_gb": 6e-07}}]`),
    toInstanceIX: JSON.parse(`{"invoked": 0, "non_executions": 1, "invocation_probability": 0.0, "transfer_sizes_gb": [], "regions_to_regions": {},
      "non_execution_info": {"${IX}>${IS}": {"sync_data_response_size_gb": 4e-07, "sns_transfer_size_gb": 0.0, "regions_to_regions": {}}}}`),
    // The spec's listing of this edge stops after regions_to_regions; the reference creates every edge with
    // "non_execution_info": {} (fixture A lists it), so the complete value carries it too.
    toInstanceIS: JSON.parse(`{"invoked": 1, "non_executions": 0, "invocation_probability": 1.0, "sync_size_gb": 6e-07, "sns_only_size_gb": 2e-06,
      "transfer_sizes_gb": [5e-07], "regions_to_regions": {"aws:us-east-1": {"aws:us-west-2": {"transfer_size_gb_to_transfer_latencies_s": {"9.5367431640625e-06": [0.29]},
      "best_fit_line": {"slope_s": 0.0, "intercept_s": 0.29, "min_latency_s": 0.20299999999999999, "max_latency_s": 0.377}}}},
      "non_execution_info": {}}`),
    /** E's one auxiliary row: [transfer during execution, time of IS, time of IX] in the order the translation map gives. */
    auxiliaryE: { duration: '0.25', dataTransfer: 0.0, invocationTimes: { [IS]: 0.11, [IX]: 0.05 } },
  },
};
