/**
 * The `workflow_summary_table` value (reference-system §8.5–§8.6), key for key as the
 * reference writes it, so summaries written by either implementation read the same.
 * Keys whose value would be None are absent. Sizes in GB, times in seconds.
 */
export interface WorkflowSummary {
  daily_invocation_counts: Record<string, number>;
  daily_user_code_failure_counts: Record<string, number>;
  /** Complete runs, oldest first. */
  logs: RunLog[];
  /** `runtime_s` of every entry of `logs`, same order. */
  workflow_runtime_samples: number[];
  /** TIME_FORMAT; the end of the last synced interval. */
  last_sync_time: string;
}

export interface RunLog {
  run_id: string;
  /** TIME_FORMAT. */
  start_time: string;
  runtime_s: number;
  execution_data: ExecutionRecord[];
  transmission_data: TransmissionRecord[];
  start_hop_info: StartHopRecord;
  unique_cpu_models: string[];
}

export interface ExecutionRecord {
  instance_name: string;
  duration_s: number;
  cpu_model?: string;
  provider_region?: string;
  data_transfer_during_execution_gb: number;
  /** Absent when the platform reported no CPU time (no Lambda Insights record). */
  cpu_utilization?: number;
  successor_data?: Record<string, SuccessorCallRecord>;
  additional_analysis_data?: AdditionalAnalysisData;
  /** Ours (DESIGN.md §4 item 5): the invocation met a cold start. The reference drops such runs. */
  cold_start?: true;
}

export interface AdditionalAnalysisData {
  input_payload_size_gb?: number;
  download_size_gb?: number;
  consumed_read_capacity_from_download?: number;
  total_input_data_transfer_gb?: number;
  total_output_data_transfer_gb?: number;
}

export type SuccessorTaskType =
  | 'INVOKE_SUCCESSOR_ONLY'
  | 'SYNC_UPLOAD_AND_INVOKE'
  | 'SYNC_UPLOAD_ONLY'
  | 'CONDITIONALLY_NOT_INVOKE'
  | 'REDIRECT_ONLY';

export interface SuccessorCallRecord {
  task_type?: SuccessorTaskType;
  invocation_time_from_function_start_s?: number;
  /** Keyed `"<predecessor instance>><sync node>"`: sync-node updates made on behalf of a skipped successor. */
  sync_info?: Record<string, SyncProxyRecord>;
  consumed_write_capacity?: number;
}

export interface SyncProxyRecord {
  data_transfer_size: number;
  sync_data_response_size_gb: number;
  consumed_write_capacity: number;
  destination_region: string;
}

export interface TransmissionRecord {
  transmission_size_gb: number;
  transmission_latency_s?: number;
  from_instance?: string;
  uninvoked_instance?: string;
  simulated_sync_predecessor?: string;
  to_instance?: string;
  from_region?: string;
  to_region?: string;
  successor_invoked?: boolean;
  from_direct_successor?: boolean;
  redirector_transmission?: boolean;
  sync_information?: {
    upload_size_gb?: number;
    consumed_write_capacity?: number;
    sync_data_response_size_gb?: number;
  };
}

export interface StartHopRecord {
  destination?: string;
  request_source?: string;
  data_transfer_size_gb?: number;
  latency_from_client_s?: number;
  time_from_function_start_to_entry_point_s?: number;
  workflow_placement_decision?: {
    data_size_gb?: number;
    consumed_read_capacity?: number;
    retrieved_wpd_at_function: boolean;
  };
  redirector_execution_data?: ExecutionRecord;
  original_data_size_gb?: number;
  overridden_wpd_data_size?: number;
}
