/**
 * The deployment-solver benchmark's measurements, one per process so that each phase's peak
 * memory is its own and no phase warms the JIT for another:
 * `tsx tools/bench/solver-phases.ts <phase> [--quick]` prints one JSON object.
 *
 * Instances are the seeded synthetic ones of solver-instance-generator.ts (seed 1). The
 * "previous path" is the simulator as it was before incremental evaluation
 * (baseline/batch-simulator-v1.ts), in the same thread pool protocol (baseline/worker-v1.ts).
 */
import { loadavg } from 'node:os';
import { SolverThreadPool } from '@caribou/adapter-solver-threads';
import { compileModel, solverInputFromInstanceFile, WorkflowModel, type SolverInput } from '@caribou/domain-model';
import { allocateSamples, BatchSimulator, metricsFromSamples, solve, streamFor, TIMING_STATE_BYTES } from '@caribou/domain-solver';
import { BatchSimulatorV1 } from './baseline/batch-simulator-v1';
import { generateSolverInstance } from './solver-instance-generator';

export const PHASES = ['evaluation', 'solve', 'solve-v1', 'caches'] as const;
export type Phase = (typeof PHASES)[number];

export interface PhaseResult {
  [figure: string]: number | number[] | string;
}

const RUNS = 2000;
const BATCH = 200;
/** Evaluations before timing one: enough to fill the timing-state stores of a 30 × 20 simulator of 2000 runs (about 95 states) and of the pool threads' simulators of 1000 runs (about 190). */
const WARM_UP = 200;

function instance(functions: number, regions: number, hardConstraints = true): { input: SolverInput; model: WorkflowModel } {
  const file = generateSolverInstance({ functions, regions, seed: 1 }) as { workflow_config: { constraints: { hard_resource_constraints: unknown } } };
  if (!hardConstraints) file.workflow_config.constraints.hard_resource_constraints = null;
  const input = solverInputFromInstanceFile(file);
  return { input, model: new WorkflowModel(input) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Per-block medians of `body`'s wall time (ms) and its CPU time per call (ms). */
function timeBlocks(blocks: number, perBlock: number, body: (i: number) => void): { medians: number[]; cpuMs: number } {
  const medians: number[] = [];
  const cpu = process.cpuUsage();
  let calls = 0;
  for (let b = 0; b < blocks; b++) {
    const times: number[] = [];
    for (let i = 0; i < perBlock; i++) {
      const started = performance.now();
      body(calls++);
      times.push(performance.now() - started);
    }
    medians.push(median(times));
  }
  const used = process.cpuUsage(cpu);
  return { medians, cpuMs: (used.user + used.system) / 1000 / calls };
}

/**
 * One evaluation of 2000 runs at 30 × 20, priced at one hour: a full simulation of a mixed
 * placement never seen before (no timing to reuse, latency rows mostly not memoised), with the
 * previous simulator on the same placements, in this thread and in the solver's 2-thread pool;
 * a one-instance neighbour of a kept placement.
 */
async function evaluation(quick: boolean): Promise<PhaseResult> {
  const { model } = instance(30, 20);
  const compiled = compileModel(model);
  const allowed = model.permittedRegions;
  const choose = streamFor(9);
  const mixed = (): number[] => allowed.map((a) => a[Math.floor(choose.next() * a.length)]!);
  const blocks = quick ? 3 : 5;
  const perBlock = quick ? 15 : 41;
  const placements = Array.from({ length: blocks * perBlock }, mixed);
  const out = allocateSamples(RUNS, 1);
  // Reused as the solver's evaluators reuse theirs.
  const scratch = new Float64Array(RUNS);
  const slots = [13];

  const current = new BatchSimulator(compiled, RUNS, BATCH, 1);
  const evaluate = (simulator: { setDeployment(d: number[], base?: number[]): void; simulate: BatchSimulator['simulate'] }, d: number[], base?: number[]): void => {
    simulator.setDeployment(d, base);
    simulator.simulate(0, RUNS, slots, out, 0);
    metricsFromSamples(out, 1, scratch);
  };
  // Warm-up: the JIT, and the timing-state store filled to its budget, as in a search after its
  // first hundred or so evaluations: from then on states recycle their rows instead of
  // allocating them (before, an evaluation costs about 1.5 × as much CPU, mostly new memory).
  const warmUp = Array.from({ length: WARM_UP }, mixed);
  for (const placement of warmUp) evaluate(current, placement);
  if (current.timingStateBytes < TIMING_STATE_BYTES * 0.9) throw new Error('the warm-up did not fill the timing-state store; raise WARM_UP');
  const full = timeBlocks(blocks, perBlock, (i) => evaluate(current, placements[i]!));

  const previous = new BatchSimulatorV1(compiled, RUNS, BATCH, 1);
  for (const placement of warmUp) evaluate(previous, placement);
  const previousFull = timeBlocks(blocks, perBlock, (i) => evaluate(previous, placements[i]!));

  // One-instance neighbours of a kept base (a new base per block).
  const neighbours: Array<{ base: number[]; deployment: number[] }> = [];
  for (let b = 0; b < blocks; b++) {
    const base = mixed();
    for (let i = 0; i < perBlock; i++) {
      const deployment = base.slice();
      const at = Math.floor(choose.next() * deployment.length);
      const choices = allowed[at]!.filter((r) => r !== base[at]);
      if (choices.length > 0) deployment[at] = choices[Math.floor(choose.next() * choices.length)]!;
      neighbours.push({ base, deployment });
    }
  }
  const incremental = timeBlocks(blocks, perBlock, (i) => {
    const { base, deployment } = neighbours[i]!;
    if (i % perBlock === 0) evaluate(current, base);
    evaluate(current, deployment, base);
  });
  const fullOfNeighbours = timeBlocks(blocks, perBlock, (i) => evaluate(previous, neighbours[i]!.deployment));

  // The same full evaluations as the solver runs them: in its pool of 2 worker threads, each
  // simulating half of the runs (the previous path in the same pool as the baseline).
  const pooled = await poolEvaluations(warmUp, placements, blocks, perBlock, false);
  const pooledPrevious = await poolEvaluations(warmUp, placements, blocks, perBlock, true);
  return {
    pooledFullMs: pooled.medians,
    pooledFullCpuMs: pooled.cpuMs,
    previousPooledFullMs: pooledPrevious.medians,
    fullMs: full.medians,
    fullCpuMs: full.cpuMs,
    previousFullMs: previousFull.medians,
    previousFullCpuMs: previousFull.cpuMs,
    incrementalMs: incremental.medians,
    incrementalCpuMs: incremental.cpuMs,
    previousOfNeighboursMs: fullOfNeighbours.medians,
    loadAverage: loadavg()[0]!,
  };
}

/** Per-block medians of wall time of one-request rounds of a 2-thread pool, and CPU per round (all threads). */
async function poolEvaluations(warmUp: number[][], placements: number[][], blocks: number, perBlock: number, previousPath: boolean): Promise<{ medians: number[]; cpuMs: number }> {
  const { input } = instance(30, 20);
  const pool = await SolverThreadPool.start(
    { input, seed: 1 },
    { threads: 2, ...(previousPath ? { workerEntry: new URL('./baseline/worker-v1.ts', import.meta.url) } : {}) },
  );
  try {
    const round = (deployment: number[]): Promise<unknown> => pool.evaluate([{ deployment, hours: [13] }]);
    for (const placement of warmUp) await round(placement); // as above
    const medians: number[] = [];
    const cpu = process.cpuUsage();
    for (let b = 0; b < blocks; b++) {
      const times: number[] = [];
      for (let i = 0; i < perBlock; i++) {
        const started = performance.now();
        await round(placements[b * perBlock + i]!);
        times.push(performance.now() - started);
      }
      medians.push(median(times));
    }
    const used = process.cpuUsage(cpu);
    return { medians, cpuMs: (used.user + used.system) / 1000 / (blocks * perBlock) };
  } finally {
    await pool.close();
  }
}

/**
 * A stochastic solve of `hours` hours with 2 worker threads, on the current or previous path,
 * optionally in budgeted mode (`budgetSeconds`) or without the instance's hard constraints
 * (then proposals are screened on their carbon bounds).
 */
async function solvePhase(functions: number, hours: number, previousPath: boolean, budgetSeconds?: number, hardConstraints = true): Promise<PhaseResult> {
  const { input, model } = instance(functions, 20, hardConstraints);
  const load = loadavg()[0]!;
  const pool = await SolverThreadPool.start(
    { input, seed: 1 },
    { threads: 2, ...(previousPath ? { workerEntry: new URL('./baseline/worker-v1.ts', import.meta.url) } : {}) },
  );
  try {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await solve(model, pool, {
      algorithm: 'stochastic',
      hours: Array.from({ length: hours }, (_, h) => h),
      seed: 1,
      ...(budgetSeconds ? { searchBudget: { seconds: budgetSeconds } } : {}),
    });
    const wallSeconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    return {
      wallSeconds,
      cpuSeconds: (used.user + used.system) / 1e6,
      simulations: result.simulations,
      plans: result.plans.map((plan) => plan.deployment.join(',')).join(' '),
      averageCarbon: result.plans.map((plan) => plan.metrics.average_carbon),
      iterations: result.stochastic!.iterations,
      screened: result.stochastic!.screened,
      resolved: result.stochastic!.resolved,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      loadAverage: Math.max(load, loadavg()[0]!),
    };
  } finally {
    await pool.close();
  }
}

/**
 * Bytes held by one simulator's caches at 100 functions × 34 regions (2000 runs) under a
 * search-like load: 24 current deployments, each round a neighbour of each (21 instances
 * re-drawn, as the stochastic search does at N = 100) priced at 1 to 24 hours, a third of them
 * accepted.
 */
export function cachesUnderSearchLoad(rounds: number): { peak: number; last: BatchSimulator['cacheBytes'] } {
  const { model } = instance(100, 34);
  const simulator = new BatchSimulator(compileModel(model), RUNS, BATCH, 1);
  const allowed = model.permittedRegions;
  const choose = streamFor(77);
  const out = allocateSamples(RUNS, 24);
  const currents = Array.from({ length: 24 }, () => allowed.map((a) => a[Math.floor(choose.next() * a.length)]!));
  // Priced at 1 to 24 hours, mostly few, as the lockstep search prices a proposal at the hours that proposed it.
  const chooseHours = streamFor(78);
  const evaluate = (deployment: number[], base?: number[]): void => {
    const hours = 1 + Math.floor(chooseHours.next() ** 3 * 24);
    simulator.setDeployment(deployment, base);
    simulator.simulate(0, RUNS, Array.from({ length: hours }, (_, h) => h + 1), out, 0);
  };
  currents.forEach((d) => evaluate(d));
  let peak = simulator.cacheBytes.total;
  for (let round = 0; round < rounds; round++) {
    currents.forEach((current, h) => {
      const next = current.slice();
      for (let k = 0; k < 21; k++) {
        const i = Math.floor(choose.next() * next.length);
        next[i] = allowed[i]![Math.floor(choose.next() * allowed[i]!.length)]!;
      }
      evaluate(next, current);
      peak = Math.max(peak, simulator.cacheBytes.total);
      if (choose.next() < 1 / 3) currents[h] = next;
    });
  }
  return { peak, last: simulator.cacheBytes };
}

function caches(quick: boolean): PhaseResult {
  const { peak, last } = cachesUnderSearchLoad(quick ? 4 : 12);
  return {
    peakMiB: peak / 2 ** 20,
    structureMiB: last.structure / 2 ** 20,
    latencyRowsMiB: last.latencyRows / 2 ** 20,
    timingStatesMiB: last.timingStates / 2 ** 20,
    tablesMiB: last.tables / 2 ** 20,
    spareMiB: last.spare / 2 ** 20,
    timingStateBudgetMiB: TIMING_STATE_BYTES / 2 ** 20,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

export async function runPhase(phase: string, args: readonly string[]): Promise<PhaseResult> {
  const quick = args.includes('--quick');
  const number = (name: string, fallback: number): number => {
    const at = args.indexOf(name);
    return at >= 0 ? Number(args[at + 1]) : fallback;
  };
  switch (phase) {
    case 'evaluation':
      return evaluation(quick);
    case 'solve':
      return solvePhase(
        number('--functions', 30),
        number('--hours', 24),
        false,
        args.includes('--budget-seconds') ? number('--budget-seconds', 60) : undefined,
        !args.includes('--no-hard-constraints'),
      );
    case 'solve-v1':
      return solvePhase(number('--functions', 30), number('--hours', 24), true);
    case 'caches':
      return caches(quick);
    default:
      throw new Error(`unknown phase '${phase}'; use one of ${PHASES.join(', ')}`);
  }
}

if (process.argv[1]?.endsWith('solver-phases.ts')) {
  const [phase, ...args] = process.argv.slice(2);
  console.log(JSON.stringify(await runPhase(phase ?? '', args)));
}
