/**
 * `npm run bench:solver -- <instance.json> [--algorithms coarse,fine,stochastic] [--hours 0,6,12,18]
 *   [--seed N] [--threads N] [--reference-quirks] [--json]`
 *
 * Reads a solver instance in the reference fixtures' format (`caribou-solver-instance/v1`),
 * evaluates the home deployment and every single-region deployment ("all:<region>"), then runs
 * each algorithm and reports its placement and metrics per hour, the number of Monte-Carlo
 * evaluations it ran, evaluations per second and wall time.
 *
 * - Hours: without --hours the daily average is used (labelled "overall", stored under "0" by
 *   the real solver); otherwise each listed UTC hour. Labels are the same in evaluations and in
 *   each algorithm's placements/metrics.
 * - Threads: 1 runs the in-thread evaluator; N ≥ 2 a pool of N worker threads (default: the
 *   machine's available parallelism). Results are identical for every N.
 * - Deployments are region indices in the order of the instance's permitted regions (the order
 *   of `available_regions_table`, filtered by the workflow's region rules).
 * - Bad arguments print one line and exit with status 2.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { SolverThreadPool } from '@caribou/adapter-solver-threads';
import { CaribouError } from '@caribou/domain-common';
import { solverInputFromInstanceFile, WorkflowModel, type ModelOptions, type SolverInput } from '@caribou/domain-model';
import {
  createInThreadEvaluator,
  solve,
  uniformDeployments,
  type AlgorithmName,
  type DeploymentEvaluator,
  type Hour,
} from '@caribou/domain-solver';
import type { DeploymentMetrics } from '@caribou/domain-workflow';

const METRIC_FIELDS = ['average_cost', 'average_runtime', 'average_carbon', 'tail_cost', 'tail_runtime', 'tail_carbon'] as const;
const ALGORITHMS: readonly AlgorithmName[] = ['coarse', 'fine', 'stochastic'];

export interface SolverBenchOptions {
  instancePath: string;
  algorithms: AlgorithmName[];
  hours: number[] | null;
  seed: number;
  threads: number;
  referenceQuirks: boolean;
  json: boolean;
}

export class UsageError extends Error {}

function integerList(text: string, what: string, min: number, max: number): number[] {
  const values = text.split(',').map((part) => part.trim());
  return values.map((value) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
      throw new UsageError(`${what}: '${value}' is not an integer ${min}–${max}; give a comma-separated list like 0,6,12,18`);
    return Number(value);
  });
}

export function parseSolverBenchArgs(argv: readonly string[]): SolverBenchOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        algorithms: { type: 'string' },
        hours: { type: 'string' },
        seed: { type: 'string' },
        threads: { type: 'string' },
        json: { type: 'boolean' },
        'reference-quirks': { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError('give exactly one instance file: bench:solver -- <instance.json> [options]');
  const algorithms = (values.algorithms ?? 'coarse,stochastic').split(',').map((a) => a.trim());
  for (const algorithm of algorithms)
    if (!ALGORITHMS.includes(algorithm as AlgorithmName))
      throw new UsageError(`--algorithms: '${algorithm}' is unknown; use coarse, fine and/or stochastic`);
  const seed = values.seed === undefined ? 1 : integerList(values.seed, '--seed', 0, Number.MAX_SAFE_INTEGER)[0]!;
  const threads = values.threads === undefined ? availableParallelism() : integerList(values.threads, '--threads', 1, 256)[0]!;
  if (values.seed?.includes(',') || values.threads?.includes(',')) throw new UsageError('--seed and --threads take one integer');
  return {
    instancePath: positionals[0]!,
    algorithms: algorithms as AlgorithmName[],
    hours: values.hours === undefined ? null : [...new Set(integerList(values.hours, '--hours', 0, 23))],
    seed,
    threads,
    referenceQuirks: values['reference-quirks'] ?? false,
    json: values.json ?? false,
  };
}

function readInstance(path: string): SolverInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read instance file ${path}`);
  }
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return solverInputFromInstanceFile(file);
}

const hourLabel = (hour: Hour): string => (hour === null ? 'overall' : String(hour));

function pickMetrics(metrics: DeploymentMetrics): Record<(typeof METRIC_FIELDS)[number], number> {
  return Object.fromEntries(METRIC_FIELDS.map((f) => [f, metrics[f]!])) as Record<(typeof METRIC_FIELDS)[number], number>;
}

export interface SolverBenchReport {
  evaluations: Array<{ hour: string; label: string; deployment: number[]; metrics: Record<string, number> }>;
  algorithms: Array<{
    algorithm: AlgorithmName;
    placements: Record<string, number[]>;
    metrics: Record<string, Record<string, number>>;
    evaluations: number;
    evaluations_per_second: number;
    wall_seconds: number;
  }>;
}

async function withEvaluator<T>(
  input: SolverInput,
  options: SolverBenchOptions,
  body: (evaluator: DeploymentEvaluator & { simulations: number }) => Promise<T>,
): Promise<T> {
  const model: ModelOptions = { referenceQuirks: options.referenceQuirks };
  const evaluator =
    options.threads === 1
      ? await createInThreadEvaluator({ input, model, seed: options.seed })
      : await SolverThreadPool.start({ input, model, seed: options.seed }, { threads: options.threads });
  try {
    return await body(evaluator);
  } finally {
    await evaluator.close();
  }
}

export async function runSolverBench(options: SolverBenchOptions, log: (line: string) => void): Promise<SolverBenchReport> {
  const input = readInstance(options.instancePath);
  const model = new WorkflowModel(input, { referenceQuirks: options.referenceQuirks });
  const hours: Hour[] = options.hours ?? [null];
  const regionName = (r: number): string => model.regionKeys[r]!;
  const report: SolverBenchReport = { evaluations: [], algorithms: [] };

  const home = model.instanceNames.map(() => model.homeRegion);
  const deployments: Array<[string, number[]]> = [
    ['home', home],
    ...uniformDeployments(model)
      .filter((d) => d[0] !== model.homeRegion)
      .map((d): [string, number[]] => [`all:${regionName(d[0]!)}`, d]),
  ];
  await withEvaluator(input, options, async (evaluator) => {
    const metrics = await evaluator.evaluate(deployments.map(([, deployment]) => ({ deployment, hours })));
    hours.forEach((hour, h) =>
      deployments.forEach(([label, deployment], d) =>
        report.evaluations.push({ hour: hourLabel(hour), label, deployment, metrics: pickMetrics(metrics[d]![h]!) }),
      ),
    );
  });
  if (!options.json) {
    log(`${model.workflowId}: ${model.instanceCount} instances × ${model.permittedRegionCount} regions, home ${regionName(model.homeRegion)}, seed ${options.seed}, ${options.threads === 1 ? 'in-thread' : `${options.threads} threads`}${options.referenceQuirks ? ', reference quirks' : ''}`);
    log('');
    log(`${'hour'.padEnd(8)}${'deployment'.padEnd(26)}${METRIC_FIELDS.map((f) => f.padStart(16)).join('')}`);
    for (const e of report.evaluations)
      log(`${e.hour.padEnd(8)}${e.label.padEnd(26)}${METRIC_FIELDS.map((f) => e.metrics[f]!.toPrecision(6).padStart(16)).join('')}`);
  }

  for (const algorithm of options.algorithms) {
    await withEvaluator(input, options, async (evaluator) => {
      const started = performance.now();
      const result = await solve(model, evaluator, { algorithm, hours: options.hours, seed: options.seed });
      const wall = (performance.now() - started) / 1000;
      const entry: SolverBenchReport['algorithms'][number] = {
        algorithm,
        placements: {},
        metrics: {},
        evaluations: result.simulations,
        evaluations_per_second: result.simulations / wall,
        wall_seconds: wall,
      };
      for (const plan of result.plans) {
        entry.placements[hourLabel(plan.hour)] = plan.deployment;
        entry.metrics[hourLabel(plan.hour)] = pickMetrics(plan.metrics);
      }
      report.algorithms.push(entry);
      if (options.json) return;
      log('');
      log(
        `${algorithm}: ${result.simulations} Monte-Carlo evaluations (${result.evaluations} hour-evaluations as the reference counts them), ` +
          `${entry.evaluations_per_second.toFixed(1)} evaluations/s, wall ${wall.toFixed(2)} s`,
      );
      for (const plan of result.plans) {
        const regions = [...new Set(plan.deployment)].map(regionName);
        const placement = regions.length === 1 ? `all:${regions[0]}` : plan.deployment.join(',');
        const change = (f: string): string =>
          `${f.replace('average_', '')} ${((plan.metrics[`average_${f}`]! / plan.homeMetrics[`average_${f}`]! - 1) * 100).toFixed(1)}%`;
        log(
          `  ${hourLabel(plan.hour).padEnd(8)}${placement.padEnd(30)}` +
            `${METRIC_FIELDS.map((f) => plan.metrics[f]!.toPrecision(6).padStart(16)).join('')}   vs home: ${['carbon', 'cost', 'runtime'].map(change).join(', ')}`,
        );
      }
    });
  }
  return report;
}

async function main(): Promise<void> {
  let options: SolverBenchOptions;
  try {
    options = parseSolverBenchArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`bench:solver: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
  try {
    const report = await runSolverBench(options, (line) => console.log(line));
    if (options.json) console.log(JSON.stringify(report, null, 2));
  } catch (error) {
    if (error instanceof UsageError || error instanceof CaribouError) {
      console.error(`bench:solver: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('tools/bench/solver.ts')) await main();
