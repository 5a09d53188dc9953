import type { BestFitLine } from './best-fit-line';

/**
 * The `workflow_instance_table` value (reference-system §9.4), the solver's WorkflowLoader
 * input (reference-solver §1.2). Bucket keys are Python float reprs of rounded sizes
 * (10 KiB) and durations (10 ms).
 */
export interface WorkflowInstanceData {
  workflow_runtime_samples: number[];
  daily_invocation_counts: Record<string, number>;
  daily_user_code_failure_counts: Record<string, number>;
  start_hop_summary: StartHopSummary;
  instance_summary: Record<string, InstanceSummary>;
}

export interface StartHopSummary {
  /** Runs with start-hop information. */
  invoked: number;
  retrieved_wpd_at_function: number;
  wpd_at_function_probability: number;
  /** Mean placement-decision size; stays `[]` when no run reported one (as the reference writes it). */
  workflow_placement_decision_size_gb: number | [];
  /** Executions of the redirector (the entry point at home forwarding the request). */
  at_redirector: Record<string, InstanceSummary>;
  from_client: {
    transfer_sizes_gb: number[];
    received_region: Record<string, { transfer_size_gb_to_transfer_latencies_s: Record<string, number[]>; best_fit_line?: BestFitLine }>;
  };
}

export interface InstanceSummary {
  invocations?: number;
  /** Mean of the executions' utilisations, each clamped to [0, 1]; absent when none was measured. */
  cpu_utilization?: number;
  executions?: {
    at_region: Record<string, RegionExecutions>;
    /** Position of each value in an auxiliary row: 0 is the data transferred during the execution, then one per successor. */
    auxiliary_index_translation: Record<string, number>;
  };
  to_instance?: Record<string, EdgeSummary>;
}

export interface RegionExecutions {
  cpu_utilization?: number;
  durations_s: number[];
  /** Duration bucket (10 ms) → one row per execution: [transfer during execution GB, successor invocation times s (null when not called)…]. */
  auxiliary_data: Record<string, Array<Array<number | null>>>;
}

export interface EdgeSummary {
  invoked: number;
  non_executions: number;
  invocation_probability: number;
  /** Mean sync-table update response size; only when some call uploaded to a sync table. */
  sync_size_gb?: number;
  /** Mean message size of calls that also uploaded to a sync table. */
  sns_only_size_gb?: number;
  transfer_sizes_gb: number[];
  regions_to_regions: Record<string, Record<string, RegionPairTransfers>>;
  non_execution_info: Record<string, NonExecutionInfo>;
}

export interface RegionPairTransfers {
  transfer_size_gb_to_transfer_latencies_s: Record<string, number[]>;
  /** `{}` when no call on this pair reached its successor (no latency to fit). */
  best_fit_line: BestFitLine | Record<string, never>;
}

/** Keyed `"<simulated sync predecessor>><sync node>"`: what skipping the successor cost towards a sync node. */
export interface NonExecutionInfo {
  sync_data_response_size_gb: number;
  sns_transfer_size_gb: number;
  regions_to_regions: Record<string, Record<string, { transfer_latencies_s: number[] }>>;
}
