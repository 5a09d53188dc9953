import { MalformedLogError } from './malformed-log-error';
import type { ReportLogLine } from './log-line';

/**
 * What the platform measured for one request, in the reference's units: durations and
 * CPU time in seconds, memory in MB, network in bytes. From a Lambda Insights record
 * when there is one; otherwise from the REPORT line (DESIGN.md §4 item 5), which has
 * duration and memory but no CPU time or network — those stay undefined, so the CPU
 * utilisation of such a run is unknown (omitted) rather than invented.
 */
export interface PlatformMetrics {
  durationS?: number;
  cpuTotalTimeS?: number;
  totalMemoryMb?: number;
  usedMemoryMaxMb?: number;
  totalNetworkBytes?: number;
  rxBytes?: number;
  txBytes?: number;
  memoryUtilization?: number;
  coldStart?: boolean;
}

export interface InsightsRecord {
  requestId: string;
  metrics: PlatformMetrics;
}

const numberOrUndefined = (value: unknown, field: string): number | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) throw new MalformedLogError(`Insights field ${field} is not a number`);
  return value;
};

/**
 * One Lambda Insights performance record (JSON). `duration` and `cpu_total_time` are
 * milliseconds there and seconds here, as the reference converts them. Records without a
 * request id are not per-invocation records: undefined. Throws MalformedLogError on bad JSON.
 */
export function parseInsightsRecord(text: string): InsightsRecord | undefined {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    throw new MalformedLogError('Insights record is not JSON');
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new MalformedLogError('Insights record is not a JSON object');
  const fields = record as Record<string, unknown>;
  const requestId = fields['request_id'];
  if (typeof requestId !== 'string' || requestId.length === 0) return undefined;
  const durationMs = numberOrUndefined(fields['duration'], 'duration');
  const cpuMs = numberOrUndefined(fields['cpu_total_time'], 'cpu_total_time');
  const metrics: PlatformMetrics = {};
  if (durationMs !== undefined) metrics.durationS = durationMs / 1000;
  if (cpuMs !== undefined) metrics.cpuTotalTimeS = cpuMs / 1000;
  assign(metrics, 'totalMemoryMb', numberOrUndefined(fields['total_memory'], 'total_memory'));
  assign(metrics, 'usedMemoryMaxMb', numberOrUndefined(fields['used_memory_max'], 'used_memory_max'));
  assign(metrics, 'totalNetworkBytes', numberOrUndefined(fields['total_network'], 'total_network'));
  assign(metrics, 'rxBytes', numberOrUndefined(fields['rx_bytes'], 'rx_bytes'));
  assign(metrics, 'txBytes', numberOrUndefined(fields['tx_bytes'], 'tx_bytes'));
  assign(metrics, 'memoryUtilization', numberOrUndefined(fields['memory_utilization'], 'memory_utilization'));
  const coldStart = fields['cold_start'];
  if (typeof coldStart === 'boolean') metrics.coldStart = coldStart;
  return { requestId, metrics };
}

function assign<K extends keyof PlatformMetrics>(target: PlatformMetrics, key: K, value: PlatformMetrics[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/** The REPORT line's numbers as platform metrics (ms → s). */
export function metricsFromReport(report: ReportLogLine): PlatformMetrics {
  const metrics: PlatformMetrics = {};
  if (report.durationMs !== undefined) metrics.durationS = report.durationMs / 1000;
  if (report.memorySizeMb !== undefined) metrics.totalMemoryMb = report.memorySizeMb;
  if (report.maxMemoryUsedMb !== undefined) metrics.usedMemoryMaxMb = report.maxMemoryUsedMb;
  if (report.initDurationMs !== undefined) metrics.coldStart = true;
  return metrics;
}

/** Insights first, field by field; the REPORT line fills what Insights lacks. */
export function mergePlatformMetrics(insights: PlatformMetrics | undefined, report: PlatformMetrics | undefined): PlatformMetrics | undefined {
  if (insights === undefined) return report;
  if (report === undefined) return insights;
  const merged = { ...report, ...insights };
  if (report.coldStart || insights.coldStart) merged.coldStart = true;
  return merged;
}
