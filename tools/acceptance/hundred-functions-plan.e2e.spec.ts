import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSystemProjectLoader } from '@caribou/adapter-project';
import { createContainer, SERVICES, type CaribouContainer } from '@caribou/cli/composition';
import { formatTime, regionKey, Tables, type ProviderRegion } from '@caribou/domain-common';
import { parsePlacementDecision, type StagedPlan } from '@caribou/domain-workflow';
import { TOKENS, type FunctionInvoker, type KeyValueStore } from '@caribou/ports';
import { runOncePerHour } from '../workloads/hourly-runs';
import { writeWideWorkflowProject } from '../workloads/wide-workflow';

const HOME: ProviderRegion = { provider: 'local', region: 'us-east-1' };
const MOVES = ['ca-central-1', 'us-west-2', 'eu-north-1'];
const WF = 'wide_workflow-0.0.1';
const HOUR = 3_600_000;
const LEARNING_RUNS = 12;

/**
 * Must show (issue 24): a generated 100-function workflow deployed on the local provider gets a
 * 24-hour plan from manage_deployments — the configured stochastic heuristic, full search, on the
 * 'fast' calculator's two worker threads — and runs under it. Composed as the CLI composes it,
 * with the wall clock under the local provider's simulation clock injected: deploy, runs to learn
 * from, log_sync, data_collect all, manage_deployments, run_deployment_migrator, then one run per
 * hour of the day, each execution checked against its hour's planned region.
 */
describe('a 100-function workflow planned by manage_deployments for 24 hours, on the local provider', () => {
  let home: string;
  let projectDir: string;
  let container: CaribouContainer;
  let store: KeyValueStore;
  // 22:00 UTC on the last day of next month (the shipped data's calendar); never compared with the real clock.
  const today = new Date();
  const clock = { t: Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 2, 0, 22, 0, 0) };
  const sleeper = {
    async sleep(ms: number) {
      clock.t += ms;
    },
  };

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'caribou-hundred-plan-'));
    projectDir = mkdtempSync(join(tmpdir(), 'caribou-hundred-plan-project-'));
    writeWideWorkflowProject(projectDir, { functions: 100, home: HOME, regions: MOVES });
    container = await createContainer(
      'local',
      { ...process.env, CARIBOU_HOME: home, ELECTRICITY_MAPS_AUTH_TOKEN: '', GOOGLE_API_KEY: '' },
      { quietProgress: true, time: { wallClock: () => clock.t, sleeper } },
    );
    store = container.get<KeyValueStore>(TOKENS.KeyValueStore);
  });

  afterAll(async () => {
    await container?.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(projectDir, { recursive: true, force: true });
  });

  it('deploys, learns from its runs, gets a 24-hour plan from manage_deployments and runs every hour where the plan says', async () => {
    const project = await new FileSystemProjectLoader().load(projectDir);
    await container.get(SERVICES.Deploy).deploy(project);
    const tracker = container.get(SERVICES.RunTracker);
    const argument = JSON.stringify({ request: 'daily' });

    // Runs to learn from, all at home (the deployed placement).
    const runner = container.get(SERVICES.Run);
    const learning: string[] = [];
    for (let i = 0; i < LEARNING_RUNS; i++) {
      await tracker.waitForSlot?.();
      learning.push((await runner.run(WF, argument)).runId);
    }
    for (const runId of learning) expect((await tracker.waitForRun(runId)).failed).toBe(false);
    clock.t += HOUR;

    const [sync] = await container.get(SERVICES.LogSync).sync({ workflowId: WF });
    expect(sync!.status).toBe('synced');
    await container.get(SERVICES.DataCollect).collect('all');
    // Tokens carried over from earlier checks (a workflow with months of runs has them): enough
    // for 24 hourly stochastic solves of 100 instances, which 12 runs alone would not earn.
    await store.put(Tables.deploymentManagerWorkflowInfo, WF, JSON.stringify({ tokens_left: 1000, next_check: formatTime(clock.t - HOUR) }));

    const report = await container.get(SERVICES.ManageDeployments).check({ workflowId: WF, calculator: 'fast' });
    const checked = report.workflows[0]!;
    expect(checked.outcome, JSON.stringify(checked)).toBe('solved');
    if (checked.outcome !== 'solved') return;
    expect(checked.algorithm).toBe('stochastic');
    expect(checked.hours).toEqual(Array.from({ length: 24 }, (_, h) => h));
    expect(checked.hoursPlanned).toHaveLength(24);
    // The search simulated proposals (the rest were rejected on their carbon bounds: no hard constraints).
    expect(checked.monteCarloEvaluations).toBeGreaterThan(24);

    const staged = JSON.parse((await store.get(Tables.workflowPlacementSolverStagingArea, WF))!) as StagedPlan;
    const timeKeys = Object.keys(staged.time_keys_to_staging_area_data);
    expect(timeKeys.sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 24 }, (_, h) => String(h)));
    const moved = (hour: number) =>
      Object.values(staged.time_keys_to_staging_area_data[String(hour)]!).filter((p) => regionKey(p.provider_region) !== regionKey(HOME)).length;
    // The grid of the moves is cleaner than us-east-1's: the plan moves functions away from home.
    expect(Array.from({ length: 24 }, (_, h) => moved(h)).some((count) => count > 0)).toBe(true);

    const [migration] = await container.get(SERVICES.Migrate).migrate();
    expect(migration!.applied).toBe(true);
    const published = parsePlacementDecision((await store.get(Tables.workflowPlacementDecision, WF))!, WF);
    expect(published.workflow_placement.current_deployment!.time_keys).toHaveLength(24);

    // One run per hour of the day, each following its hour's placement.
    const hourly = await runOncePerHour({
      store,
      invoker: container.get<FunctionInvoker>(TOKENS.FunctionInvoker),
      tracker,
      workflowId: WF,
      argument,
      staged,
    });
    const regionsUsed = new Set<string>();
    for (const { hour, timeKey, failed, executions, misplaced } of hourly) {
      expect(timeKey).toBe(String(hour));
      expect(failed, JSON.stringify(executions.filter((e) => e.status !== 'succeeded'))).toBe(false);
      expect(executions).toHaveLength(100);
      expect(misplaced, `hour ${hour}`).toEqual([]);
      for (const e of executions) regionsUsed.add(e.region);
    }
    // Where the plan moved functions, they ran away from home.
    expect([...regionsUsed].some((region) => region !== regionKey(HOME))).toBe(true);
  }, 1_200_000);
});
