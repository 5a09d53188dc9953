/**
 * A small world for accounting tests, with round numbers so that expected figures can be
 * worked out by hand: home aws:us-east-1 (400 g/kWh, 350 at 12:00 UTC), aws:ca-central-1
 * (40 g/kWh, 30 at 12:00), system region aws:us-west-2 (300 g/kWh). Workflow `wf-1.0`:
 * A (entry, 1024 MB) → B (2048 MB), A → C (512 MB), B and C → S (sync, 1024 MB).
 */
import type { SolverWorkflowConfig } from '@caribou/domain-model';
import type { RunLog } from '@caribou/domain-telemetry';
import { instanceResources, regionFacts, type RegionFacts, type RegionRows } from '../workflow-facts';
import { measuredHomeDurationScale } from '../relative-performance';
import type { AccountingContext } from '../footprint';
import { readRunRecords, type RunRecord } from '../run-records';

export const HOME = 'aws:us-east-1';
export const CANADA = 'aws:ca-central-1';
export const SYSTEM = 'aws:us-west-2';
export const KIB = 1 / 1024 ** 2;

export const A = 'wf-1_0-A:entry_point:0';
export const B = 'wf-1_0-B:wf-1_0-A_0_0:1';
export const C = 'wf-1_0-C:wf-1_0-A_0_1:2';
export const S = 'wf-1_0-S:sync:';

const instance = (name: string, memory: number, successors: string[]) => ({
  instance_name: name,
  regions_and_providers: { providers: { aws: { config: { memory, timeout: 60 } } } },
  succeeding_instances: successors,
  preceding_instances: [],
});

export const CONFIG: SolverWorkflowConfig = {
  workflow_name: 'wf',
  workflow_version: '1.0',
  workflow_id: 'wf-1.0',
  regions_and_providers: { providers: { aws: { config: { memory: 128, timeout: 60 } } } },
  instances: {
    [A]: instance(A, 1024, [B, C]),
    [B]: instance(B, 2048, [S]),
    [C]: instance(C, 512, [S]),
    [S]: instance(S, 1024, []),
  },
  constraints: { hard_resource_constraints: null, soft_resource_constraints: null, priority_order: ['carbon'] },
  home_region: { provider: 'aws', region: 'us-east-1' },
};

function carbonRow(daily: number, noon: number): unknown {
  const averages: Record<string, { carbon_intensity: number }> = { overall: { carbon_intensity: daily } };
  for (let h = 0; h < 24; h++) averages[String(h)] = { carbon_intensity: h === 12 ? noon : daily };
  return { averages, units: 'gCO2eq/kWh', transmission_distances: {}, transmission_distances_unit: 'km' };
}

function providerRow(transfer: number, read: number, write: number): unknown {
  return {
    execution_cost: { invocation_cost: { x86_64: 2e-7, arm64: 2e-7 }, compute_cost: { x86_64: 1.66667e-5, arm64: 1.33334e-5 }, unit: 'USD' },
    transmission_cost: { global_data_transfer: 0.09, provider_data_transfer: transfer, unit: 'USD/GB' },
    sns_cost: { request_cost: 5e-7 },
    dynamodb_cost: { read_request_cost: read, write_request_cost: write },
    pue: 1.11,
    cfe: 0,
    average_memory_power: 0.0003725,
    min_cpu_power_kWh: 0.00074,
    max_cpu_power_kWh: 0.0035,
  };
}

/** provider_region_table, carbon_region_table and performance_region_table rows of the three regions. */
export const REGION_ROWS: Record<string, Required<RegionRows>> = {
  [HOME]: { provider: providerRow(0.02, 2.5e-7, 1.25e-6), carbon: carbonRow(400, 350), performance: { relative_performance: 1 } },
  [CANADA]: { provider: providerRow(0.03, 3e-7, 1.5e-6), carbon: carbonRow(40, 30), performance: { relative_performance: 1.25 } },
  [SYSTEM]: { provider: providerRow(0.02, 2.5e-7, 1.25e-6), carbon: carbonRow(300, 300), performance: { relative_performance: 1 } },
};

export const REGIONS: Record<string, RegionFacts> = Object.fromEntries(Object.entries(REGION_ROWS).map(([key, rows]) => [key, regionFacts(key, rows)]));

/** The accounting context of `runs` (their measured durations set the home scaling). */
export function contextFor(runs: readonly RunRecord[]): AccountingContext {
  const region = (key: string) => REGIONS[key] ?? regionFacts(key, {});
  return {
    homeRegion: HOME,
    systemRegion: SYSTEM,
    instances: instanceResources(CONFIG),
    region,
    toHomeDuration: measuredHomeDurationScale(runs, HOME, (key) => region(key).relativePerformance),
  };
}

export function at(hour: number, minute = 0, day = 7): string {
  return `2026-12-${String(day).padStart(2, '0')} ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00,000000+0000`;
}

/** A synced run record as the log syncer writes it; `overrides` replace top-level keys. */
export function runLog(runId: string, overrides: Partial<RunLog>): RunLog {
  return {
    run_id: runId,
    start_time: at(12),
    runtime_s: 1,
    execution_data: [],
    transmission_data: [],
    start_hop_info: {
      destination: HOME,
      request_source: 'Caribou CLI',
      data_transfer_size_gb: 5 * KIB,
      latency_from_client_s: 0.1,
      workflow_placement_decision: { retrieved_wpd_at_function: false, data_size_gb: 2 * KIB, consumed_read_capacity: 1 },
    },
    unique_cpu_models: [],
    ...overrides,
  };
}

/** The `workflow_summary_table` value holding `logs`, as log_sync writes it. */
export function summaryRow(logs: RunLog[]): unknown {
  return { daily_invocation_counts: {}, daily_user_code_failure_counts: {}, logs, workflow_runtime_samples: logs.map((l) => l.runtime_s), last_sync_time: at(23, 0, 9) };
}

export function records(...logs: RunLog[]): RunRecord[] {
  return readRunRecords(JSON.stringify(summaryRow(logs)), 'wf-1.0');
}

const exec = (instance: string, region: string, duration: number) => ({
  instance_name: instance,
  duration_s: duration,
  provider_region: region,
  data_transfer_during_execution_gb: 0,
});

/** A → B with B in `regionOfB`, started on `day` at `hour`. */
export function twoStepRun(id: string, regionOfB: string, hour: number, day = 7): RunLog {
  return runLog(id, {
    start_time: at(hour, 0, day),
    execution_data: [exec(A, HOME, 0.5), exec(B, regionOfB, 1.0)],
    transmission_data: [{ transmission_size_gb: 20 * KIB, from_instance: A, to_instance: B, from_region: HOME, to_region: regionOfB, successor_invoked: true }],
  });
}

/** Four synced runs over two days, two with B moved to Canada. */
export const STORED_RUNS: RunLog[] = [twoStepRun('r1', HOME, 1), twoStepRun('r2', CANADA, 2), twoStepRun('r3', CANADA, 3, 8), twoStepRun('r4', HOME, 4, 8)];

const expected = (carbon: number, cost: number, runtime: number) => ({
  average_carbon: carbon,
  average_cost: cost,
  average_runtime: runtime,
  tail_carbon: carbon,
  tail_cost: cost,
  tail_runtime: runtime,
});

/**
 * The stored rows of a deployed `wf-1.0` as `caribou report` reads them — deployed config,
 * synced runs, collected region rows and a published plan (carbon 4 vs 10 at home) — as
 * `[table, key, row]`, for any KeyValueStore.
 */
export function storedRows(logs: RunLog[] = STORED_RUNS): Array<[string, string, unknown]> {
  const rows: Array<[string, string, unknown]> = [
    ['deployment_manager_resource_table', 'wf-1.0', { workflow_id: 'wf-1.0', workflow_config: JSON.stringify(CONFIG) }],
    ['workflow_summary_table', 'wf-1.0', summaryRow(logs)],
    [
      'caribou_published_plan_table',
      'wf-1.0',
      {
        expiry_time: at(0, 0, 20),
        published_at: at(0, 0, 1),
        time_keys_to_staging_area_data: { '0': {} },
        deployment_metrics: { '0': expected(4, 10, 2) },
        home_deployment_metrics: { '0': expected(10, 10, 2) },
      },
    ],
  ];
  for (const [region, row] of Object.entries(REGION_ROWS))
    rows.push(['provider_region_table', region, row.provider], ['carbon_region_table', region, row.carbon], ['performance_region_table', region, row.performance]);
  return rows;
}
