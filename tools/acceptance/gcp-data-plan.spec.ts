import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Container, ContainerModule } from 'inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalDatabase, LocalKeyValueStore } from '@caribou/adapter-local';
import { offlineDataModule } from '@caribou/adapter-offline-data';
import { APPLICATION_TOKENS as APP, ManageDeploymentsService, summariseDataCollectReport, type DataCollectReport, type WorkflowCheckReport } from '@caribou/application';
import { applicationModule } from '@caribou/application/module';
import { formatTime, parseTime, Tables } from '@caribou/domain-common';
import { TOKENS, type KeyValueStore, type ProgressReporter } from '@caribou/ports';

/*
 * Issue 21's data and planning for Google Cloud, through the modules both apps compose
 * (offline data for provider gcp + the application services) on a real libsql file — the
 * local provider's store; no gcp control plane is needed to collect and plan:
 *  - data_collect all lists the 40 Cloud Run regions as gcp:<region> with Google's figures;
 *  - a workflow at home in gcp:us-east4 (323 gCO2eq/kWh), allowed in us-east4 and
 *    northamerica-northeast1 (Montréal, 5.48), gets a plan that moves its work to Montréal.
 */

// The worked example of solver spec §11 (the manage_deployments unit tests' fixture), read as a file: it is another project's.
const workedExample = JSON.parse(readFileSync(new URL('../../libs/application/src/manage-deployments/__fixtures__/worked_example.json', import.meta.url), 'utf8')) as {
  workflow_config: unknown;
  tables: { workflow_instance_table: Record<string, unknown> };
};
const NOW = parseTime('2025-01-16 01:00:00,000000+0000');
const WORKFLOW = 'ex-0.0.1';

const quietProgress: ProgressReporter = {
  step: (_title, work) => work(() => undefined),
  info: () => undefined,
  warn: () => undefined,
};

/** The worked example of solver spec §11 moved to Google Cloud: home us-east4, two allowed regions, measured there. */
function gcpWorkflow(): { config: Record<string, unknown>; summary: unknown } {
  const moved = (value: unknown) =>
    JSON.parse(JSON.stringify(value).replaceAll('aws:us-east-1', 'gcp:us-east4').replaceAll('"aws"', '"gcp"').replaceAll('"us-east-1"', '"us-east4"')) as Record<string, unknown>;
  const config = moved(workedExample.workflow_config);
  (config.regions_and_providers as Record<string, unknown>).allowed_regions = [
    { provider: 'gcp', region: 'us-east4' },
    { provider: 'gcp', region: 'northamerica-northeast1' },
  ];
  return { config, summary: moved(workedExample.tables.workflow_instance_table[WORKFLOW]) };
}

describe('Google Cloud regions through the collectors and the solver (offline data, libsql store)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'caribou-gcp-data-'));
  let db: LocalDatabase;
  let store: KeyValueStore;
  let container: Container;
  let report: DataCollectReport;

  beforeAll(async () => {
    db = new LocalDatabase(join(dir, 'local.db'));
    store = new LocalKeyValueStore(db);
    container = new Container();
    container.load(
      new ContainerModule(({ bind }) => {
        bind(TOKENS.KeyValueStore).toConstantValue(store);
        bind(TOKENS.Clock).toConstantValue({ now: () => NOW });
        bind(TOKENS.ProgressReporter).toConstantValue(quietProgress);
      }),
      offlineDataModule({ provider: 'gcp' }),
      applicationModule({ provider: 'gcp' }),
    );
    report = await container.get(APP.DataCollect).collect('all');
  });

  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("data_collect all lists the 40 Cloud Run regions as gcp:<region> with Google's carbon figures", async () => {
    const keys = await store.keys(Tables.availableRegions);
    expect(keys).toHaveLength(40);
    expect(keys.every((key) => key.startsWith('gcp:'))).toBe(true);
    expect(keys).toEqual(expect.arrayContaining(['gcp:us-east4', 'gcp:northamerica-northeast1', 'gcp:us-west1', 'gcp:europe-north1']));
    for (const table of [Tables.providerRegion, Tables.carbonRegion, Tables.performanceRegion]) expect(new Set(await store.keys(table)), table).toEqual(new Set(keys));

    const carbon = (key: string) => store.get(Tables.carbonRegion, key).then((json) => JSON.parse(json!) as { averages: Record<string, { carbon_intensity: number }>; transmission_distances: Record<string, number> });
    expect((await carbon('gcp:us-east4')).averages.overall!.carbon_intensity).toBe(323.05);
    expect((await carbon('gcp:us-east4')).averages['13']!.carbon_intensity).toBe(323.05);
    expect((await carbon('gcp:northamerica-northeast1')).averages.overall!.carbon_intensity).toBe(5.48);
    expect((await carbon('gcp:europe-north1')).averages.overall!.carbon_intensity).toBe(39.32);
    expect((await carbon('gcp:us-east4')).transmission_distances['gcp:northamerica-northeast1']).toBeGreaterThan(700);
    expect((await carbon('gcp:us-east4')).transmission_distances['gcp:northamerica-northeast1']).toBeLessThan(850);

    const available = JSON.parse((await store.get(Tables.availableRegions, 'gcp:northamerica-northeast1'))!) as Record<string, unknown>;
    expect(available).toMatchObject({ provider: 'gcp', code: 'northamerica-northeast1', name: 'Montréal' });
    const prices = JSON.parse((await store.get(Tables.providerRegion, 'gcp:northamerica-northeast1'))!) as { execution_cost: { compute_cost: { x86_64: number } }; available_architectures: string[] };
    expect(prices.available_architectures).toEqual(['x86_64']);
    expect(prices.execution_cost.compute_cost.x86_64).toBeCloseTo(0.583 * 0.0000336 + 0.0000035, 15);
    const latency = JSON.parse((await store.get(Tables.performanceRegion, 'gcp:us-east4'))!) as { transmission_latency: Record<string, { latency_distribution: number[] }> };
    expect(Object.keys(latency.transmission_latency)).toHaveLength(40);

    const summary = summariseDataCollectReport(report);
    expect(summary).toContain("Carbon intensity (gcp): 40 regions — 40 Google's 2024 region figures (shipped dataset); no fallbacks needed");
    expect(summary).toContain('Latency (gcp): 40 regions — 40 predicted from distance (fit on the AWS matrix');
    expect(summary).toContain('Regions and prices (gcp): 40 regions — 24 Cloud Run tier 2 prices (shipped dataset), 16 Cloud Run tier 1 prices (shipped dataset)');
    expect(report.collectors.flatMap((collector) => collector.regions.filter((region) => region.fallbacks.length > 0))).toEqual([]);
  });

  it('plans a workflow allowed in us-east4 and northamerica-northeast1 onto northamerica-northeast1', async () => {
    const { config, summary } = gcpWorkflow();
    await store.put(Tables.workflowInstance, WORKFLOW, JSON.stringify(summary));
    await store.put(Tables.deploymentManagerResource, WORKFLOW, JSON.stringify({ workflow_id: WORKFLOW, workflow_config: JSON.stringify(config) }));

    // As the manage_deployments unit tests: the summary is seeded (no runs to sync offline), so nothing refreshes it.
    const manage = new ManageDeploymentsService({ store, clock: { now: () => NOW }, refreshWorkflowSummary: async () => undefined, options: { seed: 7 } });
    const check = await manage.check({ calculator: 'simple' });
    expect(check.checkedAt).toBe(formatTime(NOW));
    const solved = check.workflows[0] as Extract<WorkflowCheckReport, { outcome: 'solved' }>;
    expect(solved.outcome).toBe('solved');
    expect(solved.hoursPlanned.length).toBeGreaterThan(0);
    for (const hour of solved.hoursPlanned) {
      expect(hour.regions).toContain('gcp:northamerica-northeast1');
      expect(hour.regions.every((region) => region === 'gcp:us-east4' || region === 'gcp:northamerica-northeast1')).toBe(true);
      expect(hour.changePercent.carbon).toBeLessThan(-30);
    }
    const staged = JSON.parse((await store.get(Tables.workflowPlacementSolverStagingArea, WORKFLOW))!) as {
      time_keys_to_staging_area_data: Record<string, Record<string, { provider_region: { provider: string; region: string } }>>;
    };
    const placements = Object.values(staged.time_keys_to_staging_area_data).flatMap((hour) => Object.values(hour).map((entry) => entry.provider_region));
    expect(placements).toContainEqual({ provider: 'gcp', region: 'northamerica-northeast1' });
    expect(placements.every((placement) => placement.provider === 'gcp')).toBe(true);
  });
});
