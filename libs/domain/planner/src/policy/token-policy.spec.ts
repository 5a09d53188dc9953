import { describe, expect, it } from 'vitest';
import { formatTime, parseTime } from '@caribou/domain-common';
import cases from './__fixtures__/token-cases.json';
import {
  affordablePlan,
  cooldownSeconds,
  decideResolve,
  invocationsSince,
  isCheckDue,
  savingsPerInvocationSecond,
  sigmoidScale,
  solveHours,
  solvePrice,
  tokenIncome,
  type CarbonRowView,
  type ResolveInputs,
} from './token-policy';

type Case = (typeof cases)['n3_r5_s1'];

function views(c: Case): { home: CarbonRowView; rowOf: (r: string) => CarbonRowView | undefined; system: number } {
  const table = c.carbon_region_table as Record<string, { averages: { overall: { carbon_intensity: number } }; transmission_distances: Record<string, number> }>;
  const rowOf = (region: string): CarbonRowView | undefined => {
    const row = table[region];
    return row && { overallIntensity: row.averages.overall.carbon_intensity, distancesKm: new Map(Object.entries(row.transmission_distances)) };
  };
  return { home: rowOf(c.home_region)!, rowOf, system: rowOf(c.system_region)!.overallIntensity! };
}

describe('re-solve policy numbers of reference-solver.md §9', () => {
  it('N = 10, 24 stochastic solves at a system intensity of 290 cost 6 tokens (int() truncation)', () => {
    expect(solvePrice(10, 24, 'stochastic', 290)).toBe(6);
    expect(solvePrice(10, 1, 'coarse', 290)).toBe(0);
  });

  it('4 solves plan hours 0, 6, 12, 18; 24 solves every hour; 1 solve hour 0', () => {
    expect(solveHours(4)).toEqual([0, 6, 12, 18]);
    expect(solveHours(24)).toEqual(Array.from({ length: 24 }, (_, h) => h));
    expect(solveHours(1)).toEqual([0]);
    expect(solveHours(8)).toEqual([0, 3, 6, 9, 12, 15, 18, 21]);
    expect(() => solveHours(0)).toThrow(/1–24/);
  });

  it('a plan with no tokens left expires after half a day; a rich one after (almost) two days', () => {
    expect(sigmoidScale(0)).toBe(0.5);
    expect(cooldownSeconds(0)).toBe(43_200);
    expect(cooldownSeconds(10_000)).toBe(172_800);
    expect(cooldownSeconds(-10_000)).toBe(-86_400);
  });

  it('walks coarse then stochastic and keeps the last affordable combination', () => {
    // Stochastic prices at N = 10, CI 290: s = 1..3 → 0, 4 and 6 → 1, 8 → 2, 12 → 3, 24 → 6.
    expect(affordablePlan(10, 2, 290)).toEqual({ solves: 6, tier: 'stochastic', price: 1, leftover: 1 });
    expect(affordablePlan(10, 7, 290)).toEqual({ solves: 24, tier: 'stochastic', price: 6, leftover: 1 });
    expect(affordablePlan(10, 1, 290)).toEqual({ solves: 3, tier: 'stochastic', price: 0, leftover: 1 });
    // A price equal to the budget is not affordable: with no tokens nothing is.
    expect(affordablePlan(10, 0, 290)).toBeNull();
    // Only part of the coarse tier affordable: N = 100 at CI 400 costs int(0.4·s + 0.01).
    expect(affordablePlan(100, 2, 400)).toEqual({ solves: 4, tier: 'coarse', price: 1, leftover: 1 });
  });

  it('counts invocations on days strictly after the last solve', () => {
    const counts = new Map([
      ['2025-01-13+0000', 5],
      ['2025-01-14+0000', 7],
      ['2025-01-15+0000', 11],
    ]);
    expect(invocationsSince(counts, parseTime('2025-01-13 23:59:59,000000+0000'))).toBe(18);
    expect(invocationsSince(counts, parseTime('2025-01-14 00:00:00,000000+0000'))).toBe(11);
    expect(invocationsSince(counts, 0)).toBe(23);
  });
});

describe('token figures of the original deployment manager on the fixture workflows', () => {
  it.each(Object.entries(cases))('%s', (_, c) => {
    const { home, rowOf, system } = views(c);
    const expected = c.expected as Record<string, any>;
    const counts = new Map(Object.entries(c.daily_invocation_counts));
    const now = parseTime('2025-01-16 01:00:00,000000+0000');
    const invocations = invocationsSince(counts, now - 30 * 86_400_000);
    expect(invocations).toBe(expected.invocations_since_last_solved);
    const savings = savingsPerInvocationSecond(home, rowOf);
    expect(savings).toBeCloseTo(expected.potential_carbon_savings_per_invocation_second, 12);
    expect(tokenIncome(savings, c.workflow_runtime_samples, invocations)).toBe(expected.positive_carbon_savings_tokens);
    expect(solvePrice(c.instance_count, 1, 'coarse', system)).toBe(expected.cost_of_one_coarse_solve_tokens);

    const decision = decideResolve({
      nowMs: now,
      info: undefined,
      dailyInvocationCounts: counts,
      runtimeSamples: c.workflow_runtime_samples,
      instanceCount: c.instance_count,
      home,
      carbonRowOf: rowOf,
      systemIntensity: system,
    });
    if (decision.kind !== 'solve') throw new Error(`expected a solve, got ${decision.kind}`);
    expect(decision.plan.solves).toBe(expected.affordable_run.number_of_solves);
    expect(decision.plan.tier).toBe('stochastic');
    expect(decision.plan.leftover).toBe(expected.affordable_run.leftover_tokens);
    expect(decision.hours.map(String)).toEqual(expected.solve_hours);
    expect(decision.expiryDeltaSeconds).toBe(expected.expiry_delta_seconds);
    expect(decision.info).toEqual({
      last_solved: formatTime(now),
      tokens_left: expected.affordable_run.leftover_tokens,
      next_check: formatTime(now + expected.expiry_delta_seconds * 1000),
    });
  });
});

describe('decideResolve', () => {
  const c = cases.n3_r5_s1;
  const { home, rowOf, system } = views(c);
  const now = parseTime('2025-01-16 01:00:00,000000+0000');
  const base: ResolveInputs = {
    nowMs: now,
    info: undefined,
    dailyInvocationCounts: new Map([['2025-01-15+0000', 9]]),
    runtimeSamples: c.workflow_runtime_samples,
    instanceCount: c.instance_count,
    home,
    carbonRowOf: rowOf,
    systemIntensity: system,
  };

  it('waits for 10 invocations before the first solve', () => {
    expect(decideResolve(base)).toEqual({ kind: 'too-few-invocations', invocations: 9, minimum: 10 });
  });

  it('an unaffordable check keeps last_solved and tokens_left and sets the next check', () => {
    const info = { last_solved: '2025-01-15 02:00:00,000000+0000', tokens_left: 0, next_check: '2025-01-15 12:00:00,000000+0000' };
    // One invocation since the last solve earns no token; 10 instances at 290 make a coarse solve cost 1.
    const decision = decideResolve({
      ...base,
      info,
      instanceCount: 100,
      systemIntensity: 900,
      dailyInvocationCounts: new Map([['2025-01-16+0000', 0]]),
    });
    if (decision.kind !== 'unaffordable') throw new Error(decision.kind);
    expect(decision.cheapestPrice).toBe(solvePrice(100, 1, 'coarse', 900));
    expect(decision.budget).toBe(0);
    expect(decision.nextCheckMs).toBe(now + cooldownSeconds(decision.cheapestPrice) * 1000);
    expect(decision.info).toEqual({ last_solved: info.last_solved, tokens_left: 0, next_check: formatTime(decision.nextCheckMs) });
    // The reference drops them (§12.1 #10).
    const quirky = decideResolve({ ...base, info, instanceCount: 100, systemIntensity: 900, dailyInvocationCounts: new Map(), referenceQuirks: true });
    expect(quirky.kind === 'unaffordable' && quirky.info).toEqual({ next_check: formatTime(quirky.kind === 'unaffordable' ? quirky.nextCheckMs : 0) });
  });

  it('carries over tokens left from the previous solve', () => {
    const info = { last_solved: '2025-01-15 12:00:00,000000+0000', tokens_left: 40, next_check: '2025-01-16 00:00:00,000000+0000' };
    const decision = decideResolve({ ...base, info });
    if (decision.kind !== 'solve') throw new Error(decision.kind);
    expect(decision.carriedOver).toBe(40);
    expect(decision.income).toBe(0);
    expect(decision.budget).toBe(40);
  });

  it('is due when there is no info or next_check has passed', () => {
    expect(isCheckDue(undefined, now)).toBe(true);
    expect(isCheckDue({ next_check: formatTime(now + 1000) }, now)).toBe(false);
    expect(isCheckDue({ next_check: formatTime(now) }, now)).toBe(true);
  });
});
