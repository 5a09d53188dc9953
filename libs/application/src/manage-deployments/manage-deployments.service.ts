import { CaribouError, formatTime, parseRegionKey, regionKey, systemRegionKey, Tables } from '@caribou/domain-common';
import {
  filterRegions,
  loadCarbonIntensities,
  loadTransmissionDistances,
  WorkflowModel,
  WorkflowSummary,
  type SolverInput,
  type SolverWorkflowConfig,
} from '@caribou/domain-model';
import {
  cooldownSeconds,
  decideResolve,
  isCheckDue,
  ResolvePolicyConstants,
  type CarbonRowView,
  type SolveTier,
  type WorkflowSolveInfo,
} from '@caribou/domain-planner';
import {
  algorithmFromConfig,
  createInThreadEvaluator,
  solve,
  toStagedPlan,
  type AlgorithmName,
} from '@caribou/domain-solver';
import type { DeploymentMetrics } from '@caribou/domain-workflow';
import type { Clock, DeploymentMetricsEvaluatorFactory, EnabledRegions, EvaluatorSetup, KeyValueStore, ProgressReporter } from '@caribou/ports';
import { EnabledRegionCheck, notEnabledReason } from '../regions/enabled-region-check';
import { readRow, readRows } from '../stored-rows';

/** `simple` evaluates in this thread; `fast` uses the worker-thread pool (the reference's Go calculator's role). */
export type MetricsCalculator = 'simple' | 'fast';

export interface ManageDeploymentsDeps {
  store: KeyValueStore;
  clock: Clock;
  /** The workflow collector: turns the synced logs into `workflow_instance_table[id]`. */
  refreshWorkflowSummary: (workflowId: string) => Promise<void>;
  /** Evaluator factories by calculator; `simple` defaults to the domain's in-thread evaluator. */
  evaluators?: Partial<Record<MetricsCalculator, DeploymentMetricsEvaluatorFactory>>;
  options?: ManageDeploymentsOptions;
  /** Where an account enables regions (AWS): the others are left out of the candidates, with a note. */
  enabledRegions?: EnabledRegions;
  /** Receives the notes (a candidate region left out). */
  progress?: ProgressReporter;
}

export interface ManageDeploymentsOptions {
  /** Reproduce the reference's quirks (solver §12.1, incl. the unaffordable-check overwrite). */
  referenceQuirks?: boolean;
  /** Seed of the Monte-Carlo runs and search; defaults to the check time in ms. */
  seed?: number;
  /** Wall-clock budget of one solve (the reference uses 800 s inside Lambda; the remote framework 8/9 of its timeout). */
  timeBudgetSeconds?: number;
}

/** A deployment's metrics and how they compare with the home deployment's. */
export interface MetricsVersusHome {
  metrics: DeploymentMetrics;
  home: DeploymentMetrics;
  /** Relative change of the averages, in percent (negative = better than home). */
  changePercent: { carbon: number; cost: number; runtime: number };
}

export interface HourPlacementReport extends MetricsVersusHome {
  hour: number;
  timeKey: string;
  /** Instance → "provider:region". */
  placement: Record<string, string>;
  /** Distinct regions used, in instance order. */
  regions: string[];
}

interface TokenReport {
  invocations: number;
  /** gCO2e saved per invocation-second that shifting could plausibly achieve (σ · 0.001). */
  savingsPerInvocationSecond: number;
  income: number;
  carriedOver: number;
  budget: number;
}

/** What solving a workflow for some hours produced (the second half of a check, or `run_deployment_algorithm`). */
export interface SolveReport {
  hours: number[];
  /** The configured algorithm that ran (the tier only prices the solve, as in the reference). */
  algorithm: AlgorithmName;
  calculator: MetricsCalculator;
  expiryTime: string;
  nextCheck: string;
  tokensLeft: number;
  monteCarloEvaluations: number;
  wallSeconds: number;
  hoursPlanned: HourPlacementReport[];
}

/**
 * The first half of a check (`check_workflow`): whether to solve, and for which hours with
 * which tokens left over. `solve` is returned only when a solve is affordable; nothing is
 * stored for it until the solve succeeds.
 */
export type WorkflowDecision =
  | { workflowId: string; outcome: 'not-due'; nextCheck: string }
  | { workflowId: string; outcome: 'too-few-invocations'; invocations: number; minimum: number }
  | ({ workflowId: string; outcome: 'unaffordable'; cheapestPrice: number; nextCheck: string } & TokenReport)
  | ({ workflowId: string; outcome: 'solve'; price: number; tier: SolveTier; solves: number; hours: number[]; leftoverTokens: number } & TokenReport);

export type WorkflowCheckReport =
  | Extract<WorkflowDecision, { outcome: 'not-due' | 'too-few-invocations' | 'unaffordable' }>
  | ({ workflowId: string; outcome: 'solved'; price: number; tier: SolveTier; solves: number } & TokenReport & SolveReport)
  | { workflowId: string; outcome: 'failed'; error: string };

export interface ManageDeploymentsReport {
  checkedAt: string;
  calculator: MetricsCalculator;
  workflows: WorkflowCheckReport[];
}

function checkCalculator(calculator: MetricsCalculator): void {
  if (calculator !== 'simple' && calculator !== 'fast')
    throw new CaribouError(`calculator '${String(calculator)}' is unknown; use 'simple' or 'fast'`);
}

/** The hours to plan, ascending: whole UTC hours 0–23, each once, at least one. */
function checkSolveHours(hours: readonly number[]): number[] {
  if (hours.length === 0) throw new CaribouError('solve hours are empty; give at least one UTC hour 0–23');
  for (const hour of hours)
    if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new CaribouError(`solve hour ${String(hour)} is not a whole UTC hour 0–23`);
  const sorted = [...hours].sort((a, b) => a - b);
  if (new Set(sorted).size !== sorted.length) throw new CaribouError(`solve hours ${hours.join(', ')} name an hour twice`);
  return sorted;
}

/** The system region's carbon key: the provider's framework region. */
function systemRegionOf(config: SolverWorkflowConfig): string {
  return systemRegionKey(config.home_region.provider);
}

function percentChange(value: number, home: number): number {
  return home === 0 ? 0 : (value / home - 1) * 100;
}

/**
 * `caribou manage_deployments` (reference-solver.md §9): for every deployed workflow (or one),
 * decide whether to re-solve its placement — token-gated — and if so run the configured
 * deployment algorithm for the affordable number of hours, stage the plan for the migrator and
 * record when to look again. Returns what was decided and why, per workflow.
 */
export class ManageDeploymentsService {
  constructor(private readonly deps: ManageDeploymentsDeps) {}

  /** Wall-clock seconds each solve may take (inside the remote framework: from its function's timeout); undefined: no limit. */
  get solveBudgetSeconds(): number | undefined {
    return this.deps.options?.timeBudgetSeconds;
  }

  async check(request: { workflowId?: string; calculator: MetricsCalculator }): Promise<ManageDeploymentsReport> {
    const { calculator } = request;
    checkCalculator(calculator);
    const now = this.deps.clock.now();
    let ids: string[];
    if (request.workflowId !== undefined) {
      await this.requireDeployed(request.workflowId);
      ids = [request.workflowId];
    } else {
      ids = await this.deps.store.keys(Tables.deploymentManagerResource);
    }
    const workflows: WorkflowCheckReport[] = [];
    for (const workflowId of ids) {
      try {
        const decision = await this.decideAt(workflowId, now);
        if (decision.outcome !== 'solve') {
          workflows.push(decision);
          continue;
        }
        const { outcome: _solve, hours, leftoverTokens, ...tokens } = decision;
        const solved = await this.solveAt(now, { workflowId, calculator, hours, leftoverTokens });
        workflows.push({ ...tokens, outcome: 'solved', ...solved });
      } catch (error) {
        if (!(error instanceof CaribouError)) throw error;
        workflows.push({ workflowId, outcome: 'failed', error: error.message });
      }
    }
    return { checkedAt: formatTime(now), calculator, workflows };
  }

  /**
   * The remote framework's `check_workflow` (reference-solver.md §9 steps 1–8): refreshes the
   * summary, earns tokens and prices the affordable plan. An unaffordable check stores when to
   * look again; an affordable one stores nothing — its `solve` (the `run_deployment_algorithm`
   * hop) records the solve once it has succeeded.
   */
  async decide(workflowId: string): Promise<WorkflowDecision> {
    await this.requireDeployed(workflowId);
    return this.decideAt(workflowId, this.deps.clock.now());
  }

  /**
   * The remote framework's `run_deployment_algorithm` (§9 step 9): runs the configured
   * algorithm for exactly `hours` (UTC hours 0–23), stages the plan, and stores
   * `{last_solved: now, tokens_left: leftoverTokens, next_check}` with the plan's expiry
   * (86400·σ₂(leftoverTokens) seconds from now).
   */
  async solve(request: { workflowId: string; calculator: MetricsCalculator; hours: readonly number[]; leftoverTokens: number }): Promise<SolveReport> {
    checkCalculator(request.calculator);
    await this.requireDeployed(request.workflowId);
    return this.solveAt(this.deps.clock.now(), request);
  }

  private async requireDeployed(workflowId: string): Promise<void> {
    if (!(await this.deps.store.has(Tables.deploymentManagerResource, workflowId)))
      throw new CaribouError(`workflow ${workflowId} is not deployed; see \`caribou list\``);
  }

  private async decideAt(workflowId: string, now: number): Promise<WorkflowDecision> {
    const store = this.deps.store;
    const info = await readRow(store, Tables.deploymentManagerWorkflowInfo, workflowId);
    if (!isCheckDue(info, now)) return { workflowId, outcome: 'not-due', nextCheck: info!.next_check };

    await this.deps.refreshWorkflowSummary(workflowId);
    const config = await this.loadConfig(workflowId);
    const summaryRow = await this.loadSummary(workflowId);
    const quirks = this.deps.options?.referenceQuirks ?? false;
    const summary = new WorkflowSummary(summaryRow ?? {}, quirks);
    const homeKey = `${config.home_region.provider}:${config.home_region.region}`;
    const systemKey = systemRegionOf(config);
    const carbonRows = new Map<string, unknown>();
    const carbonRow = async (region: string): Promise<unknown> => {
      if (!carbonRows.has(region))
        carbonRows.set(region, await readRow(store, Tables.carbonRegion, region));
      return carbonRows.get(region);
    };
    const homeRow = await carbonRow(homeKey);
    const distances = loadTransmissionDistances(homeRow);
    for (const [region, km] of distances) if (km <= ResolvePolicyConstants.distanceForPotentialMigrationKm) await carbonRow(region);
    const systemRow = await carbonRow(systemKey);
    const view = (row: unknown): CarbonRowView | undefined =>
      row === undefined ? undefined : { overallIntensity: loadCarbonIntensities(row)[0], distancesKm: loadTransmissionDistances(row) };

    const decision = decideResolve({
      nowMs: now,
      info,
      dailyInvocationCounts: summary.dailyInvocationCounts,
      runtimeSamples: summary.runtimeSamples,
      instanceCount: Object.keys(config.instances).length,
      home: view(homeRow) ?? { overallIntensity: undefined, distancesKm: new Map() },
      carbonRowOf: (region) => view(carbonRows.get(region)),
      systemIntensity: view(systemRow)?.overallIntensity,
      referenceQuirks: quirks,
    });
    if (decision.kind === 'too-few-invocations')
      return { workflowId, outcome: 'too-few-invocations', invocations: decision.invocations, minimum: decision.minimum };
    const tokens: TokenReport = {
      invocations: decision.invocations,
      savingsPerInvocationSecond: decision.savingsPerInvocationSecond,
      income: decision.income,
      carriedOver: decision.carriedOver,
      budget: decision.budget,
    };
    if (decision.kind === 'unaffordable') {
      await store.put(Tables.deploymentManagerWorkflowInfo, workflowId, JSON.stringify(decision.info));
      return { workflowId, outcome: 'unaffordable', ...tokens, cheapestPrice: decision.cheapestPrice, nextCheck: decision.info.next_check };
    }
    return {
      workflowId,
      outcome: 'solve',
      ...tokens,
      price: decision.plan.price,
      tier: decision.plan.tier,
      solves: decision.plan.solves,
      hours: decision.hours,
      leftoverTokens: decision.plan.leftover,
    };
  }

  private async solveAt(
    now: number,
    request: { workflowId: string; calculator: MetricsCalculator; hours: readonly number[]; leftoverTokens: number },
  ): Promise<SolveReport> {
    const { workflowId, calculator, leftoverTokens } = request;
    const hours = checkSolveHours(request.hours);
    if (!Number.isInteger(leftoverTokens) || leftoverTokens < 0)
      throw new CaribouError(`leftover tokens must be a whole number ≥ 0, got ${String(leftoverTokens)}`);
    const store = this.deps.store;
    const config = await this.loadConfig(workflowId);
    const summaryRow = await this.loadSummary(workflowId);
    const quirks = this.deps.options?.referenceQuirks ?? false;
    const input = await this.loadSolverInput(config, summaryRow ?? {}, systemRegionOf(config));
    const model = new WorkflowModel(input, { referenceQuirks: quirks });
    const algorithm = algorithmFromConfig(config.deployment_algorithm);
    const seed = this.deps.options?.seed ?? Math.floor(now);
    const setup: EvaluatorSetup = { input, model: { referenceQuirks: quirks }, seed };
    const factory = this.deps.evaluators?.[calculator];
    if (calculator === 'fast' && !factory)
      throw new CaribouError("the 'fast' calculator (worker threads) is not available here; use --calculator simple");
    const evaluator = factory ? await factory.create(setup) : await createInThreadEvaluator(setup);
    const started = this.deps.clock.now();
    let result;
    try {
      result = await solve(model, evaluator, {
        algorithm,
        hours,
        seed,
        ...(this.deps.options?.timeBudgetSeconds !== undefined ? { timeBudgetSeconds: this.deps.options.timeBudgetSeconds } : {}),
        now: () => this.deps.clock.now(),
      });
    } finally {
      await evaluator.close();
    }
    const wallSeconds = (this.deps.clock.now() - started) / 1000;
    // The plan lives as long as the leftover tokens say, and the next check comes then (§9 step 9).
    const expiresAtMs = now + cooldownSeconds(leftoverTokens) * 1000;
    const info: WorkflowSolveInfo = { last_solved: formatTime(now), tokens_left: leftoverTokens, next_check: formatTime(expiresAtMs) };
    // The home deployment's metrics ride along (an extra key consumers of the reference
    // ignore) so that `caribou plan` can report what the plan saves.
    const staged = {
      ...toStagedPlan(model, result.plans, expiresAtMs),
      home_deployment_metrics: Object.fromEntries(result.plans.map((plan) => [plan.timeKey, plan.homeMetrics])),
    };
    await store.put(Tables.workflowPlacementSolverStagingArea, workflowId, JSON.stringify(staged));
    // Stored last: if solving failed, the workflow is checked again next time (as in the reference).
    await store.put(Tables.deploymentManagerWorkflowInfo, workflowId, JSON.stringify(info));
    return {
      hours,
      algorithm,
      calculator,
      expiryTime: staged.expiry_time,
      nextCheck: info.next_check,
      tokensLeft: leftoverTokens,
      monteCarloEvaluations: result.simulations,
      wallSeconds,
      hoursPlanned: result.plans.map((plan) => {
        const placement = Object.fromEntries(model.instanceNames.map((name, i) => [name, model.regionKeys[plan.deployment[i]!]!]));
        return {
          hour: plan.hour ?? 0,
          timeKey: plan.timeKey,
          placement,
          regions: [...new Set(Object.values(placement))],
          metrics: plan.metrics,
          home: plan.homeMetrics,
          changePercent: {
            carbon: percentChange(plan.metrics.average_carbon, plan.homeMetrics.average_carbon),
            cost: percentChange(plan.metrics.average_cost, plan.homeMetrics.average_cost),
            runtime: percentChange(plan.metrics.average_runtime, plan.homeMetrics.average_runtime),
          },
        };
      }),
    };
  }

  private async loadSummary(workflowId: string): Promise<unknown> {
    return readRow(this.deps.store, Tables.workflowInstance, workflowId);
  }

  /** `deployment_manager_resource_table[id]` = `{"workflow_id", "workflow_config": "<JSON string>"}` (double-encoded). */
  private async loadConfig(workflowId: string): Promise<SolverWorkflowConfig> {
    const row = await readRow(this.deps.store, Tables.deploymentManagerResource, workflowId);
    if (row === undefined) throw new CaribouError(`workflow ${workflowId} is not deployed; see \`caribou list\``);
    return row.workflow_config;
  }

  /** Reads the rows the solver needs: permitted regions plus the system region. */
  private async loadSolverInput(
    config: SolverWorkflowConfig,
    summary: unknown,
    systemRegion: string,
  ): Promise<SolverInput> {
    const store = this.deps.store;
    const available: Record<string, unknown> = Object.fromEntries(await readRows(store, Tables.availableRegions));
    // Regions the account has not enabled are no candidates: a plan placing a function there would fail every migration.
    const disabled = await new EnabledRegionCheck(this.deps.enabledRegions).disabled(filterRegions(Object.keys(available), config.regions_and_providers).map(parseRegionKey));
    for (const region of disabled) {
      delete available[regionKey(region)];
      this.deps.progress?.warn(`${notEnabledReason(region)}; left out of the candidate regions`);
    }
    const regions = [...new Set([...filterRegions(Object.keys(available), config.regions_and_providers), systemRegion])];
    const rows = async (table: typeof Tables.providerRegion | typeof Tables.carbonRegion | typeof Tables.performanceRegion): Promise<Record<string, unknown>> => {
      const result: Record<string, unknown> = {};
      for (const region of regions) {
        const row = await readRow(store, table, region);
        if (row !== undefined) result[region] = row;
      }
      return result;
    };
    return {
      workflowConfig: config,
      tables: {
        available_regions_table: available,
        provider_region_table: await rows(Tables.providerRegion),
        carbon_region_table: await rows(Tables.carbonRegion),
        performance_region_table: await rows(Tables.performanceRegion),
        workflow_summary: summary,
      },
      systemRegion,
    };
  }
}
