import { CaribouError } from '@caribou/domain-common';
import { describe, expect, it } from 'vitest';
import { LogAggregator } from './log-aggregator';
import { linearRun, US_EAST_1 } from './testing/linear-run';
import { formatTimeMicros } from './time-micros';
import { buildWorkflowSummary, readPreviousSummary } from './workflow-summary';

const DAY_MS = 86_400_000;
const NOW_MS = Date.UTC(2024, 7, 31, 12, 0, 0);

describe('readPreviousSummary', () => {
  it('absent or empty means never synced', () => {
    expect(readPreviousSummary(undefined, 'wf')).toEqual({ daily_invocation_counts: {}, daily_user_code_failure_counts: {}, logs: [] });
    expect(readPreviousSummary('', 'wf').lastSyncUs).toBeUndefined();
  });

  it('reads the last sync time', () => {
    expect(readPreviousSummary('{"last_sync_time": "2024-08-02 17:00:00,000000+0000"}', 'wf').lastSyncUs).toBe(Date.UTC(2024, 7, 2, 17) * 1000);
  });

  it('damaged values are a CaribouError naming the entry and the fix', () => {
    expect(() => readPreviousSummary('{oops', 'wf')).toThrow(CaribouError);
    expect(() => readPreviousSummary('[]', 'wf')).toThrow(/workflow_summary_table\[wf\] is not a JSON object: delete the entry/);
    expect(() => readPreviousSummary('{"last_sync_time": "noon"}', 'wf')).toThrow(/last_sync_time 'noon'/);
  });
});

describe('buildWorkflowSummary', () => {
  it('merges counts, drops days older than 30, keeps runs oldest first, lists their runtimes and the sync end', () => {
    const aggregator = new LogAggregator();
    const run = linearRun({ runId: 'new', startMs: NOW_MS - 3_600_000 });
    aggregator.addLines([...run.linesA, ...run.linesB], { region: US_EAST_1, intervalEndUs: NOW_MS * 1000 });
    const oldLog = { ...aggregator.sample('new')!.toRunLog(), run_id: 'old', start_time: formatTimeMicros((NOW_MS - 2 * DAY_MS) * 1000), runtime_s: 1.5 };
    const previous = readPreviousSummary(
      JSON.stringify({
        daily_invocation_counts: { '2024-07-01+0000': 4, '2024-08-31+0000': 2 },
        daily_user_code_failure_counts: { '2024-07-01+0000': 1 },
        logs: [oldLog],
        workflow_runtime_samples: [1.5],
        last_sync_time: '2024-08-31 10:00:00,000000+0000',
      }),
      'wf',
    );
    const { summary, retention } = buildWorkflowSummary(previous, aggregator.finish(), NOW_MS * 1000, (NOW_MS - 15 * 60_000) * 1000);
    expect(summary.daily_invocation_counts).toEqual({ '2024-08-31+0000': 3 });
    expect(summary.daily_user_code_failure_counts).toEqual({});
    expect(summary.logs.map((l) => l.run_id)).toEqual(['old', 'new']);
    expect(summary.workflow_runtime_samples).toEqual([1.5, 0.401]);
    expect(summary.last_sync_time).toBe('2024-08-31 11:45:00,000000+0000');
    expect(retention.previousKept).toBe(1);
  });
});
