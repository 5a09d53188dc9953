import { CaribouError, formatTime, parseDay, parseTime } from '@caribou/domain-common';
import { ResolvePolicyConstants as C, type SolveTier } from './constants';

const DAY_MS = 86_400_000;

/** The stored `deployment_manager_workflow_info_table` row. */
export interface WorkflowSolveInfo {
  last_solved?: string;
  tokens_left?: number;
  next_check: string;
}

/** `σ₂(x) = 3/(1 + e^(−0.02x)) − 1`, in (−1, 2): 0.5 at x = 0, → 2 when rich. */
export function sigmoidScale(x: number): number {
  return 3 / (1 + Math.exp(-0.02 * x)) - 1;
}

/** Seconds until the next check (and until a plan expires): whole seconds of 86400·σ₂(tokens). */
export function cooldownSeconds(tokens: number): number {
  return Math.trunc(C.monitorCooldownSeconds * sigmoidScale(tokens));
}

/** Whether a check is due: no info yet, or its `next_check` has passed. */
export function isCheckDue(info: WorkflowSolveInfo | undefined, nowMs: number): boolean {
  return !info || nowMs >= parseTime(info.next_check);
}

/** Start of the invocation window: the last solve, else 30 days ago. */
export function lastSolvedMs(info: WorkflowSolveInfo | undefined, nowMs: number): number {
  return info?.last_solved ? parseTime(info.last_solved) : nowMs - C.forgettingTimeDays * DAY_MS;
}

/** Invocations on days (midnight UTC) strictly after `sinceMs` (`daily_invocation_counts`). */
export function invocationsSince(dailyCounts: ReadonlyMap<string, number>, sinceMs: number): number {
  let total = 0;
  for (const [day, count] of dailyCounts) if (parseDay(day) > sinceMs) total += count;
  return total;
}

/** What the policy needs from a carbon row: its daily average and its distances (km) to regions. */
export interface CarbonRowView {
  overallIntensity: number | undefined;
  distancesKm: ReadonlyMap<string, number>;
}

/**
 * Carbon-saving potential per invocation-second (paper §5.2): the population standard deviation
 * of the daily-average grid intensity over regions within 4000 km of home (home included),
 * leaving out regions at the 410 default (missing data), times 0.001. No such region → 0.
 */
export function savingsPerInvocationSecond(home: CarbonRowView, carbonRowOf: (region: string) => CarbonRowView | undefined): number {
  const intensities: number[] = [];
  for (const [region, km] of home.distancesKm) {
    if (km > C.distanceForPotentialMigrationKm) continue;
    const intensity = carbonRowOf(region)?.overallIntensity ?? C.defaultCarbonIntensity;
    if (intensity === C.defaultCarbonIntensity) continue;
    intensities.push(intensity);
  }
  if (intensities.length === 0) return 0;
  const mean = intensities.reduce((s, x) => s + x, 0) / intensities.length;
  const variance = intensities.reduce((s, x) => s + (x - mean) ** 2, 0) / intensities.length;
  return Math.sqrt(variance) * C.carbonIntensityToInvocationSecondEstimate;
}

/** Token income: ⌈savings per invocation-second × mean runtime × invocations⌉ (0 without samples). */
export function tokenIncome(savingsPerSecond: number, runtimeSamples: readonly number[], invocations: number): number {
  if (runtimeSamples.length === 0) return 0;
  const meanRuntime = runtimeSamples.reduce((s, x) => s + x, 0) / runtimeSamples.length;
  return Math.ceil(savingsPerSecond * meanRuntime * invocations);
}

/** Price of `solves` hourly solves of a tier: ⌊N·s·α·CI(system) + N·0.0001⌋ (int() truncation). */
export function solvePrice(instances: number, solves: number, tier: SolveTier, systemIntensity: number): number {
  return Math.trunc(
    instances * solves * C.perInstanceSolveEstimate[tier] * systemIntensity + instances * C.migrationCostPerInstance,
  );
}

export interface AffordablePlan {
  solves: number;
  tier: SolveTier;
  price: number;
  leftover: number;
}

/**
 * Walks coarse then stochastic × 1, 2, 3, 4, 6, 8, 12, 24 solves and keeps the last combination
 * cheaper than the budget, stopping at the first one that is not; null when even one coarse
 * solve is unaffordable. (The tier only prices the plan: the workflow's configured algorithm
 * runs, as in the reference.)
 */
export function affordablePlan(instances: number, budget: number, systemIntensity: number): AffordablePlan | null {
  let best: AffordablePlan | null = null;
  for (const tier of ['coarse', 'stochastic'] as const) {
    for (const solves of C.numberOfSolves) {
      const price = solvePrice(instances, solves, tier, systemIntensity);
      if (!(price < budget)) return best;
      best = { solves, tier, price, leftover: budget - price };
    }
  }
  return best;
}

/** Hours to plan for: `range(0, 24, 24 // solves)` (4 → 0, 6, 12, 18). */
export function solveHours(solves: number): number[] {
  if (!Number.isInteger(solves) || solves < 1 || solves > 24)
    throw new CaribouError(`number of solves must be an integer 1–24, got ${solves}`);
  const step = Math.floor(24 / solves);
  const hours: number[] = [];
  for (let h = 0; h < 24; h += step) hours.push(h);
  return hours;
}

export interface ResolveInputs {
  nowMs: number;
  info: WorkflowSolveInfo | undefined;
  dailyInvocationCounts: ReadonlyMap<string, number>;
  runtimeSamples: readonly number[];
  instanceCount: number;
  home: CarbonRowView;
  carbonRowOf: (region: string) => CarbonRowView | undefined;
  /** Daily-average intensity of the system region (prices a solve). */
  systemIntensity: number | undefined;
  /**
   * Reproduce the reference's overwrite: an unaffordable check stores only `next_check`,
   * dropping `last_solved` and `tokens_left` (§12.1 #10). Off: they are kept.
   */
  referenceQuirks?: boolean;
}

interface Tokens {
  invocations: number;
  savingsPerInvocationSecond: number;
  income: number;
  carriedOver: number;
  budget: number;
}

export type ResolveDecision =
  | ({ kind: 'too-few-invocations'; minimum: number } & Pick<Tokens, 'invocations'>)
  | ({ kind: 'unaffordable'; cheapestPrice: number; nextCheckMs: number; info: WorkflowSolveInfo } & Tokens)
  | ({
      kind: 'solve';
      plan: AffordablePlan;
      hours: number[];
      expiryDeltaSeconds: number;
      expiresAtMs: number;
      /** The info row to store once the solve has succeeded. */
      info: WorkflowSolveInfo;
    } & Tokens);

/**
 * The deployment manager's decision for one workflow whose check is due (§9 steps 3–9): count
 * invocations since the last solve, earn tokens, price the affordable plan, and say what to
 * store. Pure: the caller supplies `now`, the stored info and the rows.
 */
export function decideResolve(inputs: ResolveInputs): ResolveDecision {
  const { nowMs, info } = inputs;
  const invocations = invocationsSince(inputs.dailyInvocationCounts, lastSolvedMs(info, nowMs));
  if (!info && invocations < C.minimalSolveThreshold)
    return { kind: 'too-few-invocations', invocations, minimum: C.minimalSolveThreshold };
  if (inputs.systemIntensity === undefined)
    throw new CaribouError('carbon_region_table has no row for the system region; run caribou data_collect all first');
  const savings = savingsPerInvocationSecond(inputs.home, inputs.carbonRowOf);
  const income = tokenIncome(savings, inputs.runtimeSamples, invocations);
  const carriedOver = info?.tokens_left ?? 0;
  const tokens: Tokens = { invocations, savingsPerInvocationSecond: savings, income, carriedOver, budget: income + carriedOver };
  const plan = affordablePlan(inputs.instanceCount, tokens.budget, inputs.systemIntensity);
  if (!plan) {
    const cheapestPrice = solvePrice(inputs.instanceCount, 1, 'coarse', inputs.systemIntensity);
    const nextCheckMs = nowMs + cooldownSeconds(cheapestPrice - tokens.budget) * 1000;
    const kept = inputs.referenceQuirks || !info ? {} : { ...(info.last_solved ? { last_solved: info.last_solved } : {}), ...(info.tokens_left !== undefined ? { tokens_left: info.tokens_left } : {}) };
    return { kind: 'unaffordable', ...tokens, cheapestPrice, nextCheckMs, info: { ...kept, next_check: formatTime(nextCheckMs) } };
  }
  const expiryDeltaSeconds = cooldownSeconds(plan.leftover);
  const expiresAtMs = nowMs + expiryDeltaSeconds * 1000;
  return {
    kind: 'solve',
    ...tokens,
    plan,
    hours: solveHours(plan.solves),
    expiryDeltaSeconds,
    expiresAtMs,
    info: { last_solved: formatTime(nowMs), tokens_left: plan.leftover, next_check: formatTime(expiresAtMs) },
  };
}
