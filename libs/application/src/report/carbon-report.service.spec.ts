import { describe, expect, it } from 'vitest';
import { CaribouError, Tables } from '@caribou/domain-common';
import { CANADA, HOME, STORED_RUNS, storedRows, summaryRow } from '@caribou/domain-accounting/testing';
import { InMemoryKeyValueStore } from '../testing/in-memory-key-value-store';
import { StoredRowError } from '../stored-rows';
import { CarbonReportService, parseReportBound } from './carbon-report.service';

const WF = 'wf-1.0';

/** A deployed `wf-1.0` with four synced runs (two moved to Canada), collected data and a published plan. */
function world(): { store: InMemoryKeyValueStore; logs: typeof STORED_RUNS } {
  const store = new InMemoryKeyValueStore();
  for (const [table, key, row] of storedRows()) store.seed(table, key, row);
  return { store, logs: STORED_RUNS };
}

describe('CarbonReportService (caribou report) over the stored rows', () => {
  it('reports every synced run, measured against all-home, with the published plan\'s prediction', async () => {
    const { store } = world();
    const { report, notes } = await new CarbonReportService(store).report({ workflowId: WF });
    expect(report.runs).toBe(4);
    expect(report.runs_at_home).toBe(2);
    expect(report.savings.carbon_g).toBeGreaterThan(0);
    expect(report.savings.carbon_pct).toBeCloseTo((report.measured.carbon_g / report.home_counterfactual.carbon_g - 1) * 100, 10);
    // 0.9 × 4 + 0.1 × 10 = 4.6 expected per run against 10 at home.
    expect(report.prediction!.carbon_pct).toBeCloseTo(-54, 10);
    expect(report.by_function.find((f) => f.function === 'B')!.regions).toEqual({ [HOME]: 2, [CANADA]: 2 });
    expect(notes).toEqual([]);
  });

  it('editing one synced run record changes `measured` and not `prediction`', async () => {
    const { store, logs } = world();
    const service = new CarbonReportService(store);
    const before = (await service.report({ workflowId: WF })).report;
    const edited = structuredClone(logs);
    edited[1]!.execution_data[1]!.duration_s = 3.0; // B in Canada ran three times as long
    store.seed(Tables.workflowSummary, WF, summaryRow(edited));
    const after = (await service.report({ workflowId: WF })).report;
    expect(after.measured.carbon_g).toBeGreaterThan(before.measured.carbon_g);
    expect(after.measured.cost_usd).toBeGreaterThan(before.measured.cost_usd);
    expect(after.prediction).toEqual(before.prediction);
    expect(after.runs).toBe(before.runs);
  });

  it('--since/--until select runs by start time; bad bounds name the flag and the fix', async () => {
    const { store } = world();
    const service = new CarbonReportService(store);
    const day8 = (await service.report({ workflowId: WF, since: '2026-12-08', until: '2026-12-08' })).report;
    expect(day8.runs).toBe(2);
    expect(day8.by_day.map((d) => d.day)).toEqual(['2026-12-08']);
    expect((await service.report({ workflowId: WF, until: '2026-12-07T01:30Z' })).report.runs).toBe(1);
    await expect(service.report({ workflowId: WF, since: '2026-13-01' })).rejects.toThrow("--since '2026-13-01' is not a date: use YYYY-MM-DD");
    await expect(service.report({ workflowId: WF, since: '2026-12-09', until: '2026-12-08' })).rejects.toThrow('--since 2026-12-09 is after --until 2026-12-08');
    expect(parseReportBound('2026-12-07T08:00', 'since')).toBe(Date.UTC(2026, 11, 7, 8));
    expect(parseReportBound('2026-12-07', 'until')).toBe(Date.UTC(2026, 11, 8) - 1);
  });

  it('without a deployment, synced runs or a usable plan row it says what to run', async () => {
    const service = new CarbonReportService(new InMemoryKeyValueStore());
    await expect(service.report({ workflowId: WF })).rejects.toThrow(new CaribouError(`No workflow ${WF} is deployed (caribou list shows the deployed workflows)`));
    const { store } = world();
    await store.delete(Tables.workflowSummary, WF);
    await expect(new CarbonReportService(store).report({ workflowId: WF })).rejects.toThrow(`No synced runs of ${WF} yet`);
    const damaged = world().store;
    damaged.seed(Tables.publishedPlan, WF, { time_keys_to_staging_area_data: {}, expiry_time: '2026-12-08 00:00:00,000000+0000', deployment_metrics: { '0': { average_carbon: 'x' } }, home_deployment_metrics: {} });
    await expect(new CarbonReportService(damaged).report({ workflowId: WF })).rejects.toThrow(/^Stored row caribou_published_plan_table\[wf-1\.0\]\.deployment_metrics\.0\.average_\w+ is damaged \(Invalid input/);
  });

  it('a region without collected carbon data is assumed at 410 g/kWh and said so', async () => {
    const { store } = world();
    await store.delete(Tables.carbonRegion, CANADA);
    const { notes } = await new CarbonReportService(store).report({ workflowId: WF });
    expect(notes).toEqual([`no carbon data for ${CANADA}: 410 gCO2e/kWh assumed (run caribou data_collect carbon)`]);
  });
});

describe('CarbonReportService on damaged rows', () => {
  it('a damaged deployed config or region row is one StoredRowError naming table, key and fix', async () => {
    const { store } = world();
    store.seed(Tables.deploymentManagerResource, WF, { workflow_id: WF, workflow_config: '{not json' });
    await expect(new CarbonReportService(store).report({ workflowId: WF })).rejects.toThrow(
      /^Stored row deployment_manager_resource_table\[wf-1\.0\]\.workflow_config is damaged \(not JSON/,
    );
    const second = world().store;
    await second.put(Tables.carbonRegion, CANADA, '[1, 2]');
    await expect(new CarbonReportService(second).report({ workflowId: WF })).rejects.toThrow(StoredRowError);
  });
});
