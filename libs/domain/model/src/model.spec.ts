import { describe, expect, it } from 'vitest';
import { CaribouError } from '@caribou/domain-common';
import { buildDag } from './dag';
import { parseSolverWorkflowConfig, solverInputFromInstanceFile } from './input';
import { loadCarbonIntensities, loadMeanPing, loadRegionPrices } from './loaders/region-data';
import { WorkflowSummary } from './loaders/workflow-summary';
import { filterRegions } from './region-filter';
import { WorkflowModel } from './workflow-model';
import { transferSizeKey } from './bucket-keys';

const KiB = 1 / 1048576;
const aws = (region: string) => ({ provider: 'aws', region });

describe('region filtering (§1.1)', () => {
  const regions = ['aws:us-east-1', 'gcp:us-east1', 'aws:ca-central-1', 'aws:us-west-2'];
  it('keeps configured providers, then a non-empty allow-list wins outright', () => {
    expect(filterRegions(regions, { providers: { aws: {} } })).toEqual(['aws:us-east-1', 'aws:ca-central-1', 'aws:us-west-2']);
    expect(
      filterRegions(regions, { providers: { aws: {} }, allowed_regions: [aws('us-west-2'), aws('us-east-1')], disallowed_regions: [aws('us-east-1')] }),
    ).toEqual(['aws:us-east-1', 'aws:us-west-2']);
  });
  it('otherwise drops the deny-list; null or empty lists count as not set', () => {
    expect(filterRegions(regions, { providers: { aws: {} }, allowed_regions: [], disallowed_regions: [aws('ca-central-1')] })).toEqual([
      'aws:us-east-1',
      'aws:us-west-2',
    ]);
    expect(filterRegions(regions, { providers: { aws: {} }, allowed_regions: null, disallowed_regions: null })).toHaveLength(3);
  });
});

describe('DAG (§1.3)', () => {
  it('orders with Kahn’s FIFO from the roots in index order, ignoring unknown names', () => {
    const dag = buildDag(['a', 'b', 'c', 'd'], [['c', 'b', 'x'], ['d'], ['d'], []]);
    expect(dag.topologicalOrder).toEqual([0, 1, 2, 3]);
    expect(dag.successors[0]).toEqual([1, 2]);
    expect(dag.predecessors[3]).toEqual([1, 2]);
    expect(dag.startHop).toBe(0);
  });
  it('rejects a cycle', () => {
    expect(() => buildDag(['a', 'b'], [['b'], ['a']])).toThrow(CaribouError);
  });
});

describe('loaders and their defaults (§1.2)', () => {
  it('reads the collector’s price keys by default and the reference loader’s keys under quirks; messages cost no SNS request unless quirks', () => {
    const row = { sns_cost: { request_cost: 7e-7 }, dynamodb_cost: { read_request_cost: 3e-7, write_request_cost: 2e-6 } };
    const intended = loadRegionPrices(row, false);
    // Our runtime sends with a Lambda async invoke: its request is the target's invocation, priced there.
    expect([intended.snsRequestCost, intended.dynamoDbReadCostPerUnit, intended.dynamoDbWriteCostPerUnit]).toEqual([0, 3e-7, 2e-6]);
    const quirky = loadRegionPrices(row, true);
    expect([quirky.snsRequestCost, quirky.dynamoDbReadCostPerUnit, quirky.dynamoDbWriteCostPerUnit]).toEqual([0.5e-6, 0.25e-6, 1.25e-6]);
    const empty = loadRegionPrices(undefined, false);
    expect([empty.computeCostPerGbSecond('x86_64'), empty.invocationCost('arm64'), empty.transferCostPerGb, empty.pue]).toEqual([
      1.66667e-5, 2e-7, 0.09, 1.11,
    ]);
  });

  it('uses 410 for a missing region or hour, without falling back from an hour to the daily average', () => {
    const ci = loadCarbonIntensities({ averages: { overall: { carbon_intensity: 100 }, '3': { carbon_intensity: 80 } } });
    expect(ci[0]).toBe(100);
    expect(ci[4]).toBe(80);
    expect(ci[5]).toBe(410);
    expect(loadCarbonIntensities(undefined)[0]).toBe(410);
  });

  it('pings default to 0.22 s', () => {
    expect(loadMeanPing(undefined, 'aws:x')).toBe(0.22);
    expect(loadMeanPing({ transmission_latency: { 'aws:x': { latency_distribution: [0.1, 0.3] } } }, 'aws:x')).toBeCloseTo(0.2, 15);
  });

  it('workflow summary defaults: WPD read at the function, client sends the WPD size, edges never taken', () => {
    const summary = new WorkflowSummary({ start_hop_summary: { workflow_placement_decision_size_gb: 3 * KiB } }, false);
    expect(summary.wpdAtFunctionProbability).toBe(1);
    expect(summary.clientTransferSizesGb).toEqual([3 * KiB]);
    const edge = summary.edge('a', 'b');
    expect(edge.invocationProbability).toBe(0);
    expect(edge.syncSizeGb).toBe(KiB);
    expect(edge.snsOnlySizeGb).toBe(KiB);
  });

  it('reads sync sizes from the keys the collector writes, or only from the reference’s (never written) keys under quirks', () => {
    const raw = { instance_summary: { a: { to_instance: { b: { sync_size_gb: 40 * KiB, sns_only_size_gb: 2 * KiB } } } } };
    expect(new WorkflowSummary(raw, false).edge('a', 'b').syncSizeGb).toBe(40 * KiB);
    expect(new WorkflowSummary(raw, true).edge('a', 'b').syncSizeGb).toBe(KiB);
  });
});

function instanceFile(overrides: { instances?: Record<string, unknown>; regions?: Record<string, unknown>; summary?: unknown } = {}) {
  const instance = (name: string, succ: string[], extra: Record<string, unknown> = {}) => ({
    instance_name: name,
    regions_and_providers: { providers: { aws: { config: { memory: 1769, ...extra } } } },
    succeeding_instances: succ,
    preceding_instances: [],
  });
  return {
    workflow_id: 'w-1',
    system_region: 'aws:us-west-2',
    workflow_config: {
      workflow_name: 'w',
      workflow_version: '1',
      workflow_id: 'w-1',
      regions_and_providers: { providers: { aws: { config: { memory: 128 } } } },
      instances: overrides.instances ?? { a: instance('a', ['b']), b: instance('b', [], { vcpu: 2 }) },
      constraints: { hard_resource_constraints: null, soft_resource_constraints: null, priority_order: ['carbon'] },
      home_region: aws('us-east-1'),
    },
    tables: {
      available_regions_table: overrides.regions ?? { 'aws:us-east-1': {}, 'aws:ca-central-1': {} },
      workflow_instance_table: {
        'w-1': overrides.summary ?? {
          instance_summary: {
            a: {
              executions: { at_region: { 'aws:us-east-1': { durations_s: [1], auxiliary_data: {} } } },
              to_instance: {
                b: {
                  transfer_sizes_gb: [20 * KiB],
                  regions_to_regions: {
                    'aws:us-east-1': {
                      'aws:us-east-1': { transfer_size_gb_to_transfer_latencies_s: { [transferSizeKey(20 * KiB)]: [0.3] }, best_fit_line: {} },
                      'aws:ca-central-1': {
                        transfer_size_gb_to_transfer_latencies_s: {},
                        best_fit_line: { slope_s: 1000, intercept_s: 0.1, min_latency_s: 0.12, max_latency_s: 0.2 },
                      },
                    },
                  },
                },
              },
            },
            b: { executions: { at_region: { 'aws:us-east-1': { durations_s: [2], auxiliary_data: {} } } } },
          },
        },
      },
    },
  };
}

describe('WorkflowModel', () => {
  it('indexes regions in table order with the system region appended, and derives vCPUs', () => {
    const model = new WorkflowModel(solverInputFromInstanceFile(instanceFile()));
    expect(model.regionKeys).toEqual(['aws:us-east-1', 'aws:ca-central-1', 'aws:us-west-2']);
    expect(model.permittedRegionCount).toBe(2);
    expect(model.systemRegion).toBe(2);
    expect(model.vcpu).toEqual([1, 2]);
  });

  it('latency: measured data, else the clamped best-fit line of the pair, else home data shifted by the extra ping', () => {
    const model = new WorkflowModel(solverInputFromInstanceFile(instanceFile()));
    expect(model.edgeLatencies(0, 1, 0, 0, 15 * KiB, false)).toMatchObject({ values: [0.3], shift: 0 });
    // 1000 s/GB × 20 KiB + 0.1 = 0.119 → clamped up to the minimum 0.12.
    expect(model.edgeLatencies(0, 1, 0, 1, 15 * KiB, false)).toMatchObject({ values: [0.12], shift: 0 });
    // No data from Canada: home's 0.3 s plus max(0, ping − home ping) (both default 0.22 → 0), ×5 for a sync target.
    expect(model.edgeLatencies(0, 1, 1, 0, 15 * KiB, true)).toMatchObject({ values: [0.3], shift: 0 });
    // A bucket never measured anywhere: the 0.22 s default.
    expect(model.edgeLatencies(0, 1, 1, 1, 500 * KiB, false)).toMatchObject({ values: [0.22] });
  });

  it('falls back to home durations, scaled by relative performance', () => {
    const file = instanceFile();
    (file.tables as Record<string, unknown>).performance_region_table = { 'aws:ca-central-1': { relative_performance: 1.5 } };
    const model = new WorkflowModel(solverInputFromInstanceFile(file));
    const profile = model.executionProfile(1, 1);
    expect(profile.originRegion).toBe(0);
    expect(profile.runtimeScale).toBe(1.5);
    expect(profile.durations).toEqual([2]);
  });

  it.each([
    [{ regions: { 'aws:ca-central-1': {} } }, /home region aws:us-east-1 is not among the permitted regions/],
    [{ instances: { a: { instance_name: 'a', regions_and_providers: { providers: { aws: { config: {} } } }, succeeding_instances: [], preceding_instances: [] } } }, /config.memory must be a positive number/],
    [{ summary: {} }, /no durations for a at its home region/],
  ])('explains bad input in one line (%#)', (overrides, message) => {
    expect(() => {
      const model = new WorkflowModel(solverInputFromInstanceFile(instanceFile(overrides)));
      model.executionProfile(0, 0);
    }).toThrow(message);
  });

  it('validates the config fields it reads', () => {
    expect(() => parseSolverWorkflowConfig({})).toThrow(/workflow_name must be a string/);
    const config = instanceFile().workflow_config;
    expect(() => parseSolverWorkflowConfig({ ...config, constraints: { ...config.constraints, priority_order: ['speed'] } })).toThrow(
      /priority_order/,
    );
    expect(() =>
      parseSolverWorkflowConfig({ ...config, constraints: { ...config.constraints, hard_resource_constraints: { cost: { value: 1, type: 'percent' } } } }),
    ).toThrow(/hard_resource_constraints.cost.type must be "absolute" or "relative"/);
  });
});
