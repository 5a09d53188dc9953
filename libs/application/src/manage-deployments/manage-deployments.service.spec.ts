import { beforeEach, describe, expect, it } from 'vitest';
import { formatTime, parseTime, Tables } from '@caribou/domain-common';
import { cooldownSeconds } from '@caribou/domain-planner';
import { createInThreadEvaluator } from '@caribou/domain-solver';
import type { DeploymentMetricsEvaluatorFactory, EvaluatorSetup } from '@caribou/ports';
import workedExample from './__fixtures__/worked_example.json';
import { ManageDeploymentsService, type ManageDeploymentsDeps, type WorkflowCheckReport } from './manage-deployments.service';
import { InMemoryKeyValueStore } from '../testing/in-memory-key-value-store';

/*
 * The worked example of solver spec §11 as a deployed workflow: home us-east-1 (400 g/kWh),
 * ca-central-1 (40) and us-west-2 (300, the system region) all within 4000 km, 100 invocations
 * of 3.1 s. Tokens: ⌈σ(400, 40, 300)·0.001 · 3.1 · 100⌉ = 48; 24 stochastic solves of 3
 * instances at 300 g/kWh cost ⌊3·24·1e-4·300 + 0.0003⌋ = 2, leaving 46.
 */
const WORKFLOW = 'ex-0.0.1';
const NOW = parseTime('2025-01-16 01:00:00,000000+0000');

class SteppingClock {
  constructor(public nowMs: number) {}
  now(): number {
    return this.nowMs;
  }
}

function seedStore(store: InMemoryKeyValueStore, summaryOverride?: unknown): void {
  const tables = workedExample.tables as Record<string, Record<string, unknown>>;
  for (const table of ['available_regions_table', 'provider_region_table', 'carbon_region_table', 'performance_region_table'])
    for (const [key, row] of Object.entries(tables[table]!)) store.seed(table, key, row);
  store.seed(Tables.workflowInstance, WORKFLOW, summaryOverride ?? tables.workflow_instance_table![WORKFLOW]);
  store.seed(Tables.deploymentManagerResource, WORKFLOW, {
    workflow_id: WORKFLOW,
    workflow_config: JSON.stringify(workedExample.workflow_config),
  });
}

function solved(report: WorkflowCheckReport): Extract<WorkflowCheckReport, { outcome: 'solved' }> {
  if (report.outcome !== 'solved') throw new Error(`expected a solve, got ${JSON.stringify(report)}`);
  return report;
}

describe('ManageDeploymentsService', () => {
  let store: InMemoryKeyValueStore;
  let clock: SteppingClock;
  let refreshed: string[];
  let deps: ManageDeploymentsDeps;

  beforeEach(() => {
    store = new InMemoryKeyValueStore();
    seedStore(store);
    clock = new SteppingClock(NOW);
    refreshed = [];
    deps = {
      store,
      clock,
      refreshWorkflowSummary: async (id) => {
        refreshed.push(id);
      },
      options: { seed: 7 },
    };
  });

  it('first check: earns tokens, solves the affordable 24 hours, stages the plan and records the next check', async () => {
    const report = await new ManageDeploymentsService(deps).check({ calculator: 'simple' });
    expect(report.checkedAt).toBe(formatTime(NOW));
    expect(refreshed).toEqual([WORKFLOW]);
    const result = solved(report.workflows[0]!);
    expect(result).toMatchObject({
      workflowId: WORKFLOW,
      invocations: 100,
      income: 48,
      carriedOver: 0,
      budget: 48,
      price: 2,
      tier: 'stochastic',
      solves: 24,
      tokensLeft: 46,
      algorithm: 'stochastic',
      calculator: 'simple',
    });
    expect(result.hours).toEqual(Array.from({ length: 24 }, (_, h) => h));
    const expiry = NOW + cooldownSeconds(46) * 1000;
    expect(result.expiryTime).toBe(formatTime(expiry));
    expect(result.nextCheck).toBe(formatTime(expiry));
    // §11: all of ca-central-1 is the best plan at every hour; it keeps cost and cuts carbon.
    for (const hour of result.hoursPlanned) {
      expect(hour.regions).toEqual(['aws:ca-central-1']);
      expect(hour.changePercent.cost).toBeCloseTo(0, 9);
      expect(hour.changePercent.carbon).toBeLessThan(-30);
    }
    const staged = store.row(Tables.workflowPlacementSolverStagingArea, WORKFLOW) as Record<string, any>;
    expect(Object.keys(staged.time_keys_to_staging_area_data)).toEqual(result.hours.map(String));
    expect(staged.time_keys_to_staging_area_data['12']['ex-0_0_1-b:ex-0_0_1-a_0_0:1']).toEqual({
      provider_region: { provider: 'aws', region: 'ca-central-1' },
    });
    expect(staged.deployment_metrics['0'].average_carbon).toBeCloseTo(3.28268e-3, 7);
    expect(staged.expiry_time).toBe(formatTime(expiry));
    expect(store.row(Tables.deploymentManagerWorkflowInfo, WORKFLOW)).toEqual({
      last_solved: formatTime(NOW),
      tokens_left: 46,
      next_check: formatTime(expiry),
    });
  });

  it('leaves a region the account has not enabled out of the candidates, with a one-line note: the best region of the worked example is never planned', async () => {
    // The account's region list (the AWS adapter reads it from EC2 DescribeRegions, tested on moto in aws-enabled-regions.int.spec.ts).
    const enabledRegions = { provider: 'aws', list: async () => new Set(['us-east-1', 'us-west-2']) };
    const notes: string[] = [];
    const progress = { step: <T>(_title: string, work: (update: (detail: string) => void) => Promise<T>) => work(() => undefined), info: () => undefined, warn: (line: string) => void notes.push(line) };
    const result = solved((await new ManageDeploymentsService({ ...deps, enabledRegions, progress }).check({ calculator: 'simple' })).workflows[0]!);
    expect(notes).toEqual([
      "aws:ca-central-1 is not enabled for this AWS account (an opt-in region it has not opted into; enable it in the account's Regions settings); left out of the candidate regions",
    ]);
    for (const hour of result.hoursPlanned) expect(hour.regions).not.toContain('aws:ca-central-1');
    const staged = store.row(Tables.workflowPlacementSolverStagingArea, WORKFLOW) as { time_keys_to_staging_area_data: Record<string, Record<string, { provider_region: { region: string } }>> };
    const planned = Object.values(staged.time_keys_to_staging_area_data).flatMap((placements) => Object.values(placements).map((p) => p.provider_region.region));
    expect(planned.length).toBeGreaterThan(0);
    expect(planned).not.toContain('ca-central-1');
  });

  it('skips a workflow whose next check lies in the future, without refreshing its summary', async () => {
    const service = new ManageDeploymentsService(deps);
    await service.check({ calculator: 'simple' });
    refreshed.length = 0;
    clock.nowMs = NOW + 3_600_000;
    const report = await service.check({ workflowId: WORKFLOW, calculator: 'simple' });
    expect(report.workflows).toEqual([{ workflowId: WORKFLOW, outcome: 'not-due', nextCheck: formatTime(NOW + cooldownSeconds(46) * 1000) }]);
    expect(refreshed).toEqual([]);
  });

  it('waits for 10 invocations before the first solve and stores nothing', async () => {
    const summary = { ...(workedExample.tables.workflow_instance_table as Record<string, any>)[WORKFLOW], daily_invocation_counts: { '2025-01-15+0000': 9 } };
    seedStore(store, summary);
    const report = await new ManageDeploymentsService(deps).check({ calculator: 'simple' });
    expect(report.workflows).toEqual([{ workflowId: WORKFLOW, outcome: 'too-few-invocations', invocations: 9, minimum: 10 }]);
    expect(store.writes).toEqual([]);
  });

  it('an unaffordable check keeps last_solved and tokens_left and schedules the next check', async () => {
    const info = { last_solved: '2025-01-15 12:00:00,000000+0000', tokens_left: 0, next_check: '2025-01-16 00:00:00,000000+0000' };
    store.seed(Tables.deploymentManagerWorkflowInfo, WORKFLOW, info);
    const report = await new ManageDeploymentsService(deps).check({ calculator: 'simple' });
    const next = formatTime(NOW + cooldownSeconds(0) * 1000);
    expect(report.workflows).toEqual([
      {
        workflowId: WORKFLOW,
        outcome: 'unaffordable',
        invocations: 0,
        savingsPerInvocationSecond: expect.any(Number),
        income: 0,
        carriedOver: 0,
        budget: 0,
        cheapestPrice: 0,
        nextCheck: next,
      },
    ]);
    expect(store.row(Tables.deploymentManagerWorkflowInfo, WORKFLOW)).toEqual({ ...info, next_check: next });
    expect(store.row(Tables.workflowPlacementSolverStagingArea, WORKFLOW)).toBeUndefined();
  });

  it("'fast' uses the injected worker-pool factory and decides exactly as 'simple'", async () => {
    const created: EvaluatorSetup[] = [];
    const fast: DeploymentMetricsEvaluatorFactory = {
      create: async (setup) => {
        created.push(setup);
        return createInThreadEvaluator(setup);
      },
    };
    const simpleReport = await new ManageDeploymentsService(deps).check({ calculator: 'simple' });
    const other = new InMemoryKeyValueStore();
    seedStore(other);
    const fastReport = await new ManageDeploymentsService({ ...deps, store: other, evaluators: { fast } }).check({ calculator: 'fast' });
    expect(created).toHaveLength(1);
    expect(created[0]!.seed).toBe(7);
    const strip = (r: WorkflowCheckReport) => ({ ...solved(r), calculator: undefined, wallSeconds: undefined });
    expect(strip(fastReport.workflows[0]!)).toEqual(strip(simpleReport.workflows[0]!));
    const third = new InMemoryKeyValueStore();
    seedStore(third);
    await expect(new ManageDeploymentsService({ ...deps, store: third }).check({ calculator: 'fast' })).resolves.toMatchObject({
      workflows: [{ outcome: 'failed', error: expect.stringMatching(/'fast' calculator/) }],
    });
  });

  it('reports a workflow with a broken config as failed and goes on with the others', async () => {
    store.seed(Tables.deploymentManagerResource, 'broken-0.0.1', { workflow_id: 'broken-0.0.1', workflow_config: '{not json' });
    const report = await new ManageDeploymentsService(deps).check({ calculator: 'simple' });
    expect(report.workflows.map((w) => [w.workflowId, w.outcome])).toEqual([
      [WORKFLOW, 'solved'],
      ['broken-0.0.1', 'failed'],
    ]);
    expect(report.workflows[1]).toMatchObject({ error: expect.stringMatching(/^Stored row deployment_manager_resource_table\[broken-0\.0\.1\]\.workflow_config is damaged \(not JSON: /) });
  });

  it('rejects an unknown workflow id and an unknown calculator with a one-line reason', async () => {
    const service = new ManageDeploymentsService(deps);
    await expect(service.check({ workflowId: 'nope-0.0.1', calculator: 'simple' })).rejects.toThrow(/nope-0.0.1 is not deployed/);
    await expect(service.check({ calculator: 'go' as 'simple' })).rejects.toThrow(/use 'simple' or 'fast'/);
  });

  it('decide (check_workflow) prices the solve and stores nothing; solve (run_deployment_algorithm) plans exactly the given hours with the given tokens', async () => {
    const service = new ManageDeploymentsService(deps);
    const decision = await service.decide(WORKFLOW);
    expect(decision).toMatchObject({ workflowId: WORKFLOW, outcome: 'solve', budget: 48, price: 2, solves: 24, leftoverTokens: 46 });
    expect(decision.outcome === 'solve' && decision.hours).toEqual(Array.from({ length: 24 }, (_, h) => h));
    expect(store.row(Tables.deploymentManagerWorkflowInfo, WORKFLOW)).toBeUndefined();
    expect(store.row(Tables.workflowPlacementSolverStagingArea, WORKFLOW)).toBeUndefined();

    clock.nowMs = NOW + 60_000;
    const report = await service.solve({ workflowId: WORKFLOW, calculator: 'simple', hours: [18, 6], leftoverTokens: 15 });
    expect(report.hours).toEqual([6, 18]);
    expect(report.tokensLeft).toBe(15);
    const staged = store.row(Tables.workflowPlacementSolverStagingArea, WORKFLOW) as Record<string, any>;
    expect(Object.keys(staged.time_keys_to_staging_area_data)).toEqual(['6', '18']);
    const expiry = formatTime(NOW + 60_000 + cooldownSeconds(15) * 1000);
    expect(staged.expiry_time).toBe(expiry);
    expect(store.row(Tables.deploymentManagerWorkflowInfo, WORKFLOW)).toEqual({ last_solved: formatTime(NOW + 60_000), tokens_left: 15, next_check: expiry });
  });

  it('solve refuses hours and tokens it cannot plan with, before solving anything', async () => {
    const service = new ManageDeploymentsService(deps);
    const solve = (hours: number[], leftoverTokens = 1) => service.solve({ workflowId: WORKFLOW, calculator: 'simple', hours, leftoverTokens });
    await expect(solve([])).rejects.toThrow('solve hours are empty');
    await expect(solve([24])).rejects.toThrow('solve hour 24 is not a whole UTC hour 0–23');
    await expect(solve([1, 1])).rejects.toThrow('name an hour twice');
    await expect(solve([1], -1)).rejects.toThrow('leftover tokens must be a whole number ≥ 0');
    await expect(service.solve({ workflowId: 'nope-0.0.1', calculator: 'simple', hours: [1], leftoverTokens: 1 })).rejects.toThrow(/nope-0.0.1 is not deployed/);
    expect(store.writes).toEqual([]);
  });
});
