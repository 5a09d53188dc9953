import { describe, expect, it } from 'vitest';
import { CombinationCounter, retainLogs } from './retention';
import type { RunLog, TransmissionRecord } from './summary-types';
import { formatTimeMicros } from './time-micros';

const NOW_MS = Date.UTC(2024, 7, 31, 12, 0, 0);
const NOW_US = NOW_MS * 1000;
const HOUR_MS = 3_600_000;

function runLog(runId: string, startMs: number, executions: Array<[string, string]>, transmissions: TransmissionRecord[] = []): RunLog {
  return {
    run_id: runId,
    start_time: formatTimeMicros(startMs * 1000),
    runtime_s: 0.5,
    execution_data: executions.map(([instance_name, provider_region]) => ({
      instance_name,
      provider_region,
      duration_s: 0.1,
      data_transfer_during_execution_gb: 0,
    })),
    transmission_data: transmissions,
    start_hop_info: { workflow_placement_decision: { retrieved_wpd_at_function: false } },
    unique_cpu_models: [],
  };
}

const transmission = (direct: boolean, invoked: boolean): TransmissionRecord => ({
  transmission_size_gb: 1e-6,
  from_instance: 'function1',
  to_instance: 'function2',
  from_region: 'provider1:region1',
  to_region: 'provider1:region2',
  from_direct_successor: direct,
  successor_invoked: invoked,
});

describe('CombinationCounter (reference §11.2 existing-data counters)', () => {
  it('counts an execution combination up by one per run; a new one starts at 1', () => {
    const counter = new CombinationCounter();
    for (let i = 0; i < 5; i++) counter.countNewLog(runLog(`r${i}`, NOW_MS, [['function1', 'provider1:region1']]));
    expect(counter.executionCount('function1', 'provider1:region1')).toBe(5);
    counter.countNewLog(runLog('r5', NOW_MS, [['function1', 'provider1:region1'], ['function2', 'provider1:region2']]));
    expect(counter.executionCount('function1', 'provider1:region1')).toBe(6);
    expect(counter.executionCount('function2', 'provider1:region2')).toBe(1);
  });

  it('counts a transmission only when it is direct and reached its successor; other combinations start at 0', () => {
    const counter = new CombinationCounter();
    counter.countNewLog(runLog('a', NOW_MS, [], [transmission(false, true), transmission(true, false)]));
    expect(counter.transmissionCount('function1', 'function2', 'provider1:region1', 'provider1:region2')).toBe(0);
    counter.countNewLog(runLog('b', NOW_MS, [], [transmission(true, true)]));
    expect(counter.transmissionCount('function1', 'function2', 'provider1:region1', 'provider1:region2')).toBe(1);
  });
});

describe('retainLogs (reference-system §8.6)', () => {
  it('prepends previous runs, newest first, keeping chronological order, and stops at 30 days', () => {
    const previous = [
      runLog('too-old', NOW_MS - 31 * 24 * HOUR_MS, [['f', 'r']]),
      runLog('old', NOW_MS - 29 * 24 * HOUR_MS, [['f', 'r']]),
      runLog('recent', NOW_MS - 2 * HOUR_MS, [['f', 'r']]),
    ];
    const fresh = [runLog('new', NOW_MS - HOUR_MS, [['f', 'r']])];
    const result = retainLogs(fresh, previous, NOW_US);
    expect(result.logs.map((l) => l.run_id)).toEqual(['old', 'recent', 'new']);
    expect(result).toMatchObject({ previousKept: 2, previousDropped: 1, previousKeptForRareCombinations: 0 });
  });

  it('beyond 5000 runs it does not crash and keeps previous runs covering rare combinations', () => {
    const fresh = Array.from({ length: 5000 }, (_, i) =>
      runLog(`new-${i}`, NOW_MS - HOUR_MS + i, [['A', 'aws:us-east-1']], [{ ...transmission(true, true), from_instance: 'A', to_instance: 'B' }]),
    );
    // 30 older runs within 30 days; every third ran A in a rarely used region.
    const previous = Array.from({ length: 30 }, (_, i) =>
      runLog(`old-${i}`, NOW_MS - (40 - i) * HOUR_MS, [['A', i % 3 === 0 ? 'aws:eu-west-1' : 'aws:us-east-1']]),
    );
    previous.unshift(runLog('rare-but-too-old', NOW_MS - 40 * 24 * HOUR_MS, [['A', 'aws:ap-south-1']]));
    const result = retainLogs(fresh, previous, NOW_US);
    const kept = result.logs.slice(0, result.previousKept).map((l) => l.run_id);
    // Ten eu-west-1 runs exist; a combination stops being rare at its 10th sighting, so the newest nine stay.
    expect(kept).toEqual(['old-3', 'old-6', 'old-9', 'old-12', 'old-15', 'old-18', 'old-21', 'old-24', 'old-27']);
    expect(result.previousKeptForRareCombinations).toBe(9);
    expect(result.logs).toHaveLength(5009);
    expect(result.logs.slice(result.previousKept)).toEqual(fresh);
  });

  it('the counts include previous runs kept on the normal path', () => {
    // 4990 new runs + 10 previous fill the 5000; those 10 make eu-west-1 common, so an 11th is not kept.
    const fresh = Array.from({ length: 4990 }, (_, i) => runLog(`new-${i}`, NOW_MS - HOUR_MS + i, [['A', 'aws:us-east-1']]));
    const previous = Array.from({ length: 11 }, (_, i) => runLog(`old-${i}`, NOW_MS - (20 - i) * HOUR_MS, [['A', 'aws:eu-west-1']]));
    const result = retainLogs(fresh, previous, NOW_US);
    expect(result.previousKept).toBe(10);
    expect(result.logs[0]!.run_id).toBe('old-1');
  });

  it('reads a previous summary written by the reference (and survives damaged entries)', () => {
    const damaged = { run_id: 'x', start_time: 'yesterday' } as unknown as RunLog;
    const noLists = { run_id: 'y', start_time: formatTimeMicros((NOW_MS - HOUR_MS) * 1000) } as unknown as RunLog;
    const result = retainLogs([], [damaged, noLists], NOW_US, { maxLogs: 0 });
    expect(result.logs.map((l) => l.run_id)).toEqual([]);
    expect(result.previousDropped).toBe(2);
  });
});
