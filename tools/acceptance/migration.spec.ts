import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileSystemProjectLoader } from '@caribou/adapter-project';
import { MigrateDeploymentsService, type DeployWorkflowService, type FrameworkService, type RunWorkflowService } from '@caribou/application';
import { FixedClock } from '@caribou/application/testing';
import { createContainer, SERVICES, type CaribouContainer, type RunTracker } from '@caribou/cli/composition';
import { formatTime, Tables } from '@caribou/domain-common';
import { parsePlacementDecision, type StagedPlan } from '@caribou/domain-workflow';
import { TOKENS, type FunctionPlatform, type KeyValueStore } from '@caribou/ports';

const EXAMPLE = join(import.meta.dirname, '../../examples/small_sync_example');
const WF = 'small_sync_example-0.0.1';
const E = 'small_sync_example-0_0_1-initial_function:entry_point:0';
const S = 'small_sync_example-0_0_1-syncFunction:sync:';
const T = 'small_sync_example-0_0_1-secondSyncFunction:sync:';
const at = (region: string) => ({ provider_region: { provider: 'local', region } });

/** Hours 0–11 move the entry to Canada and the first fan-in west; from 12 everything is in Canada. */
const stagedPlan = (): StagedPlan => ({
  time_keys_to_staging_area_data: {
    '0': { [E]: at('ca-central-1'), [S]: at('us-west-2'), [T]: at('us-east-1') },
    '12': { [E]: at('ca-central-1'), [S]: at('ca-central-1'), [T]: at('ca-central-1') },
  },
  deployment_metrics: {},
  // Fixed so that independent migrations can be compared field by field.
  expiry_time: formatTime(Date.UTC(2099, 0, 1)),
});

interface Snapshot {
  wpd: unknown;
  deployedRegions: unknown;
  ledger: unknown;
  functions: Record<string, string[]>;
  staged: boolean;
}

async function snapshot(container: CaribouContainer, home: string): Promise<Snapshot> {
  const store = container.get<KeyValueStore>(TOKENS.KeyValueStore);
  const platform = container.get<FunctionPlatform>(TOKENS.FunctionPlatform);
  const resources = JSON.parse((await store.get(Tables.deploymentResources, WF))!) as { deployed_regions: string };
  const ledger = JSON.parse((await store.get(Tables.resourceLedger, WF))!) as { resources: Array<{ name: string }> };
  const functions: Record<string, string[]> = {};
  for (const region of ['us-east-1', 'us-west-2', 'ca-central-1']) {
    functions[region] = await platform.list({ provider: 'local', region });
    // No half-copied or duplicate directories on disk either.
    const dir = join(home, 'functions', region);
    expect(readdirSync(dir, { withFileTypes: true }).map((d) => d.name).sort()).toEqual([...functions[region]!].sort());
  }
  return {
    wpd: JSON.parse((await store.get(Tables.workflowPlacementDecision, WF))!),
    deployedRegions: JSON.parse(resources.deployed_regions),
    ledger: { ...ledger, resources: [...ledger.resources].sort((a, b) => a.name.localeCompare(b.name)) },
    functions,
    staged: await store.has(Tables.workflowPlacementSolverStagingArea, WF),
  };
}

async function deployAndStage(): Promise<{ container: CaribouContainer; home: string }> {
  const home = mkdtempSync(join(tmpdir(), 'caribou-migrate-'));
  const container = await createContainer('local', { ...process.env, CARIBOU_HOME: home, CARIBOU_LOCAL_EXECUTOR: 'thread' });
  const project = await new FileSystemProjectLoader().load(EXAMPLE);
  await container.get<DeployWorkflowService>(SERVICES.Deploy).deploy(project);
  await container.get<KeyValueStore>(TOKENS.KeyValueStore).put(Tables.workflowPlacementSolverStagingArea, WF, JSON.stringify(stagedPlan()));
  return { container, home };
}

class InjectedCrash extends Error {}

describe('run_deployment_migrator on the local provider', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });
  const track = (c: { container: CaribouContainer; home: string }) => {
    cleanups.push(async () => {
      await c.container.close();
      rmSync(c.home, { recursive: true, force: true });
    });
    return c;
  };

  let reference: Snapshot;
  const stepIds: string[] = [];

  it('copies, publishes and deletes the staged plan; the next runs execute where the plan says', async () => {
    const { container, home } = track(await deployAndStage());
    const migrator = container.get<MigrateDeploymentsService>(SERVICES.Migrate);
    const dry = await migrator.migrate({ dryRun: true });
    expect(dry[0]!.actions.map((a) => a.kind)).toEqual(['copy-function', 'copy-function', 'copy-function', 'copy-function', 'publish-plan']);
    const [report] = await migrator.migrate({ afterStep: (id) => void stepIds.push(id) });
    expect(report!.applied).toBe(true);
    reference = await snapshot(container, home);
    expect(reference.staged).toBe(false);
    expect(reference.functions['ca-central-1']!.sort()).toEqual([
      'small_sync_example-0_0_1-initial_function_local-ca-central-1',
      'small_sync_example-0_0_1-secondSyncFunction_local-ca-central-1',
      'small_sync_example-0_0_1-syncFunction_local-ca-central-1',
    ]);
    expect(reference.functions['us-west-2']).toEqual(['small_sync_example-0_0_1-syncFunction_local-us-west-2']);
    const plan = parsePlacementDecision(JSON.stringify(reference.wpd), WF).workflow_placement.current_deployment!;
    expect(plan.time_keys).toEqual(['0', '12']);

    const runner = container.get<RunWorkflowService>(SERVICES.Run);
    const tracker = container.get<RunTracker>(SERVICES.RunTracker);
    let planned = 0;
    for (let i = 0; i < 20; i++) {
      const started = await runner.run(WF, JSON.stringify({ execute_1: true, execute_2: true, execute_3: true }));
      const { executions, failed } = await tracker.waitForRun(started.runId);
      expect(failed).toBe(false);
      const expected = started.sentToHomeRegion ? null : stagedPlan().time_keys_to_staging_area_data[started.timeKey]!;
      if (expected) planned += 1;
      for (const execution of executions) {
        const region = expected ? `local:${expected[execution.instance_name]!.provider_region.region}` : 'local:us-east-1';
        expect(execution.region, `${execution.instance_name} in run ${started.runId} (time key ${started.timeKey})`).toBe(region);
      }
    }
    expect(planned).toBeGreaterThan(0);
  }, 120_000);

  it('a crash after any step, then a rerun, ends in the same state as an uninterrupted migration', async () => {
    expect(stepIds.length).toBeGreaterThanOrEqual(5);
    for (const crashAfter of stepIds) {
      const { container, home } = track(await deployAndStage());
      const migrator = container.get<MigrateDeploymentsService>(SERVICES.Migrate);
      await expect(
        migrator.migrate({
          afterStep: (id) => {
            if (id === crashAfter) throw new InjectedCrash(`crash after ${id}`);
          },
        }),
      ).rejects.toThrow(InjectedCrash);
      const resumed = await migrator.migrate();
      if (crashAfter === 'delete-staging') expect(resumed).toEqual([]);
      expect(await snapshot(container, home), `crash after ${crashAfter}`).toEqual(reference);
    }
  }, 240_000);

  it('an expired staged plan is discarded, not copied; a plan naming unknown instances is refused in one line', async () => {
    const { container, home } = track(await deployAndStage());
    const store = container.get<KeyValueStore>(TOKENS.KeyValueStore);
    const migrator = container.get<MigrateDeploymentsService>(SERVICES.Migrate);
    await store.put(Tables.workflowPlacementSolverStagingArea, WF, JSON.stringify({ ...stagedPlan(), expiry_time: formatTime(Date.UTC(2020, 0, 1)) }));
    expect(await migrator.migrate()).toEqual([{ workflowId: WF, actions: [], applied: false }]);
    expect(await store.has(Tables.workflowPlacementSolverStagingArea, WF)).toBe(false);
    expect(readdirSync(join(home, 'functions'))).toEqual(['us-east-1']);

    const unknown = stagedPlan();
    unknown.time_keys_to_staging_area_data['0']!['small_sync_example-0_0_1-gone:sync:'] = at('us-west-1');
    await store.put(Tables.workflowPlacementSolverStagingArea, WF, JSON.stringify(unknown));
    await expect(migrator.migrate()).rejects.toThrow(/places small_sync_example-0_0_1-gone:sync: \(time key 0\), which the deployed workflow does not have/);
    expect(readdirSync(join(home, 'functions'))).toEqual(['us-east-1']);
  });

  it('a copy the new plan drops is kept for the grace period (timeout 60 s × 20 hops), then a later run retires it (injected clock)', async () => {
    const { container, home } = track(await deployAndStage());
    const store = container.get<KeyValueStore>(TOKENS.KeyValueStore);
    const platform = container.get<FunctionPlatform>(TOKENS.FunctionPlatform);
    const clock = new FixedClock(Date.UTC(2026, 11, 7, 12));
    const migrator = new MigrateDeploymentsService({
      store,
      platform,
      identity: container.get(TOKENS.IdentityManager),
      copier: container.get(TOKENS.ArtifactCopier),
      syncStores: container.get(TOKENS.SyncStoreProvider),
      progress: container.get(TOKENS.ProgressReporter),
      clock,
    });
    await migrator.migrate();
    const west = { provider: 'local', region: 'us-west-2' };
    const westSync = 'small_sync_example-0_0_1-syncFunction_local-us-west-2';
    expect(await platform.list(west)).toEqual([westSync]);

    // The next plan keeps everything in Canada: nothing uses the us-west-2 copy any more.
    const canada = stagedPlan();
    canada.time_keys_to_staging_area_data = { '0': canada.time_keys_to_staging_area_data['12']! };
    await store.put(Tables.workflowPlacementSolverStagingArea, WF, JSON.stringify(canada));
    const publishedAt = clock.nowMs;
    const [report] = await migrator.migrate();
    const retireAfter = formatTime(publishedAt + 60 * 20 * 1000);
    expect(report!.actions.filter((a) => a.kind === 'drain-function' || a.kind === 'retire-function')).toEqual([
      { kind: 'drain-function', functionName: westSync, region: west, retireAfter },
    ]);
    expect(await platform.list(west)).toEqual([westSync]);
    expect(await migrator.workflowsToMigrate()).toEqual([WF]);

    // Half-way through the grace period a run of the migrator (no staged plan) keeps it.
    clock.nowMs = publishedAt + 10 * 60 * 1000;
    expect(await migrator.migrate()).toEqual([]);
    expect(await migrator.migrate({ workflowId: WF, dryRun: true })).toEqual([
      { workflowId: WF, actions: [{ kind: 'drain-function', functionName: westSync, region: west, retireAfter }], applied: false },
    ]);
    expect(await platform.list(west)).toEqual([westSync]);

    // Once it is over, the next run retires it: the function, its role, its ledger entries and its record.
    clock.nowMs = publishedAt + 20 * 60 * 1000;
    expect(await migrator.migrate()).toEqual([{ workflowId: WF, actions: [{ kind: 'retire-function', functionName: westSync, region: west }], applied: true }]);
    expect(await platform.list(west)).toEqual([]);
    expect(readdirSync(join(home, 'functions', 'us-west-2'))).toEqual([]);
    const resources = JSON.parse((await store.get(Tables.deploymentResources, WF))!) as { deployed_regions: string; retiring_copies: string };
    expect(Object.keys(JSON.parse(resources.deployed_regions))).not.toContain(westSync);
    expect(JSON.parse(resources.retiring_copies)).toEqual({});
    const ledger = JSON.parse((await store.get(Tables.resourceLedger, WF))!) as { resources: Array<{ name: string }> };
    expect(ledger.resources.map((r) => r.name).filter((name) => name.includes('us-west-2'))).toEqual([]);
    expect(await migrator.workflowsToMigrate()).toEqual([]);
    expect(await migrator.migrate()).toEqual([]);
  });

  it('teardown_framework also removes what an interrupted deploy created (known only to the ledger), and the timers', async () => {
    const { container, home } = track(await deployAndStage());
    await container.get(SERVICES.Timers).setup(() => undefined);
    const store = container.get<KeyValueStore>(TOKENS.KeyValueStore);
    // As if the deploy had stopped before registering the workflow.
    await store.delete(Tables.deploymentManagerResource, WF);
    const report = await container.get<FrameworkService>(SERVICES.Framework).teardown(() => undefined);
    expect(report.failures).toEqual([]);
    expect(report.workflowsRemoved).toEqual([WF]);
    const platform = container.get<FunctionPlatform>(TOKENS.FunctionPlatform);
    expect(await platform.list({ provider: 'local', region: 'us-east-1' })).toEqual([]);
    expect(readdirSync(join(home, 'functions', 'us-east-1'))).toEqual([]);
    // caribou serve has nothing left to run.
    expect((await container.get(SERVICES.Timers).list()).map((timer) => timer.expression)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});

