import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSystemProjectLoader } from '@caribou/adapter-project';
import { type DeployWorkflowService, type MigrateDeploymentsService } from '@caribou/application';
import { createContainer, SERVICES, type CaribouContainer, type RunTracker } from '@caribou/cli/composition';
import { Tables, utf8Length, type ProviderRegion } from '@caribou/domain-common';
import { measurePlan } from '@caribou/domain-routing';
import { parsePlacementDecision, type StagedPlan } from '@caribou/domain-workflow';
import { TOKENS, type FunctionInvoker, type FunctionPlatform, type KeyValueStore } from '@caribou/ports';
import { runOncePerHour } from '../workloads/hourly-runs';
import { dayPlan, writeWideWorkflowProject } from '../workloads/wide-workflow';

const HOME: ProviderRegion = { provider: 'local', region: 'us-east-1' };
const MOVES = ['ca-central-1', 'us-west-2', 'eu-north-1'].map((region): ProviderRegion => ({ provider: 'local', region }));
const WF = 'wide_workflow-0.0.1';

/**
 * Must show (issue 12): a generated 100-function workflow with a 24-hour plan of 24 distinct
 * hourly placements runs end to end on the local provider — deployed, migrated, then one run
 * per hour of the day, each execution checked against its hour's placement.
 */
describe('a 100-function workflow under a 24-hour plan, on the local provider', () => {
  let home: string;
  let projectDir: string;
  let container: CaribouContainer;
  let store: KeyValueStore;
  let staged: StagedPlan;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'caribou-hundred-'));
    projectDir = mkdtempSync(join(tmpdir(), 'caribou-hundred-project-'));
    writeWideWorkflowProject(projectDir, { functions: 100, home: HOME, regions: MOVES.map((r) => r.region) });
    container = await createContainer('local', { ...process.env, CARIBOU_HOME: home });
    store = container.get<KeyValueStore>(TOKENS.KeyValueStore);
  });

  afterAll(async () => {
    await container.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(projectDir, { recursive: true, force: true });
  });

  it('deploys, publishes 24 distinct hourly placements, and every hour’s run executes all 100 functions where that hour says', async () => {
    const project = await new FileSystemProjectLoader().load(projectDir);
    await container.get<DeployWorkflowService>(SERVICES.Deploy).deploy(project);
    const deployed = parsePlacementDecision((await store.get(Tables.workflowPlacementDecision, WF))!, WF);
    const instances = Object.keys(deployed.instances);
    expect(instances).toHaveLength(100);

    staged = dayPlan({ instances, home: HOME, regions: MOVES });
    const placements = Object.values(staged.time_keys_to_staging_area_data).map((hour) => JSON.stringify(hour));
    expect(new Set(placements).size).toBe(24);
    await store.put(Tables.workflowPlacementSolverStagingArea, WF, JSON.stringify(staged));
    const [report] = await container.get<MigrateDeploymentsService>(SERVICES.Migrate).migrate();
    expect(report!.applied).toBe(true);
    // One extra copy per function: each instance moves in exactly one hour.
    expect(report!.actions.filter((a) => a.kind === 'copy-function')).toHaveLength(100);
    const platform = container.get<FunctionPlatform>(TOKENS.FunctionPlatform);
    const copies = await Promise.all(MOVES.map((region) => platform.list(region)));
    expect(copies.flat()).toHaveLength(100);

    const storedRow = (await store.get(Tables.workflowPlacementDecision, WF))!;
    const published = parsePlacementDecision(storedRow, WF);
    expect(published.plan_version).toBe(2);
    expect(published.workflow_placement.current_deployment!.time_keys).toHaveLength(24);
    const size = measurePlan(published);
    expect(size.largestMessage.bytes).toBeLessThan(64 * 1024);
    expect(utf8Length(storedRow)).toBe(size.storedBytes);

    const hourly = await runOncePerHour({
      store,
      invoker: container.get<FunctionInvoker>(TOKENS.FunctionInvoker),
      tracker: container.get<RunTracker>(SERVICES.RunTracker),
      workflowId: WF,
      argument: JSON.stringify({ request: 'daily' }),
      staged,
    });
    for (const { hour, timeKey, failed, executions, misplaced } of hourly) {
      expect(timeKey).toBe(String(hour));
      expect(failed, JSON.stringify(executions.filter((e) => e.status !== 'succeeded'))).toBe(false);
      expect(executions).toHaveLength(100);
      expect(misplaced, `hour ${hour}`).toEqual([]);
      expect(new Set(executions.map((e) => e.region)).size).toBe(2);
    }
  }, 600_000);
});
