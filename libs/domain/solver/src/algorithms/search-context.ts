import type { WorkflowModel } from '@caribou/domain-model';
import type { DeploymentMetrics } from '@caribou/domain-workflow';
import { violatesHardConstraints } from '../constraints';
import type { Deployment, DeploymentEvaluator, Hour } from '../evaluator';
import type { Candidate } from '../ranker';

export function deploymentKey(deployment: Deployment): string {
  return deployment.join(',');
}

/**
 * Metrics of deployments at the hours being solved, memoised. A deployment's metrics at an hour
 * depend only on (seed, deployment, hour) — every evaluation uses the same draws — so remembering
 * them changes no result. A simulation prices only the hours asked for (pricing and tails are a
 * large share of an evaluation when 24 hours are solved); a later request for another hour of
 * the same deployment simulates it again.
 */
export class MetricsCache {
  /** Monte-Carlo evaluations run (each `runs` simulated runs). */
  simulations = 0;
  private readonly known = new Map<string, Array<DeploymentMetrics | undefined>>();

  constructor(
    readonly evaluator: DeploymentEvaluator,
    readonly hours: readonly Hour[],
  ) {}

  /**
   * Metrics of each deployment at every solve hour; `bases[i]` is a deployment evaluated before
   * that `deployments[i]` is a neighbour of (see `EvaluationRequest.base`).
   */
  async metrics(deployments: readonly Deployment[], bases?: ReadonlyArray<Deployment | undefined>): Promise<DeploymentMetrics[][]> {
    const all = this.hours.map((_, h) => h);
    const flat = await this.metricsAt(deployments.flatMap((deployment, i) => all.map((hour) => ({ deployment, hour, base: bases?.[i] }))));
    return deployments.map((_, i) => flat.slice(i * all.length, (i + 1) * all.length));
  }

  /** Metrics of (deployment, solve-hour index) pairs; missing ones are evaluated in one call. */
  async metricsAt(pairs: ReadonlyArray<{ deployment: Deployment; hour: number; base?: Deployment | undefined }>): Promise<DeploymentMetrics[]> {
    const missing = new Map<string, { deployment: Deployment; hours: number[]; base?: Deployment | undefined }>();
    for (const { deployment, hour, base } of pairs) {
      const key = deploymentKey(deployment);
      if (this.known.get(key)?.[hour]) continue;
      const entry = missing.get(key) ?? { deployment, hours: [], base };
      if (!entry.hours.includes(hour)) entry.hours.push(hour);
      missing.set(key, entry);
    }
    if (missing.size > 0) {
      const requests = [...missing.values()].map(({ deployment, hours, base }) => ({
        deployment,
        hours: hours.sort((a, b) => a - b).map((h) => this.hours[h]!),
        ...(base ? { base } : {}),
      }));
      const fresh = await this.evaluator.evaluate(requests);
      [...missing.entries()].forEach(([key, { hours }], i) => {
        const row = this.known.get(key) ?? new Array<DeploymentMetrics | undefined>(this.hours.length);
        hours.forEach((h, j) => (row[h] = fresh[i]![j]));
        this.known.set(key, row);
      });
      this.simulations += missing.size;
    }
    return pairs.map(({ deployment, hour }) => this.known.get(deploymentKey(deployment))![hour]!);
  }

  /** Cost and runtime metrics of deployments simulated without carbon (they do not depend on the hour). */
  private readonly costAndRuntime = new Map<string, DeploymentMetrics>();

  /**
   * Cost and runtime metrics (carbon fields NaN) of deployments, enough to check hard
   * constraints on cost and runtime: a deployment known at any hour answers for every hour, the
   * others are simulated without carbon accounting, in one call.
   */
  async costAndRuntimeOf(pairs: ReadonlyArray<{ deployment: Deployment; base?: Deployment | undefined }>): Promise<DeploymentMetrics[]> {
    const lookUp = (key: string): DeploymentMetrics | undefined => {
      const known = this.known.get(key)?.find((m) => m !== undefined);
      return known ? { ...known, average_carbon: NaN, tail_carbon: NaN } : this.costAndRuntime.get(key);
    };
    const missing = new Map<string, { deployment: Deployment; hours: Hour[]; base?: Deployment }>();
    for (const { deployment, base } of pairs) {
      const key = deploymentKey(deployment);
      if (!missing.has(key) && !lookUp(key)) missing.set(key, { deployment, hours: [], ...(base ? { base } : {}) });
    }
    if (missing.size > 0) {
      const fresh = await this.evaluator.evaluate([...missing.values()]);
      [...missing.keys()].forEach((key, i) => this.costAndRuntime.set(key, fresh[i]![0]!));
      this.simulations += missing.size;
    }
    return pairs.map(({ deployment }) => lookUp(deploymentKey(deployment))!);
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
  /** The solve's clock (ms) and when the solve started. */
  now(): number;
  startedAt: number;
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
