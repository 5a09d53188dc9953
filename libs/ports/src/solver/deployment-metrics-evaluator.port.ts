import type { ModelOptions, SolverInput } from '@caribou/domain-model';
import type { DeploymentEvaluator, MonteCarloSettings } from '@caribou/domain-solver';

/**
 * Monte-Carlo metrics of deployments (reference-solver.md §4), in this thread or spread over
 * worker threads. Same setup (input, options, seed) → the same numbers whatever `threads` is.
 */
export interface DeploymentMetricsEvaluator extends DeploymentEvaluator {
  /** How many threads simulate (1 = the calling thread). */
  readonly threads: number;
  /** Monte-Carlo evaluations run so far. */
  readonly simulations: number;
  /** Releases worker threads; idempotent. */
  close(): Promise<void>;
}

/** What an evaluator is built for: one workflow's solver input and one seed. */
export interface EvaluatorSetup {
  input: SolverInput;
  model?: ModelOptions;
  seed: number;
  /** Defaults to the reference's 2000 runs in batches of 200. */
  monteCarlo?: MonteCarloSettings;
}

/** Builds evaluators; the worker-pool adapter and the in-thread evaluator both provide one. */
export interface DeploymentMetricsEvaluatorFactory {
  create(setup: EvaluatorSetup): Promise<DeploymentMetricsEvaluator>;
}
