import type { WorkflowModel } from '@caribou/domain-model';
import type { DeploymentMetrics } from '@caribou/domain-workflow';
import { violatesHardConstraints } from '../constraints';
import type { Deployment, DeploymentEvaluator, Hour } from '../evaluator';
import type { Candidate } from '../ranker';

export function deploymentKey(deployment: Deployment): string {
  return deployment.join(',');
}

/**
 * Metrics of deployments for every hour being solved, memoised. A deployment's metrics at an
 * hour depend only on (seed, deployment, hour) — the Monte-Carlo streams are fixed per batch —
 * so remembering them changes no result, and one simulation serves all hours (only the carbon
 * intensities differ between hours).
 */
export class MetricsCache {
  /** Deployments actually simulated (each one Monte-Carlo evaluation). */
  simulations = 0;
  private readonly known = new Map<string, DeploymentMetrics[]>();

  constructor(
    private readonly evaluator: DeploymentEvaluator,
    readonly hours: readonly Hour[],
  ) {}

  async metrics(deployments: readonly Deployment[]): Promise<DeploymentMetrics[][]> {
    const missing = new Map<string, Deployment>();
    for (const d of deployments) {
      const key = deploymentKey(d);
      if (!this.known.has(key) && !missing.has(key)) missing.set(key, d);
    }
    if (missing.size > 0) {
      const fresh = await this.evaluator.evaluate([...missing.values()], this.hours);
      [...missing.keys()].forEach((key, i) => this.known.set(key, fresh[i]!));
      this.simulations += missing.size;
    }
    return deployments.map((d) => this.known.get(deploymentKey(d))!);
  }
}

/** What every algorithm works with. Hour-indexed arrays follow `cache.hours`. */
export interface SearchContext {
  model: WorkflowModel;
  cache: MetricsCache;
  home: number[];
  /** Home metrics per solve hour. */
  homeMetrics: DeploymentMetrics[];
  /** Metric look-ups the algorithm made, hour by hour (what the reference counts as evaluations). */
  evaluations: number;
  /** Wall-clock deadline of the search (ms, Infinity = none). */
  deadline: number;
  /** True once the time budget is spent. */
  overBudget(): boolean;
}

/** Uniform deployments allowed for every instance, in region order (§6.2). */
export function uniformDeployments(model: WorkflowModel): number[][] {
  const result: number[][] = [];
  for (let r = 0; r < model.permittedRegionCount; r++) {
    if (model.permittedRegions.every((allowed) => allowed.includes(r))) result.push(model.instanceNames.map(() => r));
  }
  return result;
}

export function passesHard(ctx: SearchContext, metrics: DeploymentMetrics, hourIndex: number): boolean {
  return !violatesHardConstraints(metrics, ctx.homeMetrics[hourIndex]!, ctx.model.constraints);
}

/** Candidate lists per hour. */
export type HourCandidates = Candidate[][];
