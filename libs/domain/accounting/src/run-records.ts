import { z } from 'zod';
import { CaribouError, parseTime } from '@caribou/domain-common';

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

const size = z.number().finite().nonnegative();
const units = z.number().finite().nonnegative();

const executionSchema = z.object({
  instance_name: z.string().min(1),
  duration_s: z.number().finite().nonnegative(),
  provider_region: z.string().min(1),
  data_transfer_during_execution_gb: size.optional(),
  cpu_utilization: z.number().finite().nonnegative().optional(),
  cold_start: z.boolean().optional(),
  successor_data: z
    .record(
      z.string(),
      z.object({
        sync_info: z
          .record(z.string(), z.object({ sync_data_response_size_gb: size.optional(), consumed_write_capacity: units.optional(), destination_region: z.string().min(1) }))
          .optional(),
      }),
    )
    .optional(),
  additional_analysis_data: z.object({ download_size_gb: size.optional(), consumed_read_capacity_from_download: units.optional() }).optional(),
});

const transmissionSchema = z.object({
  transmission_size_gb: size,
  from_instance: z.string().min(1),
  to_instance: z.string().min(1),
  from_region: z.string().min(1),
  to_region: z.string().min(1),
  successor_invoked: z.boolean().optional(),
  from_direct_successor: z.boolean().optional(),
  redirector_transmission: z.boolean().optional(),
  sync_information: z.object({ upload_size_gb: size.optional(), consumed_write_capacity: units.optional(), sync_data_response_size_gb: size.optional() }).optional(),
});

const runSchema = z.object({
  run_id: z.string().min(1),
  start_time: z.string().refine((text) => {
    try {
      parseTime(text);
      return true;
    } catch {
      return false;
    }
  }, 'expected a time like 2026-12-07 07:08:22,091063+0000'),
  runtime_s: z.number().finite().nonnegative(),
  execution_data: z.array(executionSchema),
  transmission_data: z.array(transmissionSchema).optional(),
  start_hop_info: z.object({
    destination: z.string().min(1),
    data_transfer_size_gb: size.optional(),
    latency_from_client_s: z.number().finite().optional(),
    workflow_placement_decision: z
      .object({ data_size_gb: size.optional(), consumed_read_capacity: units.optional(), retrieved_wpd_at_function: z.boolean().optional() })
      .optional(),
    redirector_execution_data: executionSchema.optional(),
  }),
});

const summarySchema = z.object({ logs: z.array(runSchema) });

type RawExecution = z.infer<typeof executionSchema>;

function execution(raw: RawExecution, redirector: boolean): ExecutionFacts {
  const notices: ExecutionFacts['notices'] = [];
  for (const successor of Object.values(raw.successor_data ?? {}))
    for (const notice of Object.values(successor.sync_info ?? {}))
      notices.push({ region: notice.destination_region, responseGb: notice.sync_data_response_size_gb ?? 0, writeUnits: notice.consumed_write_capacity ?? 0 });
  return {
    instance: raw.instance_name,
    region: raw.provider_region,
    durationS: raw.duration_s,
    ...(raw.cpu_utilization !== undefined ? { cpuUtilization: raw.cpu_utilization } : {}),
    dataTransferDuringExecutionGb: raw.data_transfer_during_execution_gb ?? 0,
    downloadGb: raw.additional_analysis_data?.download_size_gb ?? 0,
    downloadReadUnits: raw.additional_analysis_data?.consumed_read_capacity_from_download ?? 0,
    notices,
    coldStart: raw.cold_start === true,
    redirector,
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
  const parsed = summarySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
    throw new CaribouError(`${where}${path}: ${issue.message.toLowerCase()}; ${fix}`);
  }
  return parsed.data.logs.map((log) => {
    const hop = log.start_hop_info;
    const redirector = hop.redirector_execution_data;
    const wpd = hop.workflow_placement_decision;
    return {
      runId: log.run_id,
      startMs: parseTime(log.start_time),
      spanS: log.runtime_s,
      clientLatencyS: Math.max(0, hop.latency_from_client_s ?? 0),
      executions: [...(redirector ? [execution(redirector, true)] : []), ...log.execution_data.map((e) => execution(e, false))],
      transmissions: (log.transmission_data ?? []).map((t) => {
        // A notice to a sync node made for a skipped successor (from_direct_successor false)
        // carries the same sync bookkeeping as the caller's sync_info, counted there.
        const direct = t.from_direct_successor !== false;
        return {
          fromInstance: t.from_instance,
          toInstance: t.to_instance,
          fromRegion: t.from_region,
          toRegion: t.to_region,
          messageGb: t.successor_invoked === false ? 0 : t.transmission_size_gb,
          uploadGb: direct ? (t.sync_information?.upload_size_gb ?? 0) : 0,
          responseGb: direct ? (t.sync_information?.sync_data_response_size_gb ?? 0) : 0,
          writeUnits: direct ? (t.sync_information?.consumed_write_capacity ?? 0) : 0,
          redirect: t.redirector_transmission === true,
        };
      }),
      startHop: {
        entryRegion: hop.destination,
        clientPayloadGb: hop.data_transfer_size_gb ?? 0,
        placementGb: wpd?.data_size_gb ?? 0,
        placementReadUnits: wpd?.consumed_read_capacity ?? 0,
        placementReadByFunction: wpd?.retrieved_wpd_at_function === true,
      },
    };
  });
}
