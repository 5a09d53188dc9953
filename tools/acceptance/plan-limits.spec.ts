import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSystemProjectLoader } from '@caribou/adapter-project';
import type { DeployWorkflowService, MigrateDeploymentsService } from '@caribou/application';
import { createContainer, SERVICES, type CaribouContainer } from '@caribou/cli/composition';
import { MAX_STORED_VALUE_SIZE, Tables, type ProviderRegion } from '@caribou/domain-common';
import { measurePlan } from '@caribou/domain-routing';
import { parsePlacementDecision } from '@caribou/domain-workflow';
import { TOKENS, type KeyValueStore } from '@caribou/ports';
import { crowdWorkflowFunctions, dayPlan, writeWideWorkflowProject } from '../workloads/wide-workflow';

const HOME: ProviderRegion = { provider: 'local', region: 'us-east-1' };
const REGIONS = ['us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'ap-northeast-1'];
const local = (region: string): ProviderRegion => ({ provider: 'local', region });

/**
 * Decisions near the limits, on the local provider: a real workflow of three functions whose
 * call sites make 3,051 instances (start → 50 × fan → 60 × leaf each). Its home decision fits a
 * message (~220 KB), so it deploys and runs; a 24-hour plan that scatters its instances over
 * 11 regions would need a stored row over 400,000 bytes, so the migrator must refuse it.
 */
describe('plans too large to carry or to store are refused', () => {
  let home: string;
  let container: CaribouContainer;
  let store: KeyValueStore;
  const projects: string[] = [];
  const project = (name: string, fans: number) => {
    const dir = mkdtempSync(join(tmpdir(), 'caribou-crowd-'));
    projects.push(dir);
    writeWideWorkflowProject(dir, { functions: 0, name, shape: crowdWorkflowFunctions(fans, 60), home: HOME, regions: REGIONS });
    return new FileSystemProjectLoader().load(dir);
  };

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'caribou-plan-limits-'));
    container = await createContainer('local', { ...process.env, CARIBOU_HOME: home, CARIBOU_LOCAL_EXECUTOR: 'thread' });
    store = container.get<KeyValueStore>(TOKENS.KeyValueStore);
  });

  afterAll(async () => {
    await container.close();
    rmSync(home, { recursive: true, force: true });
    for (const dir of projects) rmSync(dir, { recursive: true, force: true });
  });

  it('the migrator refuses, in one line with the size and the limit, a plan whose decision one row cannot hold; nothing is copied or published', async () => {
    const WF = 'crowd-0.0.1';
    await container.get<DeployWorkflowService>(SERVICES.Deploy).deploy(await project('crowd', 50));
    const rowBefore = (await store.get(Tables.workflowPlacementDecision, WF))!;
    const deployed = parsePlacementDecision(rowBefore, WF);
    expect(Object.keys(deployed.instances)).toHaveLength(3051);
    const staged = dayPlan({ instances: Object.keys(deployed.instances), home: HOME, regions: [HOME, ...REGIONS.map(local)], mode: 'scatter' });
    await store.put(Tables.workflowPlacementSolverStagingArea, WF, JSON.stringify(staged));

    const migrator = container.get<MigrateDeploymentsService>(SERVICES.Migrate);
    const refusal = await migrator.migrate().then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(refusal?.message).toMatch(
      /^Migration failed for crowd-0\.0\.1: The plan staged for crowd-0\.0\.1 is not published: its stored placement decision would be (\d+) bytes, over the 400000-byte limit of a stored row \(a DynamoDB item holds 400 KB\)$/,
    );
    const bytes = Number(/would be (\d+) bytes/.exec(refusal!.message)![1]);
    expect(bytes).toBeGreaterThan(MAX_STORED_VALUE_SIZE);
    // The messages themselves would still fit: it is the row that is too large.
    expect(measurePlan(deployed).largestMessage.bytes).toBeLessThan(256_000);
    // A dry run says the same; nothing was copied, the decision is as deployed, the staged plan is kept.
    await expect(migrator.migrate({ dryRun: true })).rejects.toThrow(/is not published: its stored placement decision would be/);
    expect(readdirSync(join(home, 'functions')).sort()).toEqual(['us-east-1']);
    expect(await store.get(Tables.workflowPlacementDecision, WF)).toBe(rowBefore);
    expect(await store.has(Tables.workflowPlacementSolverStagingArea, WF)).toBe(true);
  }, 240_000);

  it('deploy refuses, before creating anything, a workflow whose runs could not carry its decision', async () => {
    // 60 × 60 call sites: 3,661 instances, ~264 KB of decision in every message.
    await expect(container.get<DeployWorkflowService>(SERVICES.Deploy).deploy(await project('crowd_big', 60))).rejects.toThrow(
      /^Workflow crowd_big-0\.0\.1 cannot be deployed: its placement decision would make every message of a run \d+ bytes before any payload \(the home deployment\), over the 256000-byte message limit$/,
    );
    expect(await store.keys(Tables.resourceLedger)).not.toContain('crowd_big-0.0.1');
    expect(readdirSync(join(home, 'functions', 'us-east-1')).filter((name) => name.startsWith('crowd_big'))).toEqual([]);
  }, 240_000);
});
