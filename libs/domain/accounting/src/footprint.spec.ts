import { describe, expect, it } from 'vitest';
import { accountRun } from './footprint';
import { A, at, B, C, CANADA, contextFor, HOME, KIB, records, runLog, S } from './testing/fixture';

/** Agreement to 6 significant digits (the hand-computed figures below are rounded there). */
function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected) / Math.abs(expected), `${actual} vs ${expected}`).toBeLessThan(5e-6);
}

const exec = (instance: string, region: string, duration: number, utilization: number, extra: object = {}) => ({
  instance_name: instance,
  duration_s: duration,
  provider_region: region,
  data_transfer_during_execution_gb: 0,
  cpu_utilization: utilization,
  ...extra,
});

describe('accounting of one synced run, against hand-computed figures', () => {
  it('one execution at home at 12:00 UTC: energy × PUE × that hour\'s intensity, plus the client\'s bytes', () => {
    const [run] = records(runLog('r1', { start_time: at(12, 30), execution_data: [exec(A, HOME, 1.0, 0.5)] }));
    const account = accountRun(run!, contextFor([run!]));
    // A: 1024 MB = 0.578858 vCPU; P_cpu(0.5) = 0.00212 kW; (0.00212·0.578858 + 0.0003725·1)·1 s / 3600
    //  = 4.44355e-7 kWh (reference-solver §11) × 1.11 × 350 g/kWh (us-east-1 at 12:00) = 1.72632e-4 g.
    expectClose(account.measured.executionCarbonG, 1.72632e-4);
    // Client payload 5 KiB and the placement decision (2 KiB, read by the client) cross the
    // internet: 4.76837e-6 GB · 0.001 kWh/GB · 410 = 1.95503e-6 g; 2 KiB → 7.82013e-7 g.
    expectClose(account.measured.transmissionCarbonG, 1.95503e-6 + 7.82013e-7);
    expectClose(account.measured.carbonG, 1.75369e-4);
    // 1 request 2e-7 + 1 GB × 1 s × 1.66667e-5 + 1 read unit in us-west-2 × 2.5e-7; no transfer.
    expect(account.measured.cost.requests).toBeCloseTo(2e-7, 15);
    expectClose(account.measured.cost.compute, 1.66667e-5);
    expectClose(account.measured.cost.dynamodb, 2.5e-7);
    expect(account.measured.cost.transfer).toBe(0);
    expectClose(account.measured.costUsd, 1.71167e-5);
    // End to end: the client's 0.1 s to the entry point plus the run's 1 s.
    expect(account.runtimeS).toBeCloseTo(1.1, 12);
    expect(account.measured.carbonByInstance.get(A)).toBeCloseTo(1.72632e-4 + 1.95503e-6, 9);
  });

  it('the same execution at another hour uses that hour\'s intensity (400 g/kWh at 03:00)', () => {
    const [run] = records(runLog('r1', { start_time: at(3), execution_data: [exec(A, HOME, 1.0, 0.5)] }));
    expectClose(accountRun(run!, contextFor([run!])).measured.executionCarbonG, 4.44355e-7 * 1.11 * 400);
  });

  it('a run at home (the control group): the all-home counterfactual is the measurement itself', () => {
    const [run] = records(
      runLog('home', {
        start_time: at(12),
        execution_data: [exec(A, HOME, 1.0, 0.5), exec(B, HOME, 2.0, 0.8)],
        transmission_data: [{ transmission_size_gb: 100 * KIB, from_instance: A, to_instance: B, from_region: HOME, to_region: HOME, successor_invoked: true }],
      }),
    );
    const account = accountRun(run!, contextFor([run!]));
    expect(account.atHome).toBe(true);
    expect(account.home).toEqual(account.measured);
    expect(account.homeRuntimeEstimateS).toBe(account.runtimeS);
    expect(account.measured.cost.transfer).toBe(0);
  });

  it('a transfer across regions: A at home sends 100 KiB to B in Canada (reference-solver §11 figures)', () => {
    const [run] = records(
      runLog('moved', {
        start_time: at(0),
        execution_data: [exec(A, HOME, 1.0, 0.5), exec(B, CANADA, 2.0, 0.8)],
        transmission_data: [{ transmission_size_gb: 100 * KIB, from_instance: A, to_instance: B, from_region: HOME, to_region: CANADA, successor_invoked: true }],
      }),
    );
    const account = accountRun(run!, contextFor([run!]));
    // B: 2048 MB, util 0.8 → 2.30997e-6 kWh × 1.11 × 40 = 1.02563e-4 g (§11 "exec B (R1)").
    expectClose(account.measured.carbonByInstance.get(B)! - 2.09808e-5, 1.02563e-4);
    // 100 KiB on the route us-east-1 → ca-central-1 at (400 + 40) / 2 = 220 g/kWh: 2.09808e-5 g (§11 "tx B").
    expectClose(account.measured.transmissionCarbonG - 1.95503e-6 - 7.82013e-7, 2.09808e-5);
    // Leaves us-east-1 at 0.02 USD/GB: 9.53674e-5 GB → 1.90735e-6 USD (§11 "egress to R1").
    expectClose(account.measured.cost.transfer, 1.90735e-6);
    // At home, B runs 2.0 s × perf(home) / perf(Canada) = 2.0 / 1.25 = 1.6 s (collected relative
    // performance: no run has B in both regions) at 400 g/kWh; the message stays in us-east-1.
    const bAtHome = ((1.6 * (0.002948 * (2048 / 1769) + 0.0003725 * 2)) / 3600) * 1.11 * 400;
    expectClose(account.home.carbonByInstance.get(B)!, bAtHome + 100 * KIB * 0.001 * 400);
    expectClose(bAtHome, 8.20501e-4);
    expect(account.home.cost.transfer).toBe(0);
    expectClose(account.home.cost.compute, 1.66667e-5 * 1 * 1.0 + 1.66667e-5 * 2 * 1.6);
    expect(account.atHome).toBe(false);
  });

  it('durations are scaled by measured relative performance where the instance ran in both regions', () => {
    const runs = records(
      runLog('moved', { start_time: at(0), execution_data: [exec(A, HOME, 1.0, 0.5), exec(B, CANADA, 2.0, 0.8)] }),
      runLog('home-1', { start_time: at(1), execution_data: [exec(A, HOME, 1.0, 0.5), exec(B, HOME, 1.5, 0.8)] }),
      // A cold start at home is left out of the median when warm samples exist.
      runLog('home-2', { start_time: at(2), execution_data: [exec(A, HOME, 1.0, 0.5), exec(B, HOME, 9.0, 0.8, { cold_start: true })] }),
    );
    const context = contextFor(runs);
    expect(context.toHomeDuration(B, CANADA)).toBeCloseTo(0.75, 12);
    const account = accountRun(runs[0]!, context);
    const bAtHome = ((1.5 * (0.002948 * (2048 / 1769) + 0.0003725 * 2)) / 3600) * 1.11 * 400;
    expectClose(account.home.carbonByInstance.get(B)!, bAtHome);
    // Runtime at home, estimated from durations: 1.1 s × (1.0 + 1.5) / (1.0 + 2.0).
    expect(account.homeRuntimeEstimateS).toBeCloseTo((1.1 * 2.5) / 3, 12);
  });

  it('a fan-in: two uploads into the sync node\'s table in Canada, the last one invokes it', () => {
    const [run] = records(
      runLog('fan-in', {
        start_time: at(0),
        execution_data: [
          exec(A, HOME, 0.5, 0.5),
          exec(B, HOME, 0.5, 0.5, { successor_data: { [S]: { task_type: 'SYNC_UPLOAD_ONLY', consumed_write_capacity: 10 } } }),
          exec(C, HOME, 0.5, 0.5, { successor_data: { [S]: { task_type: 'SYNC_UPLOAD_AND_INVOKE', consumed_write_capacity: 20 } } }),
          exec(S, CANADA, 0.5, 0.5, { additional_analysis_data: { download_size_gb: 30 * KIB, consumed_read_capacity_from_download: 8 } }),
        ],
        transmission_data: [
          { transmission_size_gb: 50 * KIB, from_instance: B, to_instance: S, from_region: HOME, to_region: CANADA, successor_invoked: false, from_direct_successor: true, sync_information: { upload_size_gb: 10 * KIB, consumed_write_capacity: 10, sync_data_response_size_gb: 1 * KIB } },
          { transmission_size_gb: 2 * KIB, from_instance: C, to_instance: S, from_region: HOME, to_region: CANADA, successor_invoked: true, from_direct_successor: true, sync_information: { upload_size_gb: 20 * KIB, consumed_write_capacity: 20, sync_data_response_size_gb: 2 * KIB } },
        ],
      }),
    );
    const account = accountRun(run!, contextFor([run!]));
    const g = (kib: number, intensity: number) => kib * KIB * 0.001 * intensity;
    // Into S: B's upload 10 KiB (B's 50 KiB message was never sent), C's message 2 KiB and
    // upload 20 KiB, all on the 220 g/kWh route; S's own 30 KiB read from its table at 40.
    const execS = ((0.5 * (0.00212 * (1024 / 1769) + 0.0003725)) / 3600) * 1.11 * 40;
    expectClose(account.measured.carbonByInstance.get(S)!, execS + g(32, 220) + g(30, 40));
    // Update responses flow back to B (1 KiB) and C (2 KiB).
    const execC = ((0.5 * (0.00212 * (512 / 1769) + 0.0003725 * 0.5)) / 3600) * 1.11 * 400;
    expectClose(account.measured.carbonByInstance.get(C)!, execC + g(2, 220));
    // DynamoDB: 30 write units in Canada at 1.5e-6, 8 read units there at 3e-7, 1 placement read at 2.5e-7.
    expectClose(account.measured.cost.dynamodb, 30 * 1.5e-6 + 8 * 3e-7 + 2.5e-7);
    // Transfer: 32 KiB leave us-east-1 at 0.02 USD/GB, 3 KiB of responses leave Canada at 0.03.
    expectClose(account.measured.cost.transfer, 32 * KIB * 0.02 + 3 * KIB * 0.03);
    // At home the same operations are priced in us-east-1 and move no bytes between regions.
    expectClose(account.home.cost.dynamodb, 30 * 1.25e-6 + 8 * 2.5e-7 + 2.5e-7);
    expect(account.home.cost.transfer).toBe(0);
    // S at home: 0.5 s × 1 / 1.25 = 0.4 s at 400 g/kWh, and all 62 KiB it received stay in us-east-1.
    const execSAtHome = ((0.4 * (0.00212 * (1024 / 1769) + 0.0003725)) / 3600) * 1.11 * 400;
    expectClose(account.home.carbonByInstance.get(S)!, execSAtHome + g(62, 400));
  });

  it('a notice to a sync node for a skipped successor is counted once, from the caller\'s record', () => {
    const [run] = records(
      runLog('skip', {
        start_time: at(0),
        execution_data: [
          exec(A, HOME, 0.5, 0.5, {
            successor_data: {
              [C]: {
                task_type: 'CONDITIONALLY_NOT_INVOKE',
                consumed_write_capacity: 1,
                sync_info: { [`${C}>${S}`]: { data_transfer_size: 3 * KIB, sync_data_response_size_gb: 4 * KIB, consumed_write_capacity: 1, destination_region: CANADA } },
              },
            },
          }),
          exec(S, CANADA, 0.5, 0.5),
        ],
        transmission_data: [
          // The notice invoked S: its message counts, its sync information is the caller's notice above.
          { transmission_size_gb: 3 * KIB, from_instance: A, to_instance: S, uninvoked_instance: C, from_region: HOME, to_region: CANADA, successor_invoked: true, from_direct_successor: false, sync_information: { consumed_write_capacity: 1, sync_data_response_size_gb: 4 * KIB } },
        ],
      }),
    );
    const account = accountRun(run!, contextFor([run!]));
    expectClose(account.measured.cost.dynamodb, 1 * 1.5e-6 + 2.5e-7);
    expectClose(account.measured.cost.transfer, 3 * KIB * 0.02 + 4 * KIB * 0.03);
  });

  it('a redirected run: the home copy\'s execution and hop exist only as measured, not at home', () => {
    const [run] = records(
      runLog('redirected', {
        start_time: at(0),
        execution_data: [exec(A, CANADA, 1.0, 0.5)],
        transmission_data: [{ transmission_size_gb: 5 * KIB, from_instance: A, to_instance: A, from_region: HOME, to_region: CANADA, successor_invoked: true, redirector_transmission: true }],
        start_hop_info: {
          destination: CANADA,
          data_transfer_size_gb: 5 * KIB,
          workflow_placement_decision: { retrieved_wpd_at_function: true, data_size_gb: 2 * KIB, consumed_read_capacity: 1 },
          redirector_execution_data: { ...exec(A, HOME, 0.1, 0.5), data_transfer_during_execution_gb: 0 },
        },
      }),
    );
    const account = accountRun(run!, contextFor([run!]));
    expect(account.measured.cost.requests).toBeCloseTo(4e-7, 15);
    expect(account.home.cost.requests).toBeCloseTo(2e-7, 15);
    expect(account.placements).toEqual([
      { instance: A, region: HOME },
      { instance: A, region: CANADA },
    ]);
    // Measured: the redirector (0.1 s at home), the entry point in Canada, the client's 5 KiB to
    // the redirector (410), the 5 KiB hop to Canada (220), and the placement decision the
    // redirector read from us-west-2 (300) into us-east-1 (400): 350 g/kWh.
    const g = (kib: number, intensity: number) => kib * KIB * 0.001 * intensity;
    const redirectorExec = ((0.1 * (0.00212 * (1024 / 1769) + 0.0003725)) / 3600) * 1.11 * 400;
    const entryExec = ((1.0 * (0.00212 * (1024 / 1769) + 0.0003725)) / 3600) * 1.11 * 40;
    expectClose(account.measured.carbonG, redirectorExec + entryExec + g(5, 410) + g(5, 220) + g(2, 350));
    expectClose(account.measured.cost.transfer, 5 * KIB * 0.02 + 2 * KIB * 0.02);
    // At home there is no redirector and no hop: the entry point (1.0 s × 1 / 1.25) reads the
    // placement decision itself and gets the client's bytes directly.
    const entryAtHome = ((0.8 * (0.00212 * (1024 / 1769) + 0.0003725)) / 3600) * 1.11 * 400;
    expectClose(account.home.carbonG, entryAtHome + g(5, 410) + g(2, 350));
    expectClose(account.home.cost.transfer, 2 * KIB * 0.02);
  });
});
