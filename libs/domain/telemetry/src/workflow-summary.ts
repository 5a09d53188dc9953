import { CaribouError } from '@caribou/domain-common';
import { filterRecentDays, mergeDailyCounts } from './daily-counts';
import type { LogAggregation } from './log-aggregator';
import { retainLogs, type RetentionOptions, type RetentionResult } from './retention';
import type { RunLog, WorkflowSummary } from './summary-types';
import { formatTimeMicros, parseTimeMicros } from './time-micros';

/** The parts of a stored summary a new sync builds on; anything else in it is dropped. */
export interface PreviousSummary {
  daily_invocation_counts: Record<string, number>;
  daily_user_code_failure_counts: Record<string, number>;
  logs: RunLog[];
  /** Epoch µs of `last_sync_time`, when there was a sync. */
  lastSyncUs?: number;
}

/**
 * Reads the stored `workflow_summary_table` value (JSON text; absent or empty = never
 * synced). A value that is not a JSON object is damage the next sync cannot build on:
 * CaribouError, naming the fix.
 */
export function readPreviousSummary(text: string | undefined, workflowId: string): PreviousSummary {
  const empty: PreviousSummary = { daily_invocation_counts: {}, daily_user_code_failure_counts: {}, logs: [] };
  if (text === undefined || text.trim() === '') return empty;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CaribouError(`workflow_summary_table[${workflowId}] is not JSON: delete the entry to rebuild it from the logs`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CaribouError(`workflow_summary_table[${workflowId}] is not a JSON object: delete the entry to rebuild it from the logs`);
  }
  return previousSummaryOf(value as Record<string, unknown>, workflowId);
}

/** As readPreviousSummary, for a row already read (and checked against its schema by the application). */
export function previousSummaryOf(record: Partial<Record<keyof WorkflowSummary, unknown>>, workflowId: string): PreviousSummary {
  const previous: PreviousSummary = {
    daily_invocation_counts: numericRecord(record['daily_invocation_counts']),
    daily_user_code_failure_counts: numericRecord(record['daily_user_code_failure_counts']),
    logs: Array.isArray(record['logs']) ? (record['logs'] as RunLog[]) : [],
  };
  const last = record['last_sync_time'];
  if (typeof last === 'string') {
    const lastUs = parseTimeMicros(last);
    if (lastUs === undefined) {
      throw new CaribouError(`workflow_summary_table[${workflowId}].last_sync_time '${last}' is not %Y-%m-%d %H:%M:%S,%f%z: fix or delete it`);
    }
    previous.lastSyncUs = lastUs;
  }
  return previous;
}

function numericRecord(value: unknown): Record<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const result: Record<string, number> = {};
  for (const [key, count] of Object.entries(value)) if (typeof count === 'number' && Number.isFinite(count)) result[key] = count;
  return result;
}

export interface BuiltSummary {
  summary: WorkflowSummary;
  retention: RetentionResult;
}

/**
 * The new `workflow_summary_table` value (reference-system §8.6): previous daily counts
 * younger than 30 days plus this sync's; retained runs (see retainLogs); their runtimes;
 * and `last_sync_time` = the end of the last interval read.
 */
export function buildWorkflowSummary(
  previous: PreviousSummary,
  aggregation: Pick<LogAggregation, 'logs' | 'dailyInvocationCounts' | 'dailyFailureCounts'>,
  nowUs: number,
  lastSyncUs: number,
  options: RetentionOptions = {},
): BuiltSummary {
  const retention = retainLogs(aggregation.logs, previous.logs, nowUs, options);
  const days = options.retentionDays;
  const summary: WorkflowSummary = {
    daily_invocation_counts: mergeDailyCounts(filterRecentDays(previous.daily_invocation_counts, nowUs, days), aggregation.dailyInvocationCounts),
    daily_user_code_failure_counts: mergeDailyCounts(
      filterRecentDays(previous.daily_user_code_failure_counts, nowUs, days),
      aggregation.dailyFailureCounts,
    ),
    logs: retention.logs,
    workflow_runtime_samples: retention.logs.map((log) => log.runtime_s),
    last_sync_time: formatTimeMicros(lastSyncUs),
  };
  return { summary, retention };
}
