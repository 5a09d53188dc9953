import { describe, expect, it } from 'vitest';
import { formatCaribouLine, formatReportLine, LogMessages } from './log-messages';
import { LogAggregator } from './log-aggregator';
import { parseInsightsRecord } from './platform-metrics';
import { INSTANCE_A, INSTANCE_B, linearRun, US_EAST_1 } from './testing/linear-run';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 7, 2, 10, 0, 0);
const END_US = (T0 + 6 * HOUR) * 1000;

/** Feeds runs as the syncer does: function by function (all of A's lines, then all of B's). */
function aggregate(runs: ReturnType<typeof linearRun>[], options: { insights?: boolean; forgettingNumber?: number; intervalEndUs?: number } = {}) {
  const intervalEndUs = options.intervalEndUs ?? END_US;
  const aggregator = new LogAggregator(options.forgettingNumber === undefined ? {} : { forgettingNumber: options.forgettingNumber });
  const withInsights = options.insights !== false;
  aggregator.addLines(
    runs.flatMap((r) => r.linesA),
    { region: US_EAST_1, intervalEndUs, ...(withInsights && { insights: runs.flatMap((r) => r.insightsA) }) },
  );
  aggregator.addLines(
    runs.flatMap((r) => r.linesB),
    { region: US_EAST_1, intervalEndUs, ...(withInsights && { insights: runs.flatMap((r) => r.insightsB) }) },
  );
  return { aggregator, result: aggregator.finish() };
}

describe('LogAggregator: reference behaviour', () => {
  it('any [CARIBOU] line opens a sample for its run holding its request id', () => {
    const aggregator = new LogAggregator();
    aggregator.addLines(
      [
        '[CARIBOU]\t2024-08-02T16:43:12.323Z\t366b3663-2679-447c-86a0-ea2d8df06bcf\tTIME (2024-08-02 16:43:12,323041+0000) RUN_ID (5f627048-fbc7-4a6f-9eee-309de1ea852a) MESSAGE (WPD_OVERRIDE: …) LOG_VERSION (0.0.4)',
      ],
      { region: US_EAST_1, intervalEndUs: END_US },
    );
    const sample = aggregator.sample('5f627048-fbc7-4a6f-9eee-309de1ea852a');
    expect(sample).toBeDefined();
    expect([...sample!.requestIds]).toEqual(['366b3663-2679-447c-86a0-ea2d8df06bcf']);
    expect(aggregator.finish().stats).toMatchObject({ untrackedMessages: 1, runsIncomplete: 1, runsSynced: 0 });
  });

  it('emits complete runs oldest first, whatever the order of their lines', () => {
    const runs = [linearRun({ runId: 'late', startMs: T0 + 2 * HOUR }), linearRun({ runId: 'early', startMs: T0 })];
    const { result } = aggregate(runs);
    expect(result.logs.map((l) => l.run_id)).toEqual(['early', 'late']);
    expect(result.dailyInvocationCounts).toEqual({ '2024-08-02+0000': 2 });
  });

  it('a run whose callee never logged is incomplete and left out', () => {
    const run = linearRun({ runId: 'r', startMs: T0 });
    const aggregator = new LogAggregator();
    aggregator.addLines(run.linesA, { region: US_EAST_1, intervalEndUs: END_US });
    const result = aggregator.finish();
    expect(result.logs).toEqual([]);
    expect(result.stats.runsIncomplete).toBe(1);
    // It still started in this sync, so it counts as an invocation.
    expect(result.dailyInvocationCounts).toEqual({ '2024-08-02+0000': 1 });
  });

  it('an entry point logged at or after the interval end belongs to the next sync', () => {
    const run = linearRun({ runId: 'r', startMs: T0 });
    const aggregator = new LogAggregator();
    aggregator.addLines(run.linesA, { region: US_EAST_1, intervalEndUs: T0 * 1000 });
    aggregator.addLines(run.linesB, { region: US_EAST_1, intervalEndUs: T0 * 1000 });
    expect(aggregator.finish().logs).toEqual([]);
  });

  it('user code that raised: the run is a failure on the day it started, not a sample', () => {
    const { result } = aggregate([linearRun({ runId: 'ok', startMs: T0 }), linearRun({ runId: 'bad', startMs: T0, failB: true })]);
    expect(result.logs.map((l) => l.run_id)).toEqual(['ok']);
    expect(result.dailyFailureCounts).toEqual({ '2024-08-02+0000': 1 });
    expect(result.dailyInvocationCounts).toEqual({ '2024-08-02+0000': 2 });
    expect(result.stats.runsFailed).toBe(1);
  });

  it('a request id reported twice (a retried invocation) leaves its run out', () => {
    const run = linearRun({ runId: 'r', startMs: T0 });
    run.linesB.push(formatReportLine({ requestId: 'r-b', durationMs: 300, memorySizeMb: 1769, maxMemoryUsedMb: 1 }));
    const { result } = aggregate([run, linearRun({ runId: 'other', startMs: T0 })]);
    expect(result.logs.map((l) => l.run_id)).toEqual(['other']);
    expect(result.stats.runsWithDuplicateInvocations).toBe(1);
  });

  it('an instance that ran under two request ids leaves its run out', () => {
    const run = linearRun({ runId: 'r', startMs: T0 });
    run.linesB.push(
      formatCaribouLine(T0 + 500, 'r-b-again', 'r', LogMessages.executed({ instance: INSTANCE_B, userExecutionTimeS: 0.2, totalExecutionTimeS: 0.2 })),
    );
    const { result } = aggregate([run]);
    expect(result.logs).toEqual([]);
    expect(result.stats.runsWithDuplicateInvocations).toBe(1);
  });

  it('collects at most forgettingNumber runs per sync; later runs are still counted per day', () => {
    const runs = Array.from({ length: 5 }, (_, i) => linearRun({ runId: `r${i}`, startMs: T0 + i * 1000 }));
    const { result } = aggregate(runs, { forgettingNumber: 3 });
    expect(result.logs.map((l) => l.run_id)).toEqual(['r0', 'r1', 'r2']);
    expect(result.stats.runsBeyondSampleLimit).toBe(2);
    expect(result.dailyInvocationCounts).toEqual({ '2024-08-02+0000': 5 });
  });

  it('beyond the limit a run is only counted: its start and failure lines are read, the rest not parsed', () => {
    const runs = [linearRun({ runId: 'kept', startMs: T0 }), linearRun({ runId: 'late', startMs: T0 + 1000 }), linearRun({ runId: 'late-fail', startMs: T0 + 2000, failB: true })];
    runs[1]!.linesB[1] = runs[1]!.linesB[1]!.replace('USER_EXECUTION_TIME (0.2)', 'USER_EXECUTION_TIME (garbled)');
    const { aggregator, result } = aggregate(runs, { forgettingNumber: 1 });
    expect(aggregator.isCollecting('kept')).toBe(true);
    expect(aggregator.isCollecting('late')).toBe(false);
    expect(result.logs.map((l) => l.run_id)).toEqual(['kept']);
    expect(result.dailyInvocationCounts).toEqual({ '2024-08-02+0000': 3 });
    expect(result.dailyFailureCounts).toEqual({ '2024-08-02+0000': 1 });
    expect(result.stats).toMatchObject({ linesRead: 31, malformedLines: 0, runsBeyondSampleLimit: 1, runsFailed: 1 });
  });

  it('a REPORT line read before its EXECUTED line (same batch) still joins it', () => {
    const run = linearRun({ runId: 'r', startMs: T0 });
    const report = run.linesB.pop()!;
    run.linesB.unshift(report);
    const { result } = aggregate([run], { insights: false });
    expect(result.logs[0]!.execution_data.find((e) => e.instance_name === INSTANCE_B)!.duration_s).toBe(0.21);
  });

  it('Insights records serve their own batch only, as in the reference', () => {
    const run = linearRun({ runId: 'r', startMs: T0 });
    const aggregator = new LogAggregator();
    aggregator.addLines(run.linesA, { region: US_EAST_1, intervalEndUs: END_US, insights: run.insightsB });
    aggregator.addLines(run.linesB, { region: US_EAST_1, intervalEndUs: END_US, insights: run.insightsA });
    const executions = aggregator.finish().logs[0]!.execution_data;
    // Without their Insights, both fall back to the REPORT lines: no CPU utilisation.
    expect(executions.every((e) => e.cpu_utilization === undefined)).toBe(true);
  });

  it('joins Insights by request id with ms → s; a record that is not JSON is counted and skipped', () => {
    expect(parseInsightsRecord(JSON.stringify({ request_id: 'r', duration: 100, cpu_total_time: 5, total_memory: 1769, total_network: 10, cold_start: false }))).toEqual({
      requestId: 'r',
      metrics: { durationS: 0.1, cpuTotalTimeS: 0.005, totalMemoryMb: 1769, totalNetworkBytes: 10, coldStart: false },
    });
    const aggregator = new LogAggregator();
    aggregator.addLines([], { region: US_EAST_1, intervalEndUs: END_US, insights: ['{not json', JSON.stringify({ message: 'no request id: not a per-invocation record' })] });
    expect(aggregator.finish().stats).toMatchObject({ insightsRecords: 0, malformedInsightsRecords: 1 });
  });
});

describe('LogAggregator: deviations (DESIGN.md §4 items 5–6, spec §12.2 #9 and #14)', () => {
  it('a malformed line is counted and skipped; its run is left out, the sync goes on', () => {
    const damaged = linearRun({ runId: 'damaged', startMs: T0 });
    damaged.linesB[1] = damaged.linesB[1]!.replace('USER_EXECUTION_TIME (0.2)', 'USER_EXECUTION_TIME (two hundred ms)');
    const healthy = linearRun({ runId: 'healthy', startMs: T0 + 1000 });
    healthy.linesA.push('[CARIBOU]\tgarbage without any structure');
    healthy.linesA.push(healthy.linesA[0]!.replace(/TIME \([^)]*\)/, 'TIME (not a time)').replace('RUN_ID (healthy)', 'RUN_ID (third)'));
    const { result } = aggregate([damaged, healthy]);
    expect(result.logs.map((l) => l.run_id)).toEqual(['healthy']);
    expect(result.stats.malformedLines).toBe(3);
    expect(result.stats.malformedExamples).toEqual([
      'RUN_ID is missing',
      "TIME 'not a time' is not %Y-%m-%d %H:%M:%S,%f%z",
      "field USER_EXECUTION_TIME is not a number: 'two hundred ms'",
    ]);
    expect(result.stats.runsWithMalformedLines).toBe(2);
    // The damaged run still started (its entry point line was fine): it counts as an invocation.
    expect(result.dailyInvocationCounts).toEqual({ '2024-08-02+0000': 2 });
  });

  it('a run that met a cold start is kept, its execution flagged', () => {
    const { result } = aggregate([linearRun({ runId: 'cold', startMs: T0, coldStartB: true }), linearRun({ runId: 'warm', startMs: T0 + 1 })]);
    expect(result.logs.map((l) => l.run_id)).toEqual(['cold', 'warm']);
    const cold = result.logs[0]!.execution_data;
    expect(cold.find((e) => e.instance_name === INSTANCE_B)!.cold_start).toBe(true);
    expect(cold.find((e) => e.instance_name === INSTANCE_A)!.cold_start).toBeUndefined();
    expect(result.logs[1]!.execution_data.every((e) => e.cold_start === undefined)).toBe(true);
    expect(result.stats.runsWithColdStart).toBe(1);
  });

  it('Insights cold_start also flags the execution', () => {
    const run = linearRun({ runId: 'cold', startMs: T0 });
    run.insightsA = [JSON.stringify({ request_id: 'cold-a', duration: 160, cpu_total_time: 80, total_memory: 1769, total_network: 4096, cold_start: true })];
    const { result } = aggregate([run]);
    expect(result.logs[0]!.execution_data.find((e) => e.instance_name === INSTANCE_A)!.cold_start).toBe(true);
  });

  it('without Insights the REPORT line gives duration and memory; CPU utilisation is left out', () => {
    const { result } = aggregate([linearRun({ runId: 'r', startMs: T0 })], { insights: false });
    expect(result.logs).toHaveLength(1);
    const a = result.logs[0]!.execution_data.find((e) => e.instance_name === INSTANCE_A)!;
    expect(a.duration_s).toBe(0.16);
    expect(a).not.toHaveProperty('cpu_utilization');
    expect(a.data_transfer_during_execution_gb).toBe(0);
  });

  it('without Insights nor REPORT the run still counts, with the logged durations', () => {
    const run = linearRun({ runId: 'r', startMs: T0 });
    run.linesA = run.linesA.filter((l) => !l.startsWith('REPORT'));
    run.linesB = run.linesB.filter((l) => !l.startsWith('REPORT'));
    const { result } = aggregate([run], { insights: false });
    expect(result.logs[0]!.execution_data.map((e) => e.duration_s)).toEqual([0.15, 0.2]);
  });

  it('a REPORT line read in a later interval still joins its execution', () => {
    const run = linearRun({ runId: 'r', startMs: T0 });
    const aggregator = new LogAggregator();
    aggregator.addLines(run.linesA.slice(0, -1), { region: US_EAST_1, intervalEndUs: END_US });
    aggregator.addLines(run.linesB, { region: US_EAST_1, intervalEndUs: END_US });
    aggregator.addLines(run.linesA.slice(-1), { region: US_EAST_1, intervalEndUs: END_US + 1 });
    const a = aggregator.finish().logs[0]!.execution_data[0]!;
    expect(a.instance_name).toBe(INSTANCE_A);
    expect(a.duration_s).toBe(0.16);
  });

  it('a run spanning midnight counts once, on the day it started', () => {
    const start = Date.UTC(2024, 7, 2, 23, 59, 59, 900);
    const { result } = aggregate([linearRun({ runId: 'midnight', startMs: start })], { intervalEndUs: (start + HOUR) * 1000 });
    // The reference counted it on 2024-08-02 and again on 2024-08-03, where B logged.
    expect(result.dailyInvocationCounts).toEqual({ '2024-08-02+0000': 1 });
    expect(result.logs).toHaveLength(1);
  });

  it('a run whose start was synced before (only later lines in this sync) is not counted again', () => {
    const run = linearRun({ runId: 'tail', startMs: T0 });
    const aggregator = new LogAggregator();
    aggregator.addLines(run.linesB, { region: US_EAST_1, intervalEndUs: END_US });
    const result = aggregator.finish();
    expect(result.dailyInvocationCounts).toEqual({});
    expect(result.stats.runsIncomplete).toBe(1);
  });
});

describe('LogAggregator: redirected runs', () => {
  const CA = { provider: 'aws', region: 'ca-central-1' };
  const redirectorLines = [
    formatCaribouLine(T0, 'rR', 'run', LogMessages.retrieveWpd({ sendToHome: false, timeKey: '0', wpdSizeGb: 2e-6, consumedReadCapacity: 1, timeFromFunctionStartS: 0.01 })),
    formatCaribouLine(
      T0,
      'rR',
      'run',
      LogMessages.redirect({
        instance: INSTANCE_A,
        fromRegion: 'us-east-1',
        fromProvider: 'aws',
        toRegion: 'ca-central-1',
        toProvider: 'aws',
        workflowId: 'wf-0.0.1',
        inputPayloadSizeGb: 1e-6,
        outputPayloadSizeGb: 4e-6,
        identifier: 'fn',
        taint: 'tr',
        hops: 0,
        invocationTimeFromFunctionStartS: 0.02,
        finishTimeFromInvocationStartS: 0.03,
        initLatencyFromClientS: 0.3,
      }),
    ),
    formatCaribouLine(T0 + 60, 'rR', 'run', LogMessages.usedCpuModel({ cpuModel: 'cpuR', instance: INSTANCE_A, fromRedirector: true })),
    formatReportLine({ requestId: 'rR', durationMs: 60, memorySizeMb: 1769, maxMemoryUsedMb: 1 }),
  ];
  const entryLines = [
    formatCaribouLine(
      T0 + 100,
      'rE',
      'run',
      LogMessages.entryPoint({
        instance: INSTANCE_A,
        workflowId: 'wf-0.0.1',
        userPayloadSizeGb: 1e-6,
        redirected: true,
        initLatencyFromClientS: 0.9,
        initLatencyFirstReceivedS: 0.1,
        timeFromFunctionStartS: 0.001,
        requestSource: 'Caribou CLI',
        wpdSizeGb: 2e-6,
        consumedReadCapacity: 1,
      }),
    ),
    formatCaribouLine(T0 + 100, 'rE', 'run', LogMessages.invoked({ instance: INSTANCE_A, taint: 'tr', hops: 1 })),
    formatCaribouLine(T0 + 200, 'rE', 'run', LogMessages.executed({ instance: INSTANCE_A, userExecutionTimeS: 0.1, totalExecutionTimeS: 0.1 })),
    // The runtime always logs the CPU model after EXECUTED; a run without it lost a line.
    formatCaribouLine(T0 + 200, 'rE', 'run', LogMessages.usedCpuModel({ cpuModel: 'cpuE', instance: INSTANCE_A, fromRedirector: false })),
    formatReportLine({ requestId: 'rE', durationMs: 100, memorySizeMb: 1769, maxMemoryUsedMb: 1 }),
  ];

  function run() {
    const aggregator = new LogAggregator();
    aggregator.addLines(redirectorLines, { region: US_EAST_1, intervalEndUs: END_US });
    aggregator.addLines(entryLines, { region: CA, intervalEndUs: END_US });
    return aggregator.finish();
  }

  it('the redirector starts the run and gives the client latency; the entry point gives the destination', () => {
    const result = run();
    expect(result.logs).toHaveLength(1);
    const log = result.logs[0]!;
    expect(log.start_time).toBe('2024-08-02 10:00:00,000000+0000');
    expect(log.runtime_s).toBe(0.2);
    expect(log.start_hop_info).toMatchObject({
      destination: 'aws:ca-central-1',
      latency_from_client_s: 0.3,
      workflow_placement_decision: { data_size_gb: 2e-6, retrieved_wpd_at_function: true },
    });
    expect(result.dailyInvocationCounts).toEqual({ '2024-08-02+0000': 1 });
  });

  it('records the redirector execution, charged with the placement decision it fetched', () => {
    const redirector = run().logs[0]!.start_hop_info.redirector_execution_data!;
    expect(redirector).toMatchObject({
      instance_name: INSTANCE_A,
      provider_region: 'aws:us-east-1',
      cpu_model: 'cpuR',
      duration_s: 0.06,
      successor_data: { [INSTANCE_A]: { task_type: 'REDIRECT_ONLY', invocation_time_from_function_start_s: 0.02 } },
      additional_analysis_data: { input_payload_size_gb: 1e-6, total_input_data_transfer_gb: 2e-6, total_output_data_transfer_gb: 4e-6 },
    });
  });

  it('the entry point received the redirected payload, over a redirector transmission', () => {
    const log = run().logs[0]!;
    expect(log.execution_data).toHaveLength(1);
    expect(log.execution_data[0]!.additional_analysis_data!.input_payload_size_gb).toBe(4e-6);
    expect(log.transmission_data).toEqual([
      {
        transmission_size_gb: 4e-6,
        transmission_latency_s: 0.1,
        from_instance: INSTANCE_A,
        to_instance: INSTANCE_A,
        from_region: 'aws:us-east-1',
        to_region: 'aws:ca-central-1',
        successor_invoked: true,
        from_direct_successor: true,
        redirector_transmission: true,
      },
    ]);
  });
});

describe('LogAggregator: damaged lines invalidate their run (issue 22)', () => {
  const withoutRunId = (line: string) => line.replace(/ RUN_ID \([^)]*\)/, '');

  it.each(['after', 'before'])('a line whose RUN_ID cannot be read leaves its run out through its request id (damaged line read %s the others)', (order) => {
    const damaged = linearRun({ runId: 'damaged', startMs: T0 });
    const clean = linearRun({ runId: 'clean', startMs: T0 + HOUR });
    // B's EXECUTED line loses its run id: without it B looks finished in no run — and the run would look complete minus data.
    const line = withoutRunId(damaged.linesB[1]!);
    damaged.linesB.splice(1, 1, line);
    if (order === 'before') damaged.linesB.unshift(damaged.linesB.splice(1, 1)[0]!);
    const { result } = aggregate([damaged, clean]);
    expect(result.logs.map((l) => l.run_id)).toEqual(['clean']);
    expect(result.stats.malformedLines).toBe(1);
    expect(result.stats.runsWithMalformedLines + result.stats.runsIncomplete).toBe(1);
  });

  it('a transmission whose receiver never logged it leaves the run out (it was dropped silently)', () => {
    const run = linearRun({ runId: 'half', startMs: T0 });
    // B logged everything but the INVOKED line that closes A's transmission.
    run.linesB.splice(0, 1);
    const { result } = aggregate([run]);
    expect(result.logs).toEqual([]);
    expect(result.stats.runsIncomplete).toBe(1);
  });

  it('a transmission whose sender line is missing leaves the run out', () => {
    const run = linearRun({ runId: 'half', startMs: T0 });
    run.linesA.splice(2, 1); // A's INVOKING_SUCCESSOR
    const { result } = aggregate([run]);
    expect(result.logs).toEqual([]);
    expect(result.stats.runsIncomplete).toBe(1);
  });

  it('a line delivered twice leaves its run out (its data would count twice)', () => {
    const run = linearRun({ runId: 'twice', startMs: T0 });
    run.linesA.splice(2, 0, run.linesA[2]!); // INVOKING_SUCCESSOR again: B's input would double
    const { result } = aggregate([run]);
    expect(result.logs).toEqual([]);
    expect(result.stats.runsWithMalformedLines).toBe(1);
  });

  it('both sides of a message lost: the function it started ran but nothing reached it, so the run is out', () => {
    const run = linearRun({ runId: 'both', startMs: T0 });
    run.linesA.splice(2, 1);
    run.linesB.splice(0, 1);
    const { result } = aggregate([run]);
    expect(result.logs).toEqual([]);
    expect(result.stats.runsIncomplete).toBe(1);
  });

  it('a run whose USED_CPU_MODEL line is lost is incomplete', () => {
    const run = linearRun({ runId: 'cpu', startMs: T0 });
    run.linesB = run.linesB.filter((line) => !line.includes('USED_CPU_MODEL'));
    expect(aggregate([run]).result.stats.runsIncomplete).toBe(1);
  });

  it('a REPORT line cut inside a value is malformed (61.00 ms is not read as 6) and its run is left out', () => {
    const run = linearRun({ runId: 'cut', startMs: T0 });
    const report = run.linesB.at(-1)!;
    run.linesB[run.linesB.length - 1] = report.slice(0, report.indexOf('Duration: ') + 'Duration: 2'.length);
    const { result } = aggregate([run]);
    expect(result.logs).toEqual([]);
    expect(result.stats.malformedLines).toBe(1);
  });
});

