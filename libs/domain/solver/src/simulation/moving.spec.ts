import { describe, expect, it } from 'vitest';
import { compileModel } from '@caribou/domain-model';
import { instanceFiles, modelOf } from '../__fixtures__/fixtures';
import { InThreadEvaluator } from '../evaluator';
import { drawLayout } from './draws';
import { simulateRunLiterally } from './literal-simulator';

/*
 * What moving costs beyond the reference's model, on the worked example of §11 (A → B, A → C;
 * R0 us-east-1 home, R1 ca-central-1, R2 us-west-2; pings in the fixture's performance rows):
 * the client hop to the entry point, and reaching a function's data from another region.
 */
const PING = [
  [0.005, 0.02, 0.07],
  [0.02, 0.005, 0.065],
  [0.07, 0.065, 0.005],
];
const B = 'ex-0_0_1-b:ex-0_0_1-a_0_0:1';
const MiB = 1048576;
const TRANSFER = 0.02;

type Mutable = Record<string, unknown> & { workflow_config: { instances: Record<string, Record<string, unknown>> } & Record<string, unknown> };

function withChanges(change: (file: Mutable) => void): unknown {
  const file = structuredClone(instanceFiles.workedExample) as Mutable;
  change(file);
  return file;
}

const bReadsHomeData = (bytes: number) => (file: Mutable) => {
  file.workflow_config.instances[B]!.data_location = { provider: 'aws', region: 'us-east-1', bytes_per_invocation: bytes };
};

function metricsOf(file: unknown, deployment: number[], referenceQuirks = false) {
  const model = modelOf(file, { referenceQuirks });
  const [metrics] = new InThreadEvaluator(compileModel(model), 7).evaluateOne(deployment, [null]);
  return metrics!;
}

function literalRun(file: unknown, deployment: number[]) {
  const model = modelOf(file);
  const compiled = compileModel(model);
  return simulateRunLiterally(model, compiled, drawLayout(compiled), deployment, null, () => 0.5);
}

describe('moving prices the data a function reads where it lives', () => {
  const plain = instanceFiles.workedExample;
  const declared = withChanges(bReadsHomeData(MiB));

  it('B in Canada waits one extra round trip to its data at home and pays the data region’s egress for the bytes', () => {
    const without = metricsOf(plain, [0, 1, 0]);
    const withData = metricsOf(declared, [0, 1, 0]);
    const extraWait = PING[1]![0]! - PING[0]![0]!;
    expect(withData.average_runtime - without.average_runtime).toBeCloseTo(extraWait, 12);
    expect(withData.tail_runtime - without.tail_runtime).toBeCloseTo(extraWait, 12);
    // B is billed for the wait (2048 MB at the compute price) plus 1 MiB of us-east-1 egress.
    expect(withData.average_cost - without.average_cost).toBeCloseTo(extraWait * 2 * 1.66667e-5 + (MiB / 1024 ** 3) * TRANSFER, 15);
    expect(withData.average_carbon).toBeGreaterThan(without.average_carbon);
  });

  it('at home the declaration changes nothing: measured durations already include reading the data there', () => {
    const without = metricsOf(plain, [0, 0, 0]);
    const withData = metricsOf(declared, [0, 0, 0]);
    expect(withData.average_runtime).toBe(without.average_runtime);
    expect(withData.average_cost).toBe(without.average_cost);
    expect(withData.average_carbon).toBe(without.average_carbon);
  });

  it('the batch simulator and the literal run agree on the moved deployment', () => {
    const run = literalRun(declared, [0, 1, 0]);
    const metrics = metricsOf(declared, [0, 1, 0]);
    expect(metrics.average_runtime).toBeCloseTo(run.runtime, 12);
    expect(metrics.average_cost).toBeCloseTo(run.cost, 15);
    expect(metrics.average_carbon).toBeCloseTo(run.carbon, 15);
  });

  it('durations measured in Canada replace the assumption (no wait is added to them)', () => {
    const measuredThere = withChanges((file) => {
      bReadsHomeData(MiB)(file);
      const tables = file.tables as { workflow_instance_table: Record<string, { instance_summary: Record<string, { executions: { at_region: Record<string, unknown> } }> }> };
      const summary = Object.values(tables.workflow_instance_table)[0]!;
      const atRegion = summary.instance_summary[B]!.executions.at_region;
      atRegion['aws:ca-central-1'] = structuredClone(atRegion['aws:us-east-1']);
    });
    const model = modelOf(measuredThere);
    expect(model.executionProfile(1, 1).dataAccessShiftS).toBe(0);
    expect(modelOf(declared).executionProfile(1, 1).dataAccessShiftS).toBeCloseTo(PING[1]![0]! - PING[0]![0]!, 15);
  });

  it('each measured duration gets one of the collected round trips to the data, so their spread reaches the tail', () => {
    const spread = withChanges((file) => {
      bReadsHomeData(MiB)(file);
      const tables = file.tables as {
        performance_region_table: Record<string, { transmission_latency: Record<string, { latency_distribution: number[] }> }>;
        workflow_instance_table: Record<string, { instance_summary: Record<string, { executions: { at_region: Record<string, { durations_s: number[] }> } }> }>;
      };
      tables.performance_region_table['aws:ca-central-1']!.transmission_latency['aws:us-east-1']!.latency_distribution = [0.01, 0.05];
      Object.values(tables.workflow_instance_table)[0]!.instance_summary[B]!.executions.at_region['aws:us-east-1']!.durations_s = [2.0, 2.0];
    });
    const model = modelOf(spread);
    const atHome = model.meanPing(0, 0);
    expect(model.executionProfile(1, 1).durations).toEqual([2.0 + 0.01 - atHome, 2.0 + 0.05 - atHome]);
    expect(model.executionProfile(1, 0).durations).toEqual([2.0, 2.0]);
  });

  it('the reference-quirk mode ignores the declaration', () => {
    expect(metricsOf(declared, [0, 1, 0], true)).toEqual(metricsOf(plain, [0, 1, 0], true));
  });
});

describe('moving prices the client hop to the entry point', () => {
  it('from the home region by default: half the round trip to where the entry point runs', () => {
    const home = metricsOf(instanceFiles.workedExample, [0, 0, 0]);
    const aInCanada = metricsOf(instanceFiles.workedExample, [1, 0, 0]);
    const quirks = metricsOf(instanceFiles.workedExample, [0, 0, 0], true);
    expect(home.average_runtime - quirks.average_runtime).toBeCloseTo(PING[0]![0]! / 2, 12);
    expect(literalRun(instanceFiles.workedExample, [1, 0, 0]).runtime).toBeCloseTo(aInCanada.average_runtime, 12);
    expect(literalRun(instanceFiles.workedExample, [1, 0, 0]).nodes[0]!.start).toBeCloseTo(PING[0]![1]! / 2, 12);
  });

  it('from client_region when the config names one', () => {
    const west = withChanges((file) => {
      file.workflow_config.client_region = { provider: 'aws', region: 'us-west-2' };
    });
    const atHome = literalRun(west, [0, 0, 0]);
    const inWest = literalRun(west, [2, 2, 2]);
    expect(atHome.nodes[0]!.start).toBeCloseTo(PING[2]![0]! / 2, 12);
    expect(inWest.nodes[0]!.start).toBeCloseTo(PING[2]![2]! / 2, 12);
    expect(metricsOf(west, [2, 2, 2]).average_runtime).toBeCloseTo(inWest.runtime, 12);
  });

  it('start hops measured at the entry point’s region replace the assumption', () => {
    const measured = withChanges((file) => {
      const tables = file.tables as { workflow_instance_table: Record<string, { start_hop_summary: { from_client: { received_region: Record<string, unknown> } } }> };
      const summary = Object.values(tables.workflow_instance_table)[0]!;
      summary.start_hop_summary.from_client.received_region['aws:ca-central-1'] = {
        transfer_size_gb_to_transfer_latencies_s: { '9.5367431640625e-06': [0.1, 0.3] },
      };
    });
    expect(literalRun(measured, [1, 0, 0]).nodes[0]!.start).toBeCloseTo(0.2, 12);
    expect(literalRun(measured, [0, 0, 0]).nodes[0]!.start).toBeCloseTo(PING[0]![0]! / 2, 12);
  });
});
