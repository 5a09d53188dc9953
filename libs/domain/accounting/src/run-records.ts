import { CaribouError, parseTime } from '@caribou/domain-common';
import type { RunLog } from '@caribou/domain-telemetry';
import { workflowSummarySchema } from '@caribou/domain-telemetry/schemas';

/**
 * What the accounting reads from one synced run (`workflow_summary_table[id].logs[i]`, written
 * by the log syncer, reference-system §8.5): every execution with its region, duration and
 * sync-table traffic, every message between functions, and the start hop. Sizes in GB (GiB),
 * times in seconds.
 */
export interface RunRecord {
  runId: string;
  /** Epoch ms of the run's first log line (the entry point's start). */
  startMs: number;
  /** First function start to last function end, as the log syncer measured it. */
  spanS: number;
  /** The client's request to the entry point (0 when not recorded). */
  clientLatencyS: number;
  executions: ExecutionFacts[];
  transmissions: TransmissionFacts[];
  startHop: StartHopFacts;
}

export interface ExecutionFacts {
  instance: string;
  region: string;
  durationS: number;
  /** Absent when the platform reported no CPU time; the model's default applies. */
  cpuUtilization?: number;
  /** Bytes the function moved while running, beyond its messages (Lambda Insights). */
  dataTransferDuringExecutionGb: number;
  /** Fan-in payloads read back from the sync table of the function's own region. */
  downloadGb: number;
  downloadReadUnits: number;
  /** Sync-node bookkeeping done on behalf of a skipped successor, in the sync node's region. */
  notices: Array<{ region: string; responseGb: number; writeUnits: number }>;
  coldStart: boolean;
  /** The home copy of the entry point that only forwarded the request to the planned region. */
  redirector: boolean;
}

export interface TransmissionFacts {
  fromInstance: string;
  toInstance: string;
  fromRegion: string;
  toRegion: string;
  /** Size of the async invoke sent; 0 when no invoke was sent (a fan-in upload that was not the last). */
  messageGb: number;
  /** Direct fan-in upload into the sync table of `toRegion`, and the update's response. */
  uploadGb: number;
  responseGb: number;
  writeUnits: number;
  /** The redirector's hop from the home copy of the entry point to the planned one. */
  redirect: boolean;
}

export interface StartHopFacts {
  /** Where the entry point ran. */
  entryRegion: string;
  clientPayloadGb: number;
  /** The placement decision read from the system region, by the client or by a function. */
  placementGb: number;
  placementReadUnits: number;
  placementReadByFunction: boolean;
}

type RawExecution = RunLog['execution_data'][number];

/** A field the accounting cannot do without; `path` is where it sits in the row. */
class MissingField extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(problem);
  }
}

function required<T>(value: T | undefined, path: string, what: string): T {
  if (value === undefined || value === '') throw new MissingField(path, `${what} is missing`);
  return value;
}

function nonNegative(value: number | undefined, path: string): number {
  if (value === undefined) return 0;
  if (!Number.isFinite(value) || value < 0) throw new MissingField(path, `${value} is not a size, duration or count`);
  return value;
}

function execution(raw: RawExecution, path: string, redirector: boolean): ExecutionFacts {
  const notices: ExecutionFacts['notices'] = [];
  for (const [successor, call] of Object.entries(raw.successor_data ?? {}))
    for (const [key, notice] of Object.entries(call.sync_info ?? {})) {
      const at = `${path}.successor_data.${successor}.sync_info.${key}`;
      notices.push({
        region: required(notice.destination_region, `${at}.destination_region`, 'the sync node\'s region'),
        responseGb: nonNegative(notice.sync_data_response_size_gb, `${at}.sync_data_response_size_gb`),
        writeUnits: nonNegative(notice.consumed_write_capacity, `${at}.consumed_write_capacity`),
      });
    }
  return {
    instance: raw.instance_name,
    region: required(raw.provider_region, `${path}.provider_region`, 'the region the function ran in'),
    durationS: nonNegative(raw.duration_s, `${path}.duration_s`),
    ...(raw.cpu_utilization !== undefined ? { cpuUtilization: nonNegative(raw.cpu_utilization, `${path}.cpu_utilization`) } : {}),
    dataTransferDuringExecutionGb: nonNegative(raw.data_transfer_during_execution_gb, `${path}.data_transfer_during_execution_gb`),
    downloadGb: nonNegative(raw.additional_analysis_data?.download_size_gb, `${path}.additional_analysis_data.download_size_gb`),
    downloadReadUnits: nonNegative(raw.additional_analysis_data?.consumed_read_capacity_from_download, `${path}.additional_analysis_data.consumed_read_capacity_from_download`),
    notices,
    coldStart: raw.cold_start === true,
    redirector,
  };
}

function runRecord(log: RunLog, path: string): RunRecord {
  let startMs: number;
  try {
    startMs = parseTime(log.start_time);
  } catch {
    throw new MissingField(`${path}.start_time`, `'${log.start_time}' is not a time like 2026-12-07 07:08:22,091063+0000`);
  }
  const hop = log.start_hop_info;
  const wpd = hop.workflow_placement_decision;
  return {
    runId: log.run_id,
    startMs,
    spanS: nonNegative(log.runtime_s, `${path}.runtime_s`),
    clientLatencyS: Math.max(0, hop.latency_from_client_s ?? 0),
    executions: [
      ...(hop.redirector_execution_data ? [execution(hop.redirector_execution_data, `${path}.start_hop_info.redirector_execution_data`, true)] : []),
      ...log.execution_data.map((e, j) => execution(e, `${path}.execution_data[${j}]`, false)),
    ],
    transmissions: log.transmission_data.map((t, j) => {
      const at = `${path}.transmission_data[${j}]`;
      // A notice to a sync node made for a skipped successor (from_direct_successor false)
      // carries the same sync bookkeeping as the caller's sync_info, counted there.
      const direct = t.from_direct_successor !== false;
      return {
        fromInstance: required(t.from_instance, `${at}.from_instance`, 'the sender'),
        toInstance: required(t.to_instance, `${at}.to_instance`, 'the receiver'),
        fromRegion: required(t.from_region, `${at}.from_region`, 'the sender\'s region'),
        toRegion: required(t.to_region, `${at}.to_region`, 'the receiver\'s region'),
        messageGb: t.successor_invoked === false ? 0 : nonNegative(t.transmission_size_gb, `${at}.transmission_size_gb`),
        uploadGb: direct ? nonNegative(t.sync_information?.upload_size_gb, `${at}.sync_information.upload_size_gb`) : 0,
        responseGb: direct ? nonNegative(t.sync_information?.sync_data_response_size_gb, `${at}.sync_information.sync_data_response_size_gb`) : 0,
        writeUnits: direct ? nonNegative(t.sync_information?.consumed_write_capacity, `${at}.sync_information.consumed_write_capacity`) : 0,
        redirect: t.redirector_transmission === true,
      };
    }),
    startHop: {
      entryRegion: required(hop.destination, `${path}.start_hop_info.destination`, 'the entry point\'s region'),
      clientPayloadGb: nonNegative(hop.data_transfer_size_gb, `${path}.start_hop_info.data_transfer_size_gb`),
      placementGb: nonNegative(wpd?.data_size_gb, `${path}.start_hop_info.workflow_placement_decision.data_size_gb`),
      placementReadUnits: nonNegative(wpd?.consumed_read_capacity, `${path}.start_hop_info.workflow_placement_decision.consumed_read_capacity`),
      placementReadByFunction: wpd?.retrieved_wpd_at_function === true,
    },
  };
}

/**
 * The synced runs of a workflow from its `workflow_summary_table` value, checked field by
 * field. A damaged record is a CaribouError naming the table, key, path and the fix: the
 * accounting never guesses a missing region or duration.
 */
export function readRunRecords(summaryText: string, workflowId: string): RunRecord[] {
  const where = `workflow_summary_table[${workflowId}]`;
  const fix = 'run caribou log_sync again, or delete the entry to rebuild it from the logs';
  let value: unknown;
  try {
    value = JSON.parse(summaryText);
  } catch {
    throw new CaribouError(`${where} is not JSON: ${fix}`);
  }
  // The row's shape is the log syncer's (one schema for every reader); the accounting then
  // insists on the fields it cannot do without.
  const parsed = workflowSummarySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
    throw new CaribouError(`${where}${path}: ${issue.message.toLowerCase()}; ${fix}`);
  }
  return runRecordsOf(parsed.data.logs, workflowId);
}

/**
 * As readRunRecords, for the logs of a summary row already checked against its schema (the
 * application reads rows through it): the accounting insists on the fields it cannot do without.
 */
export function runRecordsOf(logs: readonly RunLog[], workflowId: string): RunRecord[] {
  try {
    return logs.map((log, i) => runRecord(log, `.logs[${i}]`));
  } catch (error) {
    if (error instanceof MissingField) {
      throw new CaribouError(`workflow_summary_table[${workflowId}]${error.path}: ${error.problem}; run caribou log_sync again, or delete the entry to rebuild it from the logs`);
    }
    throw error;
  }
}
