import { describe, expect, it } from 'vitest';
import { summarizeWorkflow } from '../collector/summarize-workflow';
import type { WorkflowInstanceData } from '../collector/instance-data-types';
import { LogAggregator } from '../log-aggregator';
import type { RunLog, WorkflowSummary } from '../summary-types';
import { buildWorkflowSummary, readPreviousSummary } from '../workflow-summary';
import { fixtureA, fixtureACollector, type FixtureFunction } from './fixture-a';
import { fixtureB, IS, IX } from './fixture-b';

/** Object keys that are numbers (bucket keys) compared by value: `9.5367431640625e-06` and `0.0000095367431640625` are one key. */
function byNumber(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(byNumber);
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const asNumber = Number(key);
    result[key.trim() !== '' && Number.isFinite(asNumber) ? String(asNumber) : key] = byNumber(inner);
  }
  return result;
}

/** Runs the syncer over one interval of a fixture (previous data {}), through JSON as the store would. */
function sync(functions: FixtureFunction[], interval: { startMs: number; endMs: number }, workflowId: string, chunkLines?: number) {
  const aggregator = new LogAggregator();
  for (const fn of functions) {
    const context = { region: fn.region, intervalEndUs: interval.endMs * 1000, insights: fn.insights };
    if (chunkLines === undefined) {
      aggregator.addLines(fn.lines, context);
      continue;
    }
    // As log sync streams a function-day: the same lines, a chunk at a time.
    const batch = aggregator.openBatch(context);
    for (let start = 0; start < fn.lines.length; start += chunkLines) batch.add(fn.lines.slice(start, start + chunkLines));
    batch.close();
  }
  const aggregation = aggregator.finish();
  const nowUs = (interval.endMs + 15 * 60_000) * 1000;
  const { summary } = buildWorkflowSummary(readPreviousSummary(undefined, workflowId), aggregation, nowUs, interval.endMs * 1000);
  const stored = JSON.parse(JSON.stringify(summary)) as WorkflowSummary;
  const collected = JSON.parse(JSON.stringify(summarizeWorkflow(stored, workflowId))) as WorkflowInstanceData;
  return { aggregation, stored, collected };
}

/** unique_cpu_models comes from a Python set in the reference: compare it as a set. */
function withCpuModelsSorted(summary: Record<string, unknown>): Record<string, unknown> {
  const logs = (summary['logs'] as RunLog[]).map((log) => ({ ...log, unique_cpu_models: [...log.unique_cpu_models].sort() }));
  return { ...summary, logs };
}

describe('golden fixture A (linear A → B), reference-system §11.3', () => {
  const { aggregation, stored, collected } = sync(fixtureA.functions, fixtureA.interval, fixtureA.workflowId);

  it('reproduces the reference workflow_summary_table value', () => {
    expect(byNumber(withCpuModelsSorted(stored as unknown as Record<string, unknown>))).toEqual(
      byNumber(withCpuModelsSorted(fixtureA.expectedSummary)),
    );
  });

  it('reads every line and skips none', () => {
    expect(aggregation.stats).toMatchObject({ linesRead: 10, caribouLines: 8, reportLines: 2, malformedLines: 0, runsSynced: 1, runsWithColdStart: 0 });
  });

  it('reproduces the reference collector output', () => {
    expect(byNumber(collected.start_hop_summary)).toEqual(byNumber(fixtureACollector.start_hop_summary));
    expect(byNumber(collected.instance_summary)).toEqual(byNumber(fixtureACollector.instance_summary));
    expect(collected.workflow_runtime_samples).toEqual([0.401]);
    expect(collected.daily_invocation_counts).toEqual({ '2024-08-02+0000': 1 });
    expect(collected.daily_user_code_failure_counts).toEqual({});
  });

  it('writes bucket keys as Python float reprs', () => {
    const received = collected.start_hop_summary.from_client.received_region['aws:us-east-1']!;
    expect(Object.keys(received.transfer_size_gb_to_transfer_latencies_s)).toEqual(['9.5367431640625e-06']);
    const at = collected.instance_summary['wf-0_0_1-A:entry_point:0']!.executions!.at_region['aws:us-east-1']!;
    expect(Object.keys(at.auxiliary_data)).toEqual(['0.16']);
  });
});

describe('golden fixture B (conditional skip + sync node), reference-system §11.3', () => {
  const { stored, collected } = sync(fixtureB.functions, fixtureB.interval, fixtureB.workflowId);
  const log = stored.logs[0]!;
  const execution = (name: string) => log.execution_data.find((e) => e.instance_name === name)!;

  it('keeps the run with its runtime', () => {
    expect(stored.logs).toHaveLength(1);
    expect(log.runtime_s).toBe(fixtureB.expected.runtime_s);
    expect(stored.workflow_runtime_samples).toEqual([0.501]);
    expect(stored.last_sync_time).toBe('2024-08-02 11:00:00,000000+0000');
  });

  it('reproduces the entry point execution (skip + sync upload)', () => {
    expect(execution('wf-0_0_1-E:entry_point:0')).toMatchObject(fixtureB.expected.executionE);
    // toMatchObject ignores extra keys: check that the reference's key set is exactly what we wrote.
    expect(Object.keys(execution('wf-0_0_1-E:entry_point:0').successor_data![IX]!).sort()).toEqual(
      Object.keys(fixtureB.expected.executionE.successor_data[IX]).sort(),
    );
    expect(execution('wf-0_0_1-E:entry_point:0').additional_analysis_data).toEqual(fixtureB.expected.executionE.additional_analysis_data);
  });

  it('reproduces the sync node execution', () => {
    expect(execution(IS)).toMatchObject(fixtureB.expected.executionS);
    expect(execution(IS).additional_analysis_data).toEqual(fixtureB.expected.executionS.additional_analysis_data);
  });

  it('emits only the invoked transmission (the un-invoked INVOKING_SYNC_NODE is not one)', () => {
    expect(log.transmission_data).toEqual(fixtureB.expected.transmissions);
  });

  it('reproduces the collector edges', () => {
    const edges = collected.instance_summary['wf-0_0_1-E:entry_point:0']!.to_instance!;
    expect(byNumber(edges[IX])).toEqual(byNumber(fixtureB.expected.toInstanceIX));
    expect(byNumber(edges[IS])).toEqual(byNumber(fixtureB.expected.toInstanceIS));
  });

  it('reproduces the auxiliary row through the index translation', () => {
    const executions = collected.instance_summary['wf-0_0_1-E:entry_point:0']!.executions!;
    const translation = executions.auxiliary_index_translation;
    expect(Object.keys(translation).sort()).toEqual(['data_transfer_during_execution_gb', IS, IX].sort());
    expect(translation['data_transfer_during_execution_gb']).toBe(0);
    const rows = executions.at_region['aws:us-east-1']!.auxiliary_data[fixtureB.expected.auxiliaryE.duration]!;
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row[0]).toBe(fixtureB.expected.auxiliaryE.dataTransfer);
    for (const [instance, time] of Object.entries(fixtureB.expected.auxiliaryE.invocationTimes)) expect(row[translation[instance]!]).toBe(time);
  });
});

describe('golden fixtures streamed a chunk at a time (log sync holds one chunk of a function-day)', () => {
  it.each([1, 2, 3])('stores the same summaries and counts with chunks of %i line(s)', (chunkLines) => {
    for (const fixture of [fixtureA, fixtureB]) {
      const whole = sync(fixture.functions, fixture.interval, fixture.workflowId);
      const chunked = sync(fixture.functions, fixture.interval, fixture.workflowId, chunkLines);
      expect(JSON.stringify(chunked.stored)).toBe(JSON.stringify(whole.stored));
      expect(chunked.aggregation.stats).toEqual(whole.aggregation.stats);
    }
  });
});
