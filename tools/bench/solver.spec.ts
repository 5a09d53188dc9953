import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSolverBenchArgs, runSolverBench, UsageError } from './solver';
import { generateSolverInstance } from './solver-instance-generator';

const WORKED_EXAMPLE = join(import.meta.dirname, '../../libs/domain/solver/src/__fixtures__/worked_example.json');

describe('bench:solver arguments', () => {
  it('parses the documented options', () => {
    expect(parseSolverBenchArgs(['x.json', '--algorithms', 'coarse,fine', '--hours', '0,6,12,18', '--seed', '9', '--threads', '1', '--json'])).toEqual({
      instancePath: 'x.json',
      algorithms: ['coarse', 'fine'],
      hours: [0, 6, 12, 18],
      seed: 9,
      threads: 1,
      referenceQuirks: false,
      json: true,
    });
  });

  it.each([
    [['x.json', '--hours', '24'], /--hours: '24' is not an integer 0–23/],
    [['x.json', '--algorithms', 'greedy'], /'greedy' is unknown/],
    [['x.json', '--threads', '0'], /--threads/],
    [['x.json', '--frobnicate'], /Unknown option/],
    [[], /exactly one instance file/],
  ])('rejects %j with a one-line reason', (argv, message) => {
    expect(() => parseSolverBenchArgs(argv)).toThrow(UsageError);
    expect(() => parseSolverBenchArgs(argv)).toThrow(message);
  });
});

describe('bench:solver report', () => {
  it('on the worked example: home and single-region metrics per hour, and each algorithm’s plan', async () => {
    const report = await runSolverBench(
      { instancePath: WORKED_EXAMPLE, algorithms: ['coarse', 'fine', 'stochastic'], hours: [0, 12], seed: 1, threads: 1, referenceQuirks: false, json: true },
      () => undefined,
    );
    expect(report.evaluations.map((e) => [e.hour, e.label, e.deployment])).toEqual([
      ['0', 'home', [0, 0, 0]],
      ['0', 'all:aws:ca-central-1', [1, 1, 1]],
      ['0', 'all:aws:us-west-2', [2, 2, 2]],
      ['12', 'home', [0, 0, 0]],
      ['12', 'all:aws:ca-central-1', [1, 1, 1]],
      ['12', 'all:aws:us-west-2', [2, 2, 2]],
    ]);
    expect(report.evaluations[4]!.metrics.average_carbon).toBeCloseTo(3.10019e-3, 8);
    expect(Object.keys(report.evaluations[0]!.metrics)).toEqual(['average_cost', 'average_runtime', 'average_carbon', 'tail_cost', 'tail_runtime', 'tail_carbon']);
    for (const algorithm of report.algorithms) {
      expect(algorithm.placements).toEqual({ '0': [1, 1, 1], '12': [1, 1, 1] });
      expect(algorithm.evaluations).toBeGreaterThan(0);
      expect(algorithm.evaluations_per_second).toBeGreaterThan(0);
      expect(Object.keys(algorithm)).toEqual(['algorithm', 'placements', 'metrics', 'evaluations', 'evaluations_per_second', 'wall_seconds']);
    }
  });

  it('reports a missing instance file as a usage error', async () => {
    await expect(
      runSolverBench({ instancePath: '/nonexistent.json', algorithms: ['coarse'], hours: null, seed: 1, threads: 1, referenceQuirks: false, json: true }, () => undefined),
    ).rejects.toThrow(UsageError);
  });
});

describe('synthetic instance generator', () => {
  it('is deterministic for a seed and has the requested size', () => {
    const a = JSON.stringify(generateSolverInstance({ functions: 12, regions: 8, seed: 3 }));
    const b = JSON.stringify(generateSolverInstance({ functions: 12, regions: 8, seed: 3 }));
    const c = JSON.stringify(generateSolverInstance({ functions: 12, regions: 8, seed: 4 }));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    const instance = JSON.parse(a);
    expect(Object.keys(instance.workflow_config.instances)).toHaveLength(12);
    expect(Object.keys(instance.tables.available_regions_table)).toHaveLength(8);
  });
});
