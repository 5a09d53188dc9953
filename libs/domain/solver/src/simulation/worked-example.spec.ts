import { describe, expect, it } from 'vitest';
import { compileModel } from '@caribou/domain-model';
import { instanceFiles, modelOf } from '../__fixtures__/fixtures';
import { InThreadEvaluator } from '../evaluator';
import { drawLayout } from './draws';
import { simulateRunLiterally } from './literal-simulator';

/*
 * reference-solver.md §11, re-derived by hand from the example's stated inputs (regions R0
 * us-east-1, R1 ca-central-1, R2 us-west-2; payloads, durations, pings and prices as listed).
 * Each expected number below is the spec's own arithmetic, so the implementation is checked to
 * 1e-9 relative; the values printed in the spec are checked at the precision they are printed.
 */
const KiB = 1 / 1048576;
const CI = { overall: [400, 40, 300], 12: [350, 30, 200] } as const;
const PING = [
  [0.005, 0.02, 0.07],
  [0.02, 0.005, 0.065],
  [0.07, 0.065, 0.005],
];
const SNS_REQUEST = 0.5e-6;
const READ = 0.25e-6;
const COMPUTE = 1.66667e-5;
const INVOKE = 2e-7;
const TRANSFER = 0.02;
const EF = 0.001;

function execCarbon(seconds: number, memoryMb: number, utilization: number, intensity: number): number {
  const vcpu = memoryMb / 1769;
  const cpuKw = 0.00074 + utilization * (0.0035 - 0.00074);
  return ((seconds * (cpuKw * vcpu + 0.0003725 * (memoryMb / 1024))) / 3600) * 1.11 * intensity;
}

/**
 * The spec's derivation (the reference's transport: an SNS request per message, no client hop)
 * under `referenceQuirks`; ours otherwise: messages are Lambda async invokes (no request charge
 * besides the target's invocation) and the client (at home, nothing measured) reaches the entry
 * point in half a round trip.
 */
function handDerived([rA, rB, rC]: [number, number, number], hour: 'overall' | 12, referenceQuirks = true) {
  const ci = CI[hour];
  const SNS = referenceQuirks ? SNS_REQUEST : 0;
  const clientHop = referenceQuirks ? 0 : PING[0]![rA]! / 2;
  const route = (q: number, r: number): number => (q === r ? ci[r]! : (ci[q]! + ci[r]!) / 2);
  const latency = (measured: number, from: number, to: number): number =>
    from === 0 && to === 0 ? measured : measured + Math.max(0, PING[from]![to]! - PING[0]![0]!);
  const clientCost = Math.ceil(5 / 64) * SNS + Math.ceil(2 / 4) * READ;
  const aCost =
    COMPUTE * 1 * 1.0 +
    INVOKE +
    (Math.ceil(100 / 64) + Math.ceil(10 / 64)) * SNS +
    TRANSFER * ((rB !== rA ? 100 * KiB : 0) + (rC !== rA ? 10 * KiB : 0));
  const bCost = COMPUTE * 2 * 2.0 + INVOKE;
  const cCost = COMPUTE * 0.5 * 0.5 + INVOKE;
  const runtime = clientHop + Math.max(1.0, 0.9 + latency(0.2, rA, rB) + 2.0, 1.0 + latency(0.15, rA, rC) + 0.5);
  const exec = {
    a: execCarbon(1.0, 1024, 0.5, ci[rA]!),
    b: execCarbon(2.0, 2048, 0.8, ci[rB]!),
    c: execCarbon(0.5, 512, 0.2, ci[rC]!),
  };
  const tx = {
    client: 2 * KiB * EF * 410,
    a: 5 * KiB * EF * 410,
    b: 100 * KiB * EF * route(rA, rB) + 0.005 * EF * 410 + 0.005 * EF * route(0, rB),
    c: 10 * KiB * EF * route(rA, rC),
  };
  return {
    cost: { client: clientCost, a: aCost, b: bCost, c: cCost, total: clientCost + aCost + bCost + cCost },
    runtime,
    exec,
    tx,
    carbon: exec.a + exec.b + exec.c + tx.client + tx.a + tx.b + tx.c,
  };
}

function expectRelative(actual: number, expected: number, tolerance = 1e-9): void {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(tolerance);
}

/** A printed figure: the computed value rounded to the printed significant digits. */
function expectPrinted(actual: number, printed: string): void {
  const digits = printed.replace(/e.*$/, '').replace(/[-.]/g, '').replace(/^0+/, '').length;
  expect(Number(actual.toPrecision(digits))).toBe(Number(printed));
}

const table: Array<[string, [number, number, number], 'overall' | 12, string, string, string]> = [
  ['home', [0, 0, 0], 'overall', '9.03502e-5', '3.1', '5.35216e-3'],
  ['B in Canada', [0, 1, 0], 'overall', '9.22575e-5', '3.115', '3.51193e-3'],
  ['A in Canada', [1, 0, 0], 'overall', '9.24483e-5', '3.115', '5.15572e-3'],
  ['all R1', [1, 1, 1], 'overall', '9.03502e-5', '3.1', '3.28268e-3'],
  ['all R2', [2, 2, 2], 'overall', '9.03502e-5', '3.1', '4.77731e-3'],
  ['home at 12', [0, 0, 0], 12, '9.03502e-5', '3.1', '4.93974e-3'],
  ['all R1 at 12', [1, 1, 1], 12, '9.03502e-5', '3.1', '3.10019e-3'],
];

describe('worked example (§11)', () => {
  for (const referenceQuirks of [false, true]) {
    const model = modelOf(instanceFiles.workedExample, { referenceQuirks });
    const evaluator = new InThreadEvaluator(compileModel(model), 7);

    it.each(table)(`%s: Monte-Carlo metrics equal the hand derivation (quirks=${referenceQuirks})`, (_, d, hour, cost, runtime, carbon) => {
      const [metrics] = evaluator.evaluateOne(d, [hour === 'overall' ? null : hour]);
      const expected = handDerived(d, hour, referenceQuirks);
      for (const [field, value] of [
        ['cost', expected.cost.total],
        ['runtime', expected.runtime],
        ['carbon', expected.carbon],
      ] as const) {
        expectRelative(metrics![`average_${field}`]!, value);
        expectRelative(metrics![`tail_${field}`]!, value);
      }
      // The spec prints the reference's figures.
      if (referenceQuirks) {
        expectPrinted(metrics!.average_cost, cost);
        expectPrinted(metrics!.average_runtime, runtime);
      }
      expectPrinted(metrics!.average_carbon, carbon);
    });
  }

  it('per-node breakdown of moving B to Canada matches the spec (reference quirks)', () => {
    const model = modelOf(instanceFiles.workedExample, { referenceQuirks: true });
    const compiled = compileModel(model);
    const trace = simulateRunLiterally(model, compiled, drawLayout(compiled), [0, 1, 0], null, () => 0.5);
    const expected = handDerived([0, 1, 0], 'overall');
    const [a, b, c, client] = trace.nodes;
    expectRelative(client!.cost, expected.cost.client);
    expectRelative(a!.cost, expected.cost.a);
    expectRelative(b!.cost, expected.cost.b);
    expectRelative(c!.cost, expected.cost.c);
    expectRelative(a!.executionCarbon, expected.exec.a);
    expectRelative(b!.executionCarbon, expected.exec.b);
    expectRelative(c!.executionCarbon, expected.exec.c);
    expectRelative(client!.transmissionCarbon, expected.tx.client);
    expectRelative(a!.transmissionCarbon, expected.tx.a);
    expectRelative(b!.transmissionCarbon, expected.tx.b);
    expectRelative(c!.transmissionCarbon, expected.tx.c);
    expectRelative(trace.cost, expected.cost.total);
    expectRelative(trace.carbon, expected.carbon);
    expect(trace.runtime).toBeCloseTo(3.115, 12);
    // The figures as printed in §11.
    expectPrinted(client!.cost, '7.5e-7');
    expectPrinted(a!.cost, '2.02740e-5');
    expectPrinted(b!.cost, '6.68668e-5');
    expectPrinted(c!.cost, '4.36667e-6');
    expectPrinted(a!.executionCarbon, '1.97294e-4');
    expectPrinted(b!.executionCarbon, '1.02563e-4');
    expectPrinted(c!.executionCarbon, '3.45452e-5');
    expectPrinted(client!.transmissionCarbon, '7.82013e-7');
    expectPrinted(a!.transmissionCarbon, '1.95503e-6');
    expectPrinted(b!.transmissionCarbon, '3.17098e-3');
    expectPrinted(c!.transmissionCarbon, '3.8147e-6');
    expectPrinted(trace.cost, '9.225752e-5');
    expectPrinted(trace.carbon, '3.511934e-3');
    // Timeline: A [0, 1.0]; B [0.9 + 0.215, +2.0]; C [1.0 + 0.15, +0.5].
    expect([a!.start, a!.end]).toEqual([0, 1.0]);
    expect(b!.start).toBeCloseTo(1.115, 12);
    expect(b!.end).toBeCloseTo(3.115, 12);
    expect(c!.start).toBeCloseTo(1.15, 12);
    expect(c!.end).toBeCloseTo(1.65, 12);
    // +2.1 % cost over the home deployment.
    expect(((trace.cost / handDerived([0, 0, 0], 'overall').cost.total - 1) * 100).toFixed(1)).toBe('2.1');
  });

  it('B at home would emit ten times its Canadian execution carbon, and home totals match (reference quirks)', () => {
    const model = modelOf(instanceFiles.workedExample, { referenceQuirks: true });
    const compiled = compileModel(model);
    const trace = simulateRunLiterally(model, compiled, drawLayout(compiled), [0, 0, 0], null, () => 0.5);
    expectPrinted(trace.nodes[1]!.executionCarbon, '1.02563e-3');
    expectPrinted(trace.cost, '9.035018e-5');
    expectPrinted(trace.carbon, '5.352165e-3');
    expect(trace.nodes[1]!.transmissionCarbon - 100 * KiB * EF * 400).toBeCloseTo(4.05e-3, 15);
  });
});
