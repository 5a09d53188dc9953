import { z } from 'zod';
import type { BestFitLine } from './collector/best-fit-line';
import type {
  EdgeSummary,
  InstanceSummary,
  NonExecutionInfo,
  RegionExecutions,
  RegionPairTransfers,
  StartHopSummary,
  WorkflowInstanceData,
} from './collector/instance-data-types';
import type {
  AdditionalAnalysisData,
  ExecutionRecord,
  RunLog,
  StartHopRecord,
  SuccessorCallRecord,
  SyncProxyRecord,
  TransmissionRecord,
  WorkflowSummary,
} from './summary-types';

/*
 * Schemas of the telemetry rows as stored (`workflow_summary_table`, `workflow_instance_table`),
 * each checked against its TypeScript type. Objects keep keys they do not name: rows written by
 * the reference or a later version read back whole.
 *
 * Imported as `@caribou/domain-telemetry/schemas`, never from the package root: the deployed
 * function runtime imports the root, and zod would add ~760 KB to every function's bundle.
 */

const num = z.number();
const counts = z.record(z.string(), num);
const optionalNum = num.optional();

const additionalAnalysisSchema: z.ZodType<AdditionalAnalysisData> = z.looseObject({
  input_payload_size_gb: optionalNum,
  download_size_gb: optionalNum,
  consumed_read_capacity_from_download: optionalNum,
  total_input_data_transfer_gb: optionalNum,
  total_output_data_transfer_gb: optionalNum,
});

const syncProxySchema: z.ZodType<SyncProxyRecord> = z.looseObject({
  data_transfer_size: num,
  sync_data_response_size_gb: num,
  consumed_write_capacity: num,
  destination_region: z.string(),
});

const successorCallSchema: z.ZodType<SuccessorCallRecord> = z.looseObject({
  task_type: z.enum(['INVOKE_SUCCESSOR_ONLY', 'SYNC_UPLOAD_AND_INVOKE', 'SYNC_UPLOAD_ONLY', 'CONDITIONALLY_NOT_INVOKE', 'REDIRECT_ONLY']).optional(),
  invocation_time_from_function_start_s: optionalNum,
  sync_info: z.record(z.string(), syncProxySchema).optional(),
  consumed_write_capacity: optionalNum,
});

const executionSchema: z.ZodType<ExecutionRecord> = z.looseObject({
  instance_name: z.string(),
  duration_s: num,
  cpu_model: z.string().optional(),
  provider_region: z.string().optional(),
  data_transfer_during_execution_gb: num,
  cpu_utilization: optionalNum,
  successor_data: z.record(z.string(), successorCallSchema).optional(),
  additional_analysis_data: additionalAnalysisSchema.optional(),
  cold_start: z.literal(true).optional(),
});

const transmissionSchema: z.ZodType<TransmissionRecord> = z.looseObject({
  transmission_size_gb: num,
  transmission_latency_s: optionalNum,
  from_instance: z.string().optional(),
  uninvoked_instance: z.string().optional(),
  simulated_sync_predecessor: z.string().optional(),
  to_instance: z.string().optional(),
  from_region: z.string().optional(),
  to_region: z.string().optional(),
  successor_invoked: z.boolean().optional(),
  from_direct_successor: z.boolean().optional(),
  redirector_transmission: z.boolean().optional(),
  sync_information: z
    .looseObject({ upload_size_gb: optionalNum, consumed_write_capacity: optionalNum, sync_data_response_size_gb: optionalNum })
    .optional(),
});

const startHopSchema: z.ZodType<StartHopRecord> = z.looseObject({
  destination: z.string().optional(),
  request_source: z.string().optional(),
  data_transfer_size_gb: optionalNum,
  latency_from_client_s: optionalNum,
  time_from_function_start_to_entry_point_s: optionalNum,
  workflow_placement_decision: z
    .looseObject({ data_size_gb: optionalNum, consumed_read_capacity: optionalNum, retrieved_wpd_at_function: z.boolean() })
    .optional(),
  redirector_execution_data: executionSchema.optional(),
  original_data_size_gb: optionalNum,
  overridden_wpd_data_size: optionalNum,
});

export const runLogSchema: z.ZodType<RunLog> = z.looseObject({
  run_id: z.string(),
  start_time: z.string(),
  runtime_s: num,
  execution_data: z.array(executionSchema),
  transmission_data: z.array(transmissionSchema),
  start_hop_info: startHopSchema,
  unique_cpu_models: z.array(z.string()),
});

/** `workflow_summary_table[workflow id]`: what log_sync keeps of the synced runs. */
export const workflowSummarySchema: z.ZodType<WorkflowSummary> = z.looseObject({
  daily_invocation_counts: counts,
  daily_user_code_failure_counts: counts,
  logs: z.array(runLogSchema),
  workflow_runtime_samples: z.array(num),
  last_sync_time: z.string(),
});

const bestFitLineSchema: z.ZodType<BestFitLine> = z.looseObject({ slope_s: num, intercept_s: num, min_latency_s: num, max_latency_s: num });
const latenciesBySize = z.record(z.string(), z.array(num));

const regionExecutionsSchema: z.ZodType<RegionExecutions> = z.looseObject({
  cpu_utilization: optionalNum,
  durations_s: z.array(num),
  auxiliary_data: z.record(z.string(), z.array(z.array(num.nullable()))),
});

const regionPairSchema: z.ZodType<RegionPairTransfers> = z.looseObject({
  transfer_size_gb_to_transfer_latencies_s: latenciesBySize,
  best_fit_line: z.union([bestFitLineSchema, z.strictObject({})]),
});

const nonExecutionSchema: z.ZodType<NonExecutionInfo> = z.looseObject({
  sync_data_response_size_gb: num,
  sns_transfer_size_gb: num,
  regions_to_regions: z.record(z.string(), z.record(z.string(), z.looseObject({ transfer_latencies_s: z.array(num) }))),
});

const edgeSchema: z.ZodType<EdgeSummary> = z.looseObject({
  invoked: num,
  non_executions: num,
  invocation_probability: num,
  sync_size_gb: optionalNum,
  sns_only_size_gb: optionalNum,
  transfer_sizes_gb: z.array(num),
  regions_to_regions: z.record(z.string(), z.record(z.string(), regionPairSchema)),
  non_execution_info: z.record(z.string(), nonExecutionSchema),
});

const instanceSummarySchema: z.ZodType<InstanceSummary> = z.looseObject({
  invocations: optionalNum,
  cpu_utilization: optionalNum,
  executions: z.looseObject({ at_region: z.record(z.string(), regionExecutionsSchema), auxiliary_index_translation: z.record(z.string(), num) }).optional(),
  to_instance: z.record(z.string(), edgeSchema).optional(),
});

const startHopSummarySchema: z.ZodType<StartHopSummary> = z.looseObject({
  invoked: num,
  retrieved_wpd_at_function: num,
  wpd_at_function_probability: num,
  workflow_placement_decision_size_gb: z.union([num, z.tuple([])]),
  at_redirector: z.record(z.string(), instanceSummarySchema),
  from_client: z.looseObject({
    transfer_sizes_gb: z.array(num),
    received_region: z.record(z.string(), z.looseObject({ transfer_size_gb_to_transfer_latencies_s: latenciesBySize, best_fit_line: bestFitLineSchema.optional() })),
  }),
});

/** `workflow_instance_table[workflow id]`: the workflow collector's per-instance distributions the solver samples. */
export const workflowInstanceDataSchema: z.ZodType<WorkflowInstanceData> = z.looseObject({
  workflow_runtime_samples: z.array(num),
  daily_invocation_counts: counts,
  daily_user_code_failure_counts: counts,
  start_hop_summary: startHopSummarySchema,
  instance_summary: z.record(z.string(), instanceSummarySchema),
});
