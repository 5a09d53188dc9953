import { CaribouError } from '@caribou/domain-common';
import type { WorkflowModel } from '@caribou/domain-model';
import type { DeploymentMetrics } from '@caribou/domain-workflow';
import { coarseGrained } from './algorithms/coarse';
import { fineGrained } from './algorithms/fine';
import { MetricsCache, type HourCandidates, type SearchContext } from './algorithms/search-context';
import { stochasticHeuristic, type SearchBudget, type StochasticReport } from './algorithms/stochastic';
import { checkHours, type DeploymentEvaluator, type Hour } from './evaluator';
import { timeKeyOf } from './formatter';
import { streamFor, StreamPurpose } from './random';
import { rankCandidates } from './ranker';

export type AlgorithmName = 'coarse' | 'fine' | 'stochastic';

const CONFIG_NAMES: Record<string, AlgorithmName> = {
  coarse_grained_deployment_algorithm: 'coarse',
  fine_grained_deployment_algorithm: 'fine',
  stochastic_heuristic_deployment_algorithm: 'stochastic',
};

/** The workflow config's `deployment_algorithm`; missing or empty means the stochastic heuristic. */
export function algorithmFromConfig(name: string | null | undefined): AlgorithmName {
  if (!name) return 'stochastic';
  const algorithm = CONFIG_NAMES[name];
  if (!algorithm)
    throw new CaribouError(
      `workflow config: deployment_algorithm '${name}' is unknown; use one of ${Object.keys(CONFIG_NAMES).join(', ')}`,
    );
  return algorithm;
}

export interface SolveOptions {
  algorithm: AlgorithmName;
  /** UTC hours to plan; null plans once with the daily average, stored under "0". */
  hours: readonly number[] | null;
  /** Seeds the search draws (the evaluator has its own seed for the Monte-Carlo runs). */
  seed: number;
  /** Total wall-clock budget (the reference uses 800 s inside Lambda, none elsewhere): the search stops when it is spent. */
  timeBudgetSeconds?: number;
  /**
   * Budgeted mode of the stochastic heuristic (not the reference's; its users asked for it in
   * caribou#317): instead of stopping when a budget runs out, the search is fitted to it — after a
   * pilot of 2 % of the iterations it plans as many iterations as the budget allows (at most the
   * reference's 3·R·N) and cools faster in proportion, so every hour gets the whole annealing
   * schedule. `evaluations` counts Monte-Carlo evaluations of the search (deterministic);
   * `seconds` is wall-clock time of the whole solve (depends on the machine).
   */
  searchBudget?: SearchBudget;
  /** Clock for the budget (ms); only read when a budget is set. */
  now?: () => number;
}

export interface HourPlan {
  hour: Hour;
  timeKey: string;
  deployment: number[];
  metrics: DeploymentMetrics;
  homeMetrics: DeploymentMetrics;
  /** Candidates the ranker chose from. */
  candidates: number;
}

export interface SolveResult {
  algorithm: AlgorithmName;
  plans: HourPlan[];
  /** Metric look-ups the algorithm made hour by hour (the reference's count of evaluations). */
  evaluations: number;
  /** Monte-Carlo evaluations actually run (distinct deployments; one serves every hour). */
  simulations: number;
  stochastic?: StochasticReport;
}

/** Solve hours: sorted numerically and de-duplicated (the reference keeps the given order). */
function solveHours(hours: readonly number[] | null, keepOrder: boolean): Hour[] {
  if (hours === null) return [null];
  if (hours.length === 0) throw new CaribouError('hours: give at least one UTC hour 0–23, or null for the daily average');
  checkHours(hours);
  return keepOrder ? [...new Set(hours)] : [...new Set(hours)].sort((a, b) => a - b);
}

function checkSearchBudget(budget: SearchBudget, algorithm: AlgorithmName, quirks: boolean): void {
  const fix = 'give searchBudget as { evaluations: N } or { seconds: S } with a positive number';
  if (algorithm !== 'stochastic') throw new CaribouError(`searchBudget applies to the stochastic algorithm, not ${algorithm}`);
  if (quirks) throw new CaribouError('searchBudget is not the reference\'s behaviour; it is not available with referenceQuirks');
  const entries = Object.entries(budget);
  if (entries.length !== 1 || !['evaluations', 'seconds'].includes(entries[0]![0]) || !(typeof entries[0]![1] === 'number' && entries[0]![1] > 0))
    throw new CaribouError(`searchBudget ${JSON.stringify(budget)} is not a budget: ${fix}`);
}

/**
 * The common driver (§6.1): per hour, the home deployment's metrics, the algorithm's candidates,
 * the ranker's first choice. An empty candidate list (an absolute hard constraint that even home
 * violates) falls back to home; under `referenceQuirks` it fails as the reference does (§12.1 #8).
 */
export async function solve(model: WorkflowModel, evaluator: DeploymentEvaluator, options: SolveOptions): Promise<SolveResult> {
  const hours = solveHours(options.hours, model.referenceQuirks);
  const cache = new MetricsCache(evaluator, hours);
  const home = model.instanceNames.map(() => model.homeRegion);
  const now = options.now ?? (() => Date.now());
  const budgetMs = (options.timeBudgetSeconds ?? Infinity) * 1000;
  const startedAt = now();
  const deadline = Number.isFinite(budgetMs) ? startedAt + budgetMs : Infinity;
  if (options.searchBudget) checkSearchBudget(options.searchBudget, options.algorithm, model.referenceQuirks);
  const [homeMetrics] = await cache.metrics([home]);
  const ctx: SearchContext = {
    model,
    cache,
    home,
    homeMetrics: homeMetrics!,
    evaluations: hours.length,
    deadline,
    overBudget: () => Number.isFinite(deadline) && now() > deadline,
    now,
    startedAt,
  };
  let candidates: HourCandidates;
  let stochastic: StochasticReport | undefined;
  switch (options.algorithm) {
    case 'coarse':
      candidates = await coarseGrained(ctx);
      break;
    case 'fine':
      candidates = await fineGrained(ctx);
      break;
    case 'stochastic': {
      const result = await stochasticHeuristic(ctx, streamFor(options.seed, StreamPurpose.search), options.searchBudget);
      candidates = result.candidates;
      stochastic = result.report;
      break;
    }
    default:
      throw new CaribouError(`algorithm '${String(options.algorithm)}' is unknown; use coarse, fine or stochastic`);
  }
  const plans = hours.map((hour, h): HourPlan => {
    const ranked = rankCandidates(candidates[h]!, ctx.homeMetrics[h]!, model.constraints, model.priorityOrder);
    if (ranked.length === 0 && model.referenceQuirks)
      throw new CaribouError('no deployment passes the hard constraints, not even home; the reference solver fails here (§12.1 #8)');
    const chosen = ranked[0] ?? { deployment: home, metrics: ctx.homeMetrics[h]! };
    return {
      hour,
      timeKey: timeKeyOf(hour),
      deployment: [...chosen.deployment],
      metrics: chosen.metrics,
      homeMetrics: ctx.homeMetrics[h]!,
      candidates: ranked.length,
    };
  });
  return {
    algorithm: options.algorithm,
    plans,
    evaluations: ctx.evaluations,
    simulations: cache.simulations,
    ...(stochastic ? { stochastic } : {}),
  };
}
