/**
 * A hand-made instance exercising what the reference fixtures do not: a conditional edge on a
 * path into a sync node (non-execution info, simulated edges), sync sizes, a redirector, and
 * regions without measurements. Entry A calls B (p = 0.6) and C (p = 1); B and C feed the sync
 * node S; A skipping B tells S through a simulated edge.
 */
const KiB = 1 / 1048576;
const regions = ['aws:us-east-1', 'aws:ca-central-1', 'aws:us-west-2', 'aws:us-east-2'];
const names = { a: 'sy-0_0_1-a:entry_point:0', b: 'sy-0_0_1-b:sy-0_0_1-a_0_0:1', c: 'sy-0_0_1-c:sy-0_0_1-a_0_1:2', s: 'sy-0_0_1-s:sync:3' };

function execution(durations: number[], rows: Record<string, Array<Array<number | null>>>, translation: Record<string, number>, util: number) {
  return {
    cpu_utilization: util,
    executions: {
      at_region: { 'aws:us-east-1': { cpu_utilization: util, durations_s: durations, auxiliary_data: rows } },
      auxiliary_index_translation: { data_transfer_during_execution_gb: 0, ...translation },
    },
  };
}

function pair(latencies: Record<string, number[]>, line?: { slope_s: number; intercept_s: number; min_latency_s: number; max_latency_s: number }) {
  return { transfer_size_gb_to_transfer_latencies_s: latencies, best_fit_line: line ?? {} };
}

const config = { memory: 1024, timeout: 60 };
const instance = (name: string, succ: string[], pred: string[]) => ({
  instance_name: name,
  regions_and_providers: { providers: { aws: { config } } },
  succeeding_instances: succ,
  preceding_instances: pred,
});

export const syncInstance = {
  format: 'caribou-solver-instance/v1',
  workflow_id: 'sy-0.0.1',
  home_region: 'aws:us-east-1',
  system_region: 'aws:us-west-2',
  workflow_config: {
    workflow_name: 'sy',
    workflow_version: '0.0.1',
    workflow_id: 'sy-0.0.1',
    regions_and_providers: { allowed_regions: null, disallowed_regions: null, providers: { aws: { config } } },
    instances: {
      [names.a]: instance(names.a, [names.b, names.c], []),
      [names.b]: instance(names.b, [names.s], [names.a]),
      [names.c]: instance(names.c, [names.s], [names.a]),
      [names.s]: instance(names.s, [], [names.b, names.c]),
    },
    constraints: {
      hard_resource_constraints: { cost: null, runtime: { value: 150, type: 'relative' }, carbon: null },
      soft_resource_constraints: { cost: null, runtime: null, carbon: null },
      priority_order: ['carbon', 'cost', 'runtime'],
    },
    home_region: { provider: 'aws', region: 'us-east-1' },
  },
  tables: {
    available_regions_table: Object.fromEntries(regions.map((r) => [r, { provider: 'aws', code: r.slice(4) }])),
    provider_region_table: Object.fromEntries(
      regions.map((r, i) => [
        r,
        {
          execution_cost: { compute_cost: { x86_64: 1.66667e-5 + i * 1e-7 }, invocation_cost: { x86_64: 2e-7 } },
          transmission_cost: { provider_data_transfer: 0.02 + i * 0.001 },
          sns_cost: { request_cost: 5e-7 + i * 1e-8 },
          dynamodb_cost: { read_request_cost: 2.5e-7, write_request_cost: 1.25e-6 + i * 1e-8 },
        },
      ]),
    ),
    carbon_region_table: Object.fromEntries(
      regions.map((r, i) => [
        r,
        {
          averages: {
            overall: { carbon_intensity: [400, 40, 300, 500][i] },
            ...Object.fromEntries(Array.from({ length: 24 }, (_, h) => [String(h), { carbon_intensity: [400, 40, 300, 500][i]! + h }])),
          },
          transmission_distances: Object.fromEntries(regions.map((q, j) => [q, Math.abs(i - j) * 1500])),
        },
      ]),
    ),
    performance_region_table: Object.fromEntries(
      regions.map((r, i) => [
        r,
        {
          relative_performance: [1, 1.1, 0.95, 1.02][i],
          transmission_latency: Object.fromEntries(
            regions.map((q, j) => [q, { latency_distribution: i === j ? [0.004, 0.006] : [0.02 + 0.01 * (i + j), 0.03 + 0.01 * (i + j)] }]),
          ),
        },
      ]),
    ),
    workflow_instance_table: {
      'sy-0.0.1': {
        workflow_runtime_samples: [2.1, 2.5],
        daily_invocation_counts: { '2025-01-15+0000': 40 },
        start_hop_summary: {
          wpd_at_function_probability: 0.5,
          workflow_placement_decision_size_gb: 2 * KiB,
          at_redirector: { [names.a]: execution([0.3, 0.35], { '0.3': [[0, 0.25]], '0.35': [[0, 0.3], [0, null]] }, { [names.a]: 1 }, 0.3) },
          from_client: { transfer_sizes_gb: [5 * KiB, 12 * KiB] },
        },
        instance_summary: {
          [names.a]: {
            ...execution([1.0, 1.2, 0.8], { '1.0': [[0, 0.9, 0.95]], '1.2': [[0.001, 1.1, 1.15], [0, 1.0, 1.18]], '0.8': [[0, 0.7, 0.75]] }, { [names.b]: 1, [names.c]: 2 }, 0.5),
            to_instance: {
              [names.b]: {
                invocation_probability: 0.6,
                transfer_sizes_gb: [100 * KiB, 150 * KiB],
                regions_to_regions: {
                  'aws:us-east-1': { 'aws:us-east-1': pair({ [String(100 * KiB)]: [0.2, 0.25] }, { slope_s: 200, intercept_s: 0.1, min_latency_s: 0.15, max_latency_s: 0.4 }) },
                  'aws:us-east-1x': {},
                },
                non_execution_info: {
                  [`${names.b}>${names.s}`]: {
                    sync_data_response_size_gb: 3 * KiB,
                    sns_transfer_size_gb: 1.4 * KiB,
                    regions_to_regions: { 'aws:us-east-1': { 'aws:us-east-1': { transfer_latencies_s: [0.31, 0.33] } } },
                  },
                },
              },
              [names.c]: {
                invocation_probability: 1,
                transfer_sizes_gb: [10 * KiB],
                regions_to_regions: { 'aws:us-east-1': { 'aws:ca-central-1': pair({ [String(10 * KiB)]: [0.05] }) } },
              },
              [names.a]: { invocation_probability: 1, transfer_sizes_gb: [6 * KiB], regions_to_regions: {} },
            },
          },
          [names.b]: {
            ...execution([2.0, 2.2], { '2.0': [[0.01, 1.9]], '2.2': [[0.02, 2.1]] }, { [names.s]: 1 }, 0.8),
            to_instance: {
              [names.s]: {
                invocation_probability: 1,
                transfer_sizes_gb: [40 * KiB],
                sync_size_gb: 45 * KiB,
                sns_only_size_gb: 1.2 * KiB,
                regions_to_regions: { 'aws:us-east-1': { 'aws:us-east-1': pair({ [String(40 * KiB)]: [0.3, 0.35] }) } },
              },
            },
          },
          [names.c]: {
            ...execution([0.5, 0.6], { '0.5': [[0, 0.45]], '0.6': [[0, 0.55]] }, { [names.s]: 1 }, 0.2),
            to_instance: {
              [names.s]: {
                invocation_probability: 0.9,
                transfer_sizes_gb: [20 * KiB, 70 * KiB],
                sync_size_gb: 90 * KiB,
                sns_only_size_gb: 0.9 * KiB,
                regions_to_regions: { 'aws:us-east-1': { 'aws:us-east-1': pair({ [String(20 * KiB)]: [0.28] }) } },
              },
            },
          },
          [names.s]: { ...execution([0.4, 0.7], { '0.4': [[0.003]], '0.7': [[0]] }, {}, 0.4) },
        },
      },
    },
  },
};
