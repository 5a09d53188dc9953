import { describe, expect, it } from 'vitest';
import { CaribouError } from '@caribou/domain-common';
import { buildCarbonReport } from './carbon-report';
import { predictFromPlan, type ActivePlan } from './prediction';
import { readRunRecords } from './run-records';
import { A, at, B, CANADA, contextFor, HOME, KIB, records, runLog, summaryRow } from './testing/fixture';

const exec = (instance: string, region: string, duration: number) => ({
  instance_name: instance,
  duration_s: duration,
  provider_region: region,
  data_transfer_during_execution_gb: 0,
  cpu_utilization: 0.5,
});

/** A → B with B at `regionOfB`, on `day` at `hour`. */
function twoStep(id: string, regionOfB: string, hour: number, day = 7, runtime = 1) {
  return runLog(id, {
    start_time: at(hour, 0, day),
    runtime_s: runtime,
    execution_data: [exec(A, HOME, 1.0), exec(B, regionOfB, 2.0)],
    transmission_data: [{ transmission_size_gb: 100 * KIB, from_instance: A, to_instance: B, from_region: HOME, to_region: regionOfB, successor_invoked: true }],
  });
}

const RUNS = records(
  twoStep('home-1', HOME, 1, 7, 1.0),
  twoStep('moved-1', CANADA, 2, 7, 1.5),
  twoStep('moved-2', CANADA, 3, 8, 2.0),
  twoStep('home-2', HOME, 4, 8, 3.0),
  twoStep('moved-3', CANADA, 5, 9, 4.0),
);

const PLAN: ActivePlan = {
  plan: { '0': { average_carbon: 6, average_cost: 11, tail_runtime: 2.2 }, '12': { average_carbon: 3, average_cost: 10, tail_runtime: 2 } },
  home: { '0': { average_carbon: 10, average_cost: 10, tail_runtime: 2 }, '12': { average_carbon: 10, average_cost: 10, tail_runtime: 2 } },
};

describe('the carbon report of a workflow', () => {
  const { report, details } = buildCarbonReport({ workflowId: 'wf-1.0', runs: RUNS, context: contextFor(RUNS), activePlan: PLAN });

  it('totals are sums over runs; savings follow from measured and the all-home counterfactual', () => {
    expect(report.runs).toBe(5);
    expect(report.runs_at_home).toBe(2);
    expect(report.measured.carbon_g).toBeCloseTo(details.timeline.reduce((s, r) => s + r.carbon_g, 0), 15);
    expect(report.home_counterfactual.carbon_g).toBeCloseTo(details.timeline.reduce((s, r) => s + r.home_carbon_g, 0), 15);
    expect(report.savings.carbon_g).toBeCloseTo(report.home_counterfactual.carbon_g - report.measured.carbon_g, 15);
    expect(report.savings.carbon_pct).toBeCloseTo((report.measured.carbon_g / report.home_counterfactual.carbon_g - 1) * 100, 10);
    expect(report.savings.carbon_pct!).toBeLessThan(0);
    expect(report.savings.cost_pct).toBeCloseTo((report.measured.cost_usd / report.home_counterfactual.cost_usd - 1) * 100, 10);
    expect(details.cost_items.measured.transfer).toBeGreaterThan(0);
    expect(details.cost_items.home.transfer).toBe(0);
  });

  it('runtime: end to end (client latency + span), p50/p95 interpolated; at home from the runs at home', () => {
    // End to end: 1.1, 1.6, 2.1, 3.1, 4.1 s; at home only home-1 and home-2: 1.1 and 3.1 s.
    expect(report.measured.runtime_p50_s).toBeCloseTo(2.1, 12);
    expect(report.measured.runtime_p95_s).toBeCloseTo(3.1 + 0.8 * 1.0, 12);
    expect(report.home_counterfactual.runtime_p50_s).toBeCloseTo(2.1, 12);
    expect(report.home_counterfactual.runtime_p95_s).toBeCloseTo(1.1 + 0.95 * 2.0, 12);
    expect(report.savings.runtime_p95_pct).toBeCloseTo((3.9 / 3.0 - 1) * 100, 10);
    expect(details.home_runtime_source).toBe('runs at home');
  });

  it('by day and by function (where it ran)', () => {
    expect(report.by_day.map((d) => [d.day, d.runs])).toEqual([
      ['2026-12-07', 2],
      ['2026-12-08', 2],
      ['2026-12-09', 1],
    ]);
    expect(report.by_day.reduce((s, d) => s + d.carbon_g, 0)).toBeCloseTo(report.measured.carbon_g, 15);
    expect(report.by_function.map((f) => [f.function, f.regions])).toEqual([
      ['A', { [HOME]: 5 }],
      ['B', { [HOME]: 2, [CANADA]: 3 }],
      ['C', {}],
      ['S', {}],
    ]);
    const b = report.by_function.find((f) => f.function === 'B')!;
    expect(b.carbon_g).toBeLessThan(b.home_carbon_g);
    expect(details.placements_by_hour).toContainEqual({ function: 'B', region: CANADA, hour: 2, runs: 1 });
  });

  it('--since/--until keep runs that started within the bounds (inclusive)', () => {
    const { report: period } = buildCarbonReport({
      workflowId: 'wf-1.0',
      runs: RUNS,
      context: contextFor(RUNS),
      sinceMs: Date.UTC(2026, 11, 8),
      untilMs: Date.UTC(2026, 11, 8, 23, 59, 59, 999),
      activePlan: null,
    });
    expect(period.runs).toBe(2);
    expect(period.period).toEqual({ from: '2026-12-08T00:00:00.000Z', to: '2026-12-08T23:59:59.999Z' });
    expect(period.prediction).toBeNull();
  });

  it('without runs at home, the home runtime comes from durations scaled to home', () => {
    const moved = RUNS.filter((r) => r.runId.startsWith('moved'));
    const { report: onlyMoved, details: d } = buildCarbonReport({ workflowId: 'wf-1.0', runs: moved, context: contextFor(moved), activePlan: null });
    expect(d.home_runtime_source).toBe('scaled durations');
    // B runs 2.0 s in Canada, 1.6 s at home (relative performance 1.25): runtime × 2.6 / 3.0.
    expect(onlyMoved.home_counterfactual.runtime_p50_s).toBeCloseTo(2.1 * (2.6 / 3), 12);
  });

  it('a run naming an instance the deployed workflow lacks is refused with its name', () => {
    const stray = records(runLog('stray', { execution_data: [exec('wf-1_0-Z:entry_point:0', HOME, 1)] }));
    expect(() => buildCarbonReport({ workflowId: 'wf-1.0', runs: stray, context: contextFor(stray), activePlan: null })).toThrow(/stray names instance wf-1_0-Z/);
  });
});

describe('the active plan\'s prediction', () => {
  it('weights each run\'s time key, mixing in the 10 % of runs sent home', () => {
    // Runs at 01:00 (key 0) and 13:00 (key 12): carbon (0.9·6 + 0.1·10 + 0.9·3 + 0.1·10) / 20 − 1.
    const prediction = predictFromPlan(PLAN, [Date.UTC(2026, 11, 7, 1), Date.UTC(2026, 11, 7, 13)])!;
    expect(prediction.carbon_pct).toBeCloseTo(((0.9 * 6 + 1 + 0.9 * 3 + 1) / 20 - 1) * 100, 10);
    expect(prediction.cost_pct).toBeCloseTo(((0.9 * 11 + 1 + 0.9 * 10 + 1) / 20 - 1) * 100, 10);
    expect(prediction.runtime_p95_pct).toBeCloseTo(((0.9 * 2.2 + 0.2 + 0.9 * 2 + 0.2) / 4 - 1) * 100, 10);
  });

  it('runs before the plan was published or after it expired are expected at home', () => {
    const plan = { ...PLAN, publishedAtMs: Date.UTC(2026, 11, 7, 12), expiresAtMs: Date.UTC(2026, 11, 8) };
    const prediction = predictFromPlan(plan, [Date.UTC(2026, 11, 7, 1), Date.UTC(2026, 11, 7, 13), Date.UTC(2026, 11, 9, 13)])!;
    expect(prediction.carbon_pct).toBeCloseTo(((10 + 0.9 * 3 + 1 + 10) / 30 - 1) * 100, 10);
  });

  it('without runs every hour counts once; without home metrics there is no prediction', () => {
    const prediction = predictFromPlan(PLAN, [])!;
    expect(prediction.carbon_pct).toBeCloseTo(((12 * (0.9 * 6 + 1) + 12 * (0.9 * 3 + 1)) / 240 - 1) * 100, 10);
    expect(predictFromPlan({ ...PLAN, home: {} }, [])).toBeNull();
  });

  it('editing what one run measured changes measured, not the prediction', () => {
    const edited = records(
      { ...twoStep('home-1', HOME, 1, 7, 1.0), execution_data: [exec(A, HOME, 1.0), exec(B, HOME, 7.0)] },
      twoStep('moved-1', CANADA, 2, 7, 1.5),
      twoStep('moved-2', CANADA, 3, 8, 2.0),
      twoStep('home-2', HOME, 4, 8, 3.0),
      twoStep('moved-3', CANADA, 5, 9, 4.0),
    );
    const before = buildCarbonReport({ workflowId: 'wf-1.0', runs: RUNS, context: contextFor(RUNS), activePlan: PLAN }).report;
    const after = buildCarbonReport({ workflowId: 'wf-1.0', runs: edited, context: contextFor(edited), activePlan: PLAN }).report;
    expect(after.measured.carbon_g).toBeGreaterThan(before.measured.carbon_g);
    expect(after.prediction).toEqual(before.prediction);
    expect(before.prediction).not.toBeNull();
  });
});

describe('reading synced run records', () => {
  it('a damaged record names its table, key, path and the fix', () => {
    const damaged = summaryRow([{ ...twoStep('r', HOME, 1), execution_data: [{ ...exec(A, HOME, 1), duration_s: 'long' as unknown as number }] }]);
    expect(() => readRunRecords(JSON.stringify(damaged), 'wf-1.0')).toThrow(CaribouError);
    expect(() => readRunRecords(JSON.stringify(damaged), 'wf-1.0')).toThrow(
      /^workflow_summary_table\[wf-1\.0\]\.logs\[0\]\.execution_data\[0\]\.duration_s: invalid input: expected number, received string; run caribou log_sync again/,
    );
    expect(() => readRunRecords('{"logs": [', 'wf-1.0')).toThrow(/workflow_summary_table\[wf-1\.0\] is not JSON/);
    const badTime = summaryRow([{ ...twoStep('r', HOME, 1), start_time: 'yesterday' }]);
    expect(() => readRunRecords(JSON.stringify(badTime), 'wf-1.0')).toThrow(/logs\[0\]\.start_time: 'yesterday' is not a time like/);
    const { provider_region: _dropped, ...withoutRegion } = exec(A, HOME, 1);
    const noRegion = summaryRow([{ ...twoStep('r', HOME, 1), execution_data: [withoutRegion] }]);
    expect(() => readRunRecords(JSON.stringify(noRegion), 'wf-1.0')).toThrow(
      'workflow_summary_table[wf-1.0].logs[0].execution_data[0].provider_region: the region the function ran in is missing; run caribou log_sync again',
    );
  });

  it('an upload that did not invoke sends no message; a notice\'s sync data is not counted twice', () => {
    const [run] = readRunRecords(
      JSON.stringify(
        summaryRow([
          runLog('r', {
            transmission_data: [
              { transmission_size_gb: 1, from_instance: A, to_instance: B, from_region: HOME, to_region: HOME, successor_invoked: false, sync_information: { upload_size_gb: 0.5, consumed_write_capacity: 3, sync_data_response_size_gb: 0.25 } },
              { transmission_size_gb: 2, from_instance: A, to_instance: B, from_region: HOME, to_region: HOME, successor_invoked: true, from_direct_successor: false, sync_information: { consumed_write_capacity: 1, sync_data_response_size_gb: 0.5 } },
            ],
          }),
        ]),
      ),
      'wf-1.0',
    );
    expect(run!.transmissions.map((t) => [t.messageGb, t.uploadGb, t.responseGb, t.writeUnits])).toEqual([
      [0, 0.5, 0.25, 3],
      [2, 0, 0, 0],
    ]);
  });
});
