import type { DeploymentMetrics } from '@caribou/domain-workflow';
import type { UniformSource } from '../random';
import { primaryObjective, type Candidate } from '../ranker';
import { searchSpaceSize } from './fine';
import { deploymentKey, passesHard, uniformDeployments, type HourCandidates, type SearchContext } from './search-context';

function hasHardConstraints(model: SearchContext['model']): boolean {
  const hard = model.constraints.hard_resource_constraints;
  return !!hard && Object.values(hard).some((constraint) => !!constraint);
}

/** §6.4 parameters, derived from the instance count N and workflow-permitted region count R. */
export interface StochasticParameters {
  /** Positions re-drawn per step: int(0.2·N + 1). */
  learningRate: number;
  /** 3·R·N. */
  iterations: number;
  initialTemperature: number;
  cooling: number;
  biasProbability: number;
}

export function stochasticParameters(instances: number, regions: number): StochasticParameters {
  return {
    learningRate: Math.trunc(0.2 * instances + 1),
    iterations: 3 * regions * instances,
    initialTemperature: 1.0,
    cooling: 0.99,
    biasProbability: 0.2,
  };
}

/** What a budgeted search may spend (see `SolveOptions.searchBudget`). */
export type SearchBudget = { evaluations: number } | { seconds: number };

/** Share of the iterations run at the reference's pace before a budgeted search plans the rest. */
const PILOT_SHARE = 0.02;
/**
 * A budgeted search re-plans after each tenth of the iterations it planned, at the pace of the
 * iterations since the last plan: early iterations cost more than later ones (fewer kept timings
 * to start from, fewer proposals screened), so a plan made once, at the pilot's pace, left most
 * of a time budget unspent.
 */
const REPLAN_SHARE = 0.1;

/** Temperature and biased regions; shared by all hours of a solve under `referenceQuirks`. */
export interface Annealing {
  temperature: number;
  bias: Set<number>;
}

export interface StochasticReport {
  parameters: StochasticParameters;
  /** Iterations run (the reference's 3·R·N, fewer when a budget fitted the search or time ran out). */
  iterations: number;
  /** Proposals rejected on their carbon bounds without a Monte-Carlo evaluation (see `CarbonMeanScreen`). */
  screened: number;
  /**
   * Of those, simulated later to check their hard constraints: a later decision depended on
   * whether they had cooled the search. The others' coolings stay unresolved.
   */
  resolved: number;
  /** Cooling per evaluated candidate at the last plan of a budgeted search (the reference's otherwise). */
  cooling: number;
  /**
   * Per solve hour: final temperature — counting the coolings of screened proposals whose hard
   * constraints were never checked (`unresolvedCoolings`) as not having happened, so the highest
   * it can be — and biased regions.
   */
  finalTemperature: number[];
  unresolvedCoolings: number[];
  biasRegions: number[][];
}

/** The search of one hour (§6.4 steps 1–4) as a state machine, so hours can run in lockstep. */
class HourSearch {
  readonly candidates: Candidate[] = [];
  readonly seen = new Set<string>();
  /** Temperature factor per evaluated candidate (a budgeted search cools faster). */
  cooling: number;
  private current: number[];
  private currentValue: number;
  private bestValue: number;
  private readonly homeValue: number;

  constructor(
    private readonly ctx: SearchContext,
    private readonly hourIndex: number,
    readonly annealing: Annealing,
    private readonly parameters: StochasticParameters,
    private readonly objective: string,
    private readonly quirks: boolean,
  ) {
    this.cooling = parameters.cooling;
    const home = ctx.homeMetrics[hourIndex]!;
    this.current = ctx.home.slice();
    this.homeValue = home[objective]!;
    this.currentValue = this.homeValue;
    this.bestValue = this.homeValue;
  }

  /** Step 2: the coarse phase's survivors seed the candidates, the best value and the bias set. */
  seed(uniform: ReadonlyArray<{ deployment: number[]; metrics: DeploymentMetrics[] }>): void {
    const homeRegion = this.ctx.model.homeRegion;
    for (const { deployment, metrics } of uniform) {
      const m = metrics[this.hourIndex]!;
      if (!passesHard(this.ctx, m, this.hourIndex)) continue;
      this.candidates.push({ deployment, metrics: m });
      if (m[this.objective]! < this.bestValue) {
        this.bestValue = m[this.objective]!;
        for (const region of deployment) if (region !== homeRegion) this.annealing.bias.add(region);
      }
    }
    if (this.candidates.length === 0) this.candidates.push({ deployment: this.ctx.home, metrics: this.ctx.homeMetrics[this.hourIndex]! });
    for (const c of this.candidates) this.seen.add(deploymentKey(c.deployment));
  }

  /** The deployment the search stands on (proposals are its neighbours). */
  get currentDeployment(): readonly number[] {
    return this.current;
  }

  exhausted(maxCombinations: number): boolean {
    return this.seen.size >= maxCombinations;
  }

  /**
   * A neighbour of the current deployment: `learningRate` positions (with replacement), each
   * re-drawn from the biased regions (probability 0.2, when any) or from all its permitted
   * regions. Draw order: the positions, then per position (bias coin, choice). Null when the
   * neighbour was seen before (the iteration is spent anyway).
   */
  propose(draw: () => number): number[] | null {
    const allowed = this.ctx.model.permittedRegions;
    const N = allowed.length;
    const positions: number[] = [];
    for (let j = 0; j < this.parameters.learningRate; j++) positions.push(Math.floor(draw() * N));
    const next = this.current.slice();
    const bias = this.annealing.bias;
    for (const position of positions) {
      const permitted = allowed[position]!;
      const coin = draw();
      const pick = draw();
      let pool = permitted;
      if (coin < this.parameters.biasProbability && bias.size > 0) {
        const biased = permitted.filter((r) => bias.has(r));
        if (biased.length > 0) pool = biased;
      }
      next[position] = pool[Math.floor(pick * pool.length)]!;
    }
    const key = deploymentKey(next);
    if (this.seen.has(key)) return null;
    this.seen.add(key);
    return next;
  }

  /** Step 3 after an evaluation: constraint check, improvement or annealing acceptance, cooling. */
  consider(deployment: number[], metrics: DeploymentMetrics, acceptanceDraw: () => number): void {
    if (!passesHard(this.ctx, metrics, this.hourIndex)) return;
    const value = metrics[this.objective]!;
    let accepted: boolean;
    if (value < this.bestValue) {
      this.bestValue = value;
      for (let i = 0; i < deployment.length; i++)
        if (deployment[i] !== this.current[i]) this.annealing.bias.add(deployment[i]!);
      accepted = true;
    } else {
      accepted = acceptanceDraw() < this.acceptanceProbability(value);
    }
    if (accepted) {
      this.current = deployment;
      this.currentValue = value;
      this.candidates.push({ deployment, metrics });
    }
    this.annealing.temperature *= this.cooling;
    if (this.unresolved.length > 0) this.lowestTemperature *= this.cooling;
  }

  /**
   * Proposals rejected on their carbon bounds whose hard constraints were not checked: each
   * cools the search if it passes them (see `deferRejected`). Resolved, in order, when a
   * decision depends on the exact temperature.
   */
  private unresolved: Array<{ deployment: number[]; base: readonly number[] }> = [];
  /** The temperature if every unresolved proposal passes its hard constraints (the lowest possible). */
  private lowestTemperature = NaN;

  get unresolvedCoolings(): number {
    return this.unresolved.length;
  }

  /**
   * Whether `consider` would reject a proposal whose objective value lies in [low, high] with
   * acceptance draw `u`, whatever the value and whatever the unresolved coolings did: not an
   * improvement for any value in the interval, and `u` at or above the acceptance probability
   * of its best value at the highest possible temperature (with a margin for the rounding of
   * the probability, which rises with the temperature).
   */
  rejectsAnyValueIn(low: number, high: number, u: number): boolean {
    if (!(low <= high) || low < this.bestValue) return false;
    if (this.unresolved.length > 0 && this.lowestTemperature === 0) return false;
    return u >= this.acceptanceProbability(low) * (1 + 1e-12);
  }

  /**
   * What `consider` does to a proposal `rejectsAnyValueIn` showed it rejects: it cools, when the
   * proposal passes the hard constraints — known without simulating when there are none
   * (`hardConstraints` false); otherwise the cooling waits in `unresolved`.
   */
  deferRejected(deployment: number[], hardConstraints: boolean): void {
    if (!hardConstraints) {
      this.annealing.temperature *= this.cooling;
      return;
    }
    if (this.unresolved.length === 0) this.lowestTemperature = this.annealing.temperature;
    this.unresolved.push({ deployment, base: this.current });
    this.lowestTemperature *= this.cooling;
  }

  /** The unresolved proposals, to simulate (each with the deployment it was proposed from). */
  get unresolvedProposals(): ReadonlyArray<{ deployment: number[]; base: readonly number[] }> {
    return this.unresolved;
  }

  /**
   * Metrics of the first `metrics.length` unresolved proposals: those passing the hard
   * constraints cool the search (one factor: which coolings come first does not matter).
   */
  resolve(metrics: readonly DeploymentMetrics[]): void {
    for (const m of metrics) if (passesHard(this.ctx, m, this.hourIndex)) this.annealing.temperature *= this.cooling;
    this.unresolved = this.unresolved.slice(metrics.length);
    this.lowestTemperature = this.annealing.temperature;
    for (let i = 0; i < this.unresolved.length; i++) this.lowestTemperature *= this.cooling;
  }

  /**
   * Whether `consider`'s decision on a simulated proposal depends on the unresolved coolings:
   * it passes the hard constraints, is no improvement, and the acceptance draw lies between its
   * acceptance probabilities at the lowest and the highest possible temperature.
   */
  needsExactTemperature(metrics: DeploymentMetrics, u: number): boolean {
    if (this.unresolved.length === 0 || !passesHard(this.ctx, metrics, this.hourIndex)) return false;
    const value = metrics[this.objective]!;
    if (value < this.bestValue) return false;
    const highest = this.acceptanceProbability(value);
    const lowest = this.lowestTemperature === 0 ? 1 : this.acceptanceProbabilityAt(value, this.lowestTemperature);
    return !(u >= highest * (1 + 1e-12)) && !(u < lowest * (1 - 1e-12));
  }

  /**
   * Intended rule: Metropolis acceptance of the relative worsening over the current deployment,
   * 2^(−Δ/T) with Δ = (f(new) − f(current)) / |f(home)| (scale-free; downhill moves always pass).
   * Under `referenceQuirks`: the reference's 2^(−|f(home) − T| / T), which compares the home
   * objective with the temperature (§12.1 #6).
   */
  private acceptanceProbability(value: number): number {
    return this.acceptanceProbabilityAt(value, this.annealing.temperature);
  }

  private acceptanceProbabilityAt(value: number, t: number): number {
    if (t === 0) return 1;
    if (this.quirks) return Math.min(1, 2 ** (-Math.abs(this.homeValue - t) / t));
    const scale = Math.abs(this.homeValue) || 1;
    const worsening = (value - this.currentValue) / scale;
    return worsening <= 0 ? 1 : 2 ** (-worsening / t);
  }
}

/**
 * Stochastic heuristic (§6.4). By default every hour starts from T = 1 with an empty bias set
 * and all hours advance in lockstep on one shared draw sequence: each iteration draws
 * 3·learningRate + 1 numbers, every hour proposes its neighbour from them, and the distinct new
 * deployments are evaluated together (one simulation prices every hour that proposed it). Hours
 * whose searches coincide share evaluations; an hour's result does not depend on which other
 * hours are solved.
 * Under `referenceQuirks` hours run one after another and carry temperature and bias over,
 * drawing in the reference's order (acceptance drawn only when needed).
 */
export async function stochasticHeuristic(
  ctx: SearchContext,
  rng: UniformSource,
  budget?: SearchBudget,
): Promise<{ candidates: HourCandidates; report: StochasticReport }> {
  const model = ctx.model;
  const quirks = model.referenceQuirks;
  const parameters = stochasticParameters(model.instanceCount, model.permittedRegionCount);
  const objective = primaryObjective(model.priorityOrder);
  const maxCombinations = searchSpaceSize(model.permittedRegions);
  const hours = ctx.cache.hours;
  const homeKey = deploymentKey(ctx.home);
  const uniforms = uniformDeployments(model);
  const uniformMetrics = ctx.overBudget() ? [] : await ctx.cache.metrics(uniforms);
  const evaluatedUniforms = uniformMetrics.map((metrics, i) => ({ deployment: uniforms[i]!, metrics }));
  const coarseEvaluations = evaluatedUniforms.filter((u) => deploymentKey(u.deployment) !== homeKey).length;
  const shared: Annealing = { temperature: parameters.initialTemperature, bias: new Set() };
  const searches: HourSearch[] = [];
  let iterationsRun = 0;
  let screened = 0;
  let resolved = 0;
  let cooling = parameters.cooling;

  if (quirks) {
    for (let h = 0; h < hours.length; h++) {
      const search = new HourSearch(ctx, h, shared, parameters, objective, true);
      searches.push(search);
      search.seed(evaluatedUniforms);
      ctx.evaluations += coarseEvaluations;
      const draw = (): number => rng.next();
      for (let i = 0; i < parameters.iterations; i++) {
        if (search.exhausted(maxCombinations) || ctx.overBudget()) break;
        iterationsRun = Math.max(iterationsRun, i + 1);
        const current = search.currentDeployment;
        const proposal = search.propose(draw);
        if (!proposal) continue;
        const [metrics] = await ctx.cache.metricsAt([{ deployment: proposal, hour: h, base: current }]);
        ctx.evaluations++;
        search.consider(proposal, metrics!, draw);
      }
    }
  } else {
    for (let h = 0; h < hours.length; h++) {
      const annealing = { temperature: parameters.initialTemperature, bias: new Set<number>() };
      const search = new HourSearch(ctx, h, annealing, parameters, objective, false);
      search.seed(evaluatedUniforms);
      ctx.evaluations += coarseEvaluations;
      searches.push(search);
    }
    // Screening (see `CarbonMeanScreen`): when the objective is average carbon and no hard
    // constraint can fail, a proposal's carbon bounds alone may show it would be rejected.
    const screen = objective === 'average_carbon' && ctx.cache.evaluator.averageCarbonBounds ? ctx.cache.evaluator : null;
    const hardConstraints = hasHardConstraints(model);
    const carbonConstrained = !!model.constraints.hard_resource_constraints?.carbon;
    const screenRejects = (deployment: number[], hour: number, u: number): boolean => {
      const search = searches[hour]!;
      const bounds = screen!.averageCarbonBounds!(deployment, hours[hour]!);
      if (!bounds || !search.rejectsAnyValueIn(bounds[0], bounds[1], u)) return false;
      search.deferRejected(deployment, hardConstraints);
      return true;
    };
    // Simulates the first `share` of the unresolved proposals of the given hours (at least one
    // each, all when `share` is 1) and applies their coolings.
    const resolveCoolings = async (hourIndices: readonly number[], share = 1): Promise<void> => {
      const counts = hourIndices.map((hour) => {
        const left = searches[hour]!.unresolvedCoolings;
        return Math.min(left, Math.max(1, Math.ceil(left * share)));
      });
      const pairs = hourIndices.flatMap((hour, i) =>
        searches[hour]!.unresolvedProposals.slice(0, counts[i]).map(({ deployment, base }) => ({ deployment, hour, base })),
      );
      if (pairs.length === 0) return;
      // Without a carbon constraint, cost and runtime decide: simulated without carbon, cheaper.
      const metrics = carbonConstrained ? await ctx.cache.metricsAt(pairs) : await ctx.cache.costAndRuntimeOf(pairs);
      resolved += pairs.length;
      let at = 0;
      hourIndices.forEach((hour, i) => {
        searches[hour]!.resolve(metrics.slice(at, at + counts[i]!));
        at += counts[i]!;
      });
    };
    const drawsPerIteration = 3 * parameters.learningRate + 1;
    const draws = new Float64Array(drawsPerIteration);
    let planned = parameters.iterations;
    const pilot = budget ? Math.max(1, Math.ceil(PILOT_SHARE * parameters.iterations)) : planned;
    // Where the budget stood at the last plan (the pilot's start, then each re-plan): the pace
    // of the iterations since then plans the rest. The pilot's pace is its own: the home and
    // uniform deployments evaluated before it are spent time, not a cost of the iterations.
    let plannedAt = { iteration: 0, simulations: ctx.cache.simulations, ms: ctx.now() };
    const spentBefore = plannedAt.simulations;
    /** Iterations of the reference's schedule the cooling has covered by the last plan, and per iteration since. */
    let scheduleDone = 0;
    let schedulePerIteration = 1;
    let nextPlan = pilot;
    for (let i = 0; i < planned && !ctx.overBudget(); i++) {
      if (budget && i === nextPlan) {
        // Coolings are applied in order with one factor: resolve them before it may change (and
        // before counting what was spent, so that a screened search counts what an unscreened one does).
        await resolveCoolings(searches.map((_, hour) => hour));
        const since = i - plannedAt.iteration;
        scheduleDone += since * schedulePerIteration;
        const scheduleLeft = Math.max(0, parameters.iterations - scheduleDone);
        const perIteration =
          'evaluations' in budget ? (ctx.cache.simulations - plannedAt.simulations) / since : (ctx.now() - plannedAt.ms) / 1000 / since;
        const left = 'evaluations' in budget ? budget.evaluations - (ctx.cache.simulations - spentBefore) : budget.seconds - (ctx.now() - ctx.startedAt) / 1000;
        // As many iterations as the budget allows at that pace, at most the schedule's rest at one per iteration.
        const affordable = Math.max(0, Math.floor(left / Math.max(perIteration, Number.MIN_VALUE)));
        planned = i + Math.min(Math.ceil(scheduleLeft), affordable);
        const perIterationNext = planned > i ? scheduleLeft / (planned - i) : 1;
        if (perIterationNext !== schedulePerIteration) {
          schedulePerIteration = perIterationNext;
          cooling = parameters.cooling ** schedulePerIteration;
          for (const search of searches) search.cooling = cooling;
        }
        plannedAt = { iteration: i, simulations: ctx.cache.simulations, ms: ctx.now() };
        // Once the budget covers the rest of the schedule (iterations get cheaper as the search
        // goes), the search runs it as the full search does: no more plans, no more resolving.
        nextPlan = affordable >= Math.ceil(scheduleLeft) ? Infinity : i + Math.max(1, Math.ceil(REPLAN_SHARE * (planned - i)));
        if (i >= planned) break;
      }
      iterationsRun = i + 1;
      for (let j = 0; j < drawsPerIteration; j++) draws[j] = rng.next();
      const proposals = searches.map((search) => {
        if (search.exhausted(maxCombinations)) return null;
        let next = 0;
        return search.propose(() => draws[next++]!);
      });
      // Each proposal is a neighbour of its hour's current deployment: evaluated from its timing.
      const pending = proposals.flatMap((deployment, hour) => (deployment ? [{ deployment, hour, base: searches[hour]!.currentDeployment }] : []));
      if (pending.length === 0) {
        if (searches.every((s) => s.exhausted(maxCombinations))) break;
        continue;
      }
      const u = draws[drawsPerIteration - 1]!;
      const acceptance = (): number => u;
      // Proposals rejected whatever their exact average carbon need no simulation (same search).
      const simulate = screen ? pending.filter(({ deployment, hour }) => !screenRejects(deployment, hour, u)) : pending;
      const metrics = await ctx.cache.metricsAt(simulate);
      ctx.evaluations += pending.length;
      screened += pending.length - simulate.length;
      // A decision that depends on coolings not yet resolved waits for enough of them, resolved a
      // sixteenth at a time (30 x 20, 3 hours: 2,494 simulations; a quarter: 2,661; all: 3,744).
      for (;;) {
        const exact = simulate.flatMap(({ hour }, k) => (searches[hour]!.needsExactTemperature(metrics[k]!, u) ? [hour] : []));
        if (exact.length === 0) break;
        await resolveCoolings(exact, 1 / 16);
      }
      simulate.forEach(({ deployment, hour }, k) => searches[hour]!.consider(deployment, metrics[k]!, acceptance));
    }
  }
  return {
    candidates: searches.map((s) => s.candidates),
    report: {
      parameters,
      iterations: iterationsRun,
      screened,
      resolved,
      cooling,
      finalTemperature: searches.map((s) => s.annealing.temperature),
      unresolvedCoolings: searches.map((s) => s.unresolvedCoolings),
      biasRegions: searches.map((s) => [...s.annealing.bias].sort((a, b) => a - b)),
    },
  };
}
