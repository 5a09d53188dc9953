import { CaribouError } from '@caribou/domain-common';
import { compileModel, hourSlot, WorkflowModel, type CompiledModel, type ModelOptions, type SolverInput } from '@caribou/domain-model';
import type { DeploymentMetrics } from '@caribou/domain-workflow';
import { allocateSamples, metricsFromSamples, type SampleBlock } from './metrics';
import { BatchSimulator } from './simulation/batch-simulator';
import { CarbonMeanScreen } from './simulation/carbon-mean-screen';

/** An hour setting: `null` is the daily average ("overall"), 0–23 a UTC hour of the day. */
export type Hour = number | null;

/** A deployment: the region index of every instance. */
export type Deployment = readonly number[];

/** One Monte-Carlo evaluation: a deployment, priced at the given hours. */
export interface EvaluationRequest {
  deployment: Deployment;
  /**
   * Hours to price carbon at. Empty: cost and runtime only (carbon is not accounted, which
   * makes the simulation cheaper); the result is then one metrics object whose carbon fields
   * are NaN — what checking cost and runtime hard constraints needs.
   */
  hours: readonly Hour[];
  /**
   * A deployment evaluated before of which this one is a neighbour (the search's current
   * deployment): while its timing is still kept, only the instances whose region differs and
   * what lies downstream of them are re-timed. A hint for speed; results never depend on it.
   */
  base?: Deployment;
}

/**
 * Computes Monte-Carlo metrics of deployments (§4): `result[i][j]` belongs to
 * `requests[i].deployment` at `requests[i].hours[j]` (`result[i][0]` has cost and runtime only
 * when `hours` is empty). Runtime and cost do not depend on the hour;
 * one simulation prices every requested hour. Implementations must return the same numbers for
 * the same seed whatever their degree of parallelism.
 */
export interface DeploymentEvaluator {
  evaluate(requests: readonly EvaluationRequest[]): Promise<DeploymentMetrics[][]>;
  /**
   * Optional: an interval that contains the `average_carbon` `evaluate` would return for
   * `deployment` at `hour`, computed without simulating (see `CarbonMeanScreen`); null when
   * it cannot tell. Searches use it to skip simulating proposals they would reject anyway.
   */
  averageCarbonBounds?(deployment: Deployment, hour: Hour): [number, number] | null;
}

/** Hour setting → carbon-intensity slot of the compiled model. */
export function slotsOf(hours: readonly Hour[]): number[] {
  checkHours(hours);
  return hours.map(hourSlot);
}

/** The reference's Monte-Carlo settings: batches of 200 runs until 2000 runs (§4). */
export interface MonteCarloSettings {
  runs: number;
  batchSize: number;
}

export const REFERENCE_MONTE_CARLO: MonteCarloSettings = { runs: 2000, batchSize: 200 };

export function checkHours(hours: readonly Hour[]): void {
  for (const hour of hours) {
    if (hour !== null && !(Number.isInteger(hour) && hour >= 0 && hour <= 23))
      throw new CaribouError(`hour ${String(hour)} is not a UTC hour 0–23 (or null for the daily average)`);
  }
}

export function batchCount(settings: MonteCarloSettings): number {
  return Math.ceil(settings.runs / settings.batchSize);
}

/**
 * Simulates batches [batchFrom, batchTo) of one deployment into `out` starting at `offset`.
 * Run i always uses the draws of (seed, its batch, i): every deployment and every hour sees the
 * same random numbers (common random numbers), so metric differences between deployments come
 * from the deployments, and splitting batches across threads changes nothing.
 */
export function simulateBatches(
  simulator: BatchSimulator,
  deployment: Deployment,
  slots: readonly number[],
  settings: MonteCarloSettings,
  batchFrom: number,
  batchTo: number,
  out: SampleBlock,
  offset = 0,
  base?: Deployment,
): void {
  simulator.setDeployment(deployment, base);
  const first = batchFrom * settings.batchSize;
  const last = Math.min(settings.runs, batchTo * settings.batchSize);
  simulator.simulate(first, last, slots, out, offset);
}

/** Number of runs in batches [from, to). */
export function runsInBatches(settings: MonteCarloSettings, from: number, to: number): number {
  return Math.max(0, Math.min(settings.runs, to * settings.batchSize) - from * settings.batchSize);
}

/**
 * The pure in-thread evaluator: the default, and what every worker runs. It has the shape of
 * the `DeploymentMetricsEvaluator` port (threads, simulations, close).
 */
export class InThreadEvaluator implements DeploymentEvaluator {
  readonly threads = 1;
  /** Monte-Carlo evaluations run so far (each `settings.runs` runs). */
  simulations = 0;
  readonly simulator: BatchSimulator;
  private readonly scratch: Float64Array;
  /** Samples of the evaluation in progress, reused (carbon grows to the most hours asked for). */
  private block: SampleBlock;

  constructor(
    readonly model: CompiledModel,
    readonly seed: number,
    readonly settings: MonteCarloSettings = REFERENCE_MONTE_CARLO,
  ) {
    if (!(Number.isInteger(settings.runs) && settings.runs > 0 && Number.isInteger(settings.batchSize) && settings.batchSize > 0))
      throw new CaribouError('Monte-Carlo settings: runs and batchSize must be positive integers');
    this.simulator = new BatchSimulator(model, settings.runs, settings.batchSize, seed);
    this.scratch = new Float64Array(settings.runs);
    this.block = allocateSamples(settings.runs, 1);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private screen: CarbonMeanScreen | undefined;

  averageCarbonBounds(deployment: Deployment, hour: Hour): [number, number] | null {
    this.screen ??= new CarbonMeanScreen(this.model, this.simulator.structure);
    return this.screen.averageCarbonBounds(deployment, slotsOf([hour])[0]!);
  }

  evaluate(requests: readonly EvaluationRequest[]): Promise<DeploymentMetrics[][]> {
    try {
      return Promise.resolve(requests.map((request) => this.evaluateOne(request.deployment, request.hours, request.base)));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Metrics of one deployment at each of `hours`, computed now (re-timing from `base` where it can). */
  evaluateOne(deployment: Deployment, hours: readonly Hour[], base?: Deployment): DeploymentMetrics[] {
    const slots = slotsOf(hours);
    if (this.block.carbon.length < hours.length * this.settings.runs) this.block = allocateSamples(this.settings.runs, hours.length);
    const block = this.block;
    simulateBatches(this.simulator, deployment, slots, this.settings, 0, batchCount(this.settings), block, 0, base);
    this.simulations++;
    return metricsFromSamples(block, hours.length, this.scratch);
  }
}

/** Builds an in-thread evaluator from a solver input (the port's factory shape). */
export function createInThreadEvaluator(setup: {
  input: SolverInput;
  model?: ModelOptions;
  seed: number;
  monteCarlo?: MonteCarloSettings;
}): Promise<InThreadEvaluator> {
  try {
    const model = new WorkflowModel(setup.input, setup.model ?? {});
    return Promise.resolve(new InThreadEvaluator(compileModel(model), setup.seed, setup.monteCarlo ?? REFERENCE_MONTE_CARLO));
  } catch (error) {
    return Promise.reject(error);
  }
}
