import { SolverDefaults } from '../constants';
import { isObject, numberAt, numberListAt, objectAt, valueAt, type JsonObject } from '../json-path';

/** One `best_fit_line` of a region pair (latency in s as a function of the rounded size in GB). */
export interface BestFitLine {
  slope: number;
  intercept: number;
  min: number;
  max: number;
}

/** Per-region execution data of one instance (or of the redirector). */
export interface RegionExecutionData {
  durations: number[];
  /** `auxiliary_data`: duration bucket key → rows `[dtde_gb, succ time…]`; null entries kept. */
  auxiliaryData: Record<string, Array<Array<number | null>>>;
  cpuUtilization: number | undefined;
}

export interface ExecutionSummary {
  atRegion: Map<string, RegionExecutionData>;
  /** Column of each successor (and of `data_transfer_during_execution_gb`) in an auxiliary row. */
  auxiliaryIndex: Map<string, number>;
  cpuUtilization: number | undefined;
}

/** `non_execution_info["<pred>><sync>"]` of one edge. */
export interface NonExecutionEntry {
  predecessor: string;
  syncNode: string;
  syncDataResponseSizeGb: number;
  snsTransferSizeGb: number;
  /** `regions_to_regions[from][to].transfer_latencies_s`. */
  latencies: JsonObject | undefined;
}

export interface EdgeSummary {
  invocationProbability: number;
  transferSizesGb: number[];
  /** `regions_to_regions[from][to]` */
  regionsToRegions: JsonObject | undefined;
  syncSizeGb: number;
  snsOnlySizeGb: number;
  nonExecution: NonExecutionEntry[];
}

const DTDE_KEY = 'data_transfer_during_execution_gb';

function readExecutionSummary(summary: unknown): ExecutionSummary {
  const atRegion = new Map<string, RegionExecutionData>();
  for (const [region, data] of Object.entries(objectAt(summary, 'executions', 'at_region') ?? {})) {
    const auxiliaryData: Record<string, Array<Array<number | null>>> = {};
    for (const [key, rows] of Object.entries(objectAt(data, 'auxiliary_data') ?? {})) {
      if (!Array.isArray(rows)) continue;
      auxiliaryData[key] = rows
        .filter((row): row is unknown[] => Array.isArray(row))
        .map((row) => row.map((x) => (typeof x === 'number' && Number.isFinite(x) ? x : null)));
    }
    const utilization = valueAt(data, 'cpu_utilization');
    atRegion.set(region, {
      durations: numberListAt(data, 'durations_s') ?? [],
      auxiliaryData,
      cpuUtilization: typeof utilization === 'number' ? utilization : undefined,
    });
  }
  const auxiliaryIndex = new Map<string, number>();
  for (const [key, column] of Object.entries(objectAt(summary, 'executions', 'auxiliary_index_translation') ?? {})) {
    if (typeof column === 'number' && Number.isInteger(column)) auxiliaryIndex.set(key, column);
  }
  if (!auxiliaryIndex.has(DTDE_KEY)) auxiliaryIndex.set(DTDE_KEY, 0);
  const utilization = valueAt(summary, 'cpu_utilization');
  return { atRegion, auxiliaryIndex, cpuUtilization: typeof utilization === 'number' ? utilization : undefined };
}

/** Column of the data transferred during execution in an auxiliary row. */
export function dtdeColumn(summary: ExecutionSummary): number {
  return summary.auxiliaryIndex.get(DTDE_KEY) ?? 0;
}

/**
 * WorkflowLoader (§1.2): the workflow collector's summary with the reference's defaults.
 * `referenceQuirks` reads the sync sizes from `sync_sizes_gb`/`sns_only_sizes_gb` (never
 * written, so 1 KiB always applies, §12.1 #2); otherwise from the keys the collector writes.
 */
export class WorkflowSummary {
  readonly runtimeSamples: number[];
  readonly dailyInvocationCounts: Map<string, number>;
  readonly wpdAtFunctionProbability: number;
  readonly wpdSizeGb: number;
  readonly clientTransferSizesGb: number[];
  private readonly instances: JsonObject;
  private readonly redirector: JsonObject;
  private readonly root: JsonObject;
  private readonly executionCache = new Map<string, ExecutionSummary>();

  constructor(
    raw: unknown,
    private readonly referenceQuirks: boolean,
  ) {
    const root = isObject(raw) ? raw : {};
    this.root = root;
    this.runtimeSamples = numberListAt(root, 'workflow_runtime_samples') ?? [];
    this.dailyInvocationCounts = new Map();
    for (const [day, count] of Object.entries(objectAt(root, 'daily_invocation_counts') ?? {})) {
      if (typeof count === 'number') this.dailyInvocationCounts.set(day, count);
    }
    this.wpdAtFunctionProbability = numberAt(
      root,
      SolverDefaults.wpdAtFunctionProbability,
      'start_hop_summary',
      'wpd_at_function_probability',
    );
    this.wpdSizeGb = numberAt(root, SolverDefaults.wpdSizeGb, 'start_hop_summary', 'workflow_placement_decision_size_gb');
    const clientSizes = numberListAt(root, 'start_hop_summary', 'from_client', 'transfer_sizes_gb');
    this.clientTransferSizesGb = clientSizes && clientSizes.length > 0 ? clientSizes : [this.wpdSizeGb];
    this.instances = objectAt(root, 'instance_summary') ?? {};
    this.redirector = objectAt(root, 'start_hop_summary', 'at_redirector') ?? {};
  }

  /** Execution data of an instance; `atRedirector` reads the redirector's copy of the entry point. */
  execution(instance: string, atRedirector = false): ExecutionSummary {
    const cacheKey = `${atRedirector ? 'r' : 'i'}:${instance}`;
    let summary = this.executionCache.get(cacheKey);
    if (!summary) {
      summary = readExecutionSummary((atRedirector ? this.redirector : this.instances)[instance]);
      this.executionCache.set(cacheKey, summary);
    }
    return summary;
  }

  /** Client → entry point latencies (s) measured with the entry point in `regionKey` (any payload size). */
  clientLatencies(regionKey: string): number[] {
    const bySize = objectAt(this.root, 'start_hop_summary', 'from_client', 'received_region', regionKey, 'transfer_size_gb_to_transfer_latencies_s') ?? {};
    return Object.values(bySize).flatMap((list) => (Array.isArray(list) ? list.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)) : []));
  }

  hasRedirectorData(instance: string): boolean {
    return this.redirector[instance] !== undefined;
  }

  /** CPU utilisation of an instance in a region: region-level, else instance-level, else 0.5. */
  cpuUtilization(instance: string, region: string, atRedirector = false): number {
    const summary = this.execution(instance, atRedirector);
    return summary.atRegion.get(region)?.cpuUtilization ?? summary.cpuUtilization ?? SolverDefaults.cpuUtilization;
  }

  /** `instance_summary[from].to_instance[to]`, defaults applied. */
  edge(from: string, to: string): EdgeSummary {
    const data = objectAt(this.instances, from, 'to_instance', to);
    const syncKey = this.referenceQuirks ? 'sync_sizes_gb' : 'sync_size_gb';
    const snsKey = this.referenceQuirks ? 'sns_only_sizes_gb' : 'sns_only_size_gb';
    const nonExecution: NonExecutionEntry[] = [];
    for (const [key, entry] of Object.entries(objectAt(data, 'non_execution_info') ?? {})) {
      const split = key.indexOf('>');
      if (split < 0) continue;
      nonExecution.push({
        predecessor: key.slice(0, split),
        syncNode: key.slice(split + 1),
        syncDataResponseSizeGb: numberAt(entry, 0, 'sync_data_response_size_gb'),
        snsTransferSizeGb: numberAt(entry, 0, 'sns_transfer_size_gb'),
        latencies: objectAt(entry, 'regions_to_regions'),
      });
    }
    return {
      invocationProbability: numberAt(data, SolverDefaults.invocationProbability, 'invocation_probability'),
      transferSizesGb: numberListAt(data, 'transfer_sizes_gb') ?? [],
      regionsToRegions: objectAt(data, 'regions_to_regions'),
      syncSizeGb: numberAt(data, SolverDefaults.syncSizeGb, syncKey),
      snsOnlySizeGb: numberAt(data, SolverDefaults.snsOnlySizeGb, snsKey),
      nonExecution,
    };
  }
}

/** Measured latencies of a region pair at a size bucket, or the clamped best-fit line, or []. */
export function measuredLatencies(
  regionsToRegions: JsonObject | undefined,
  fromRegion: string,
  toRegion: string,
  bucketKey: string,
  roundedSizeGb: number,
): number[] {
  const pair = objectAt(regionsToRegions, fromRegion, toRegion);
  if (!pair) return [];
  const measured = numberListAt(pair, 'transfer_size_gb_to_transfer_latencies_s', bucketKey);
  if (measured && measured.length > 0) return measured;
  const line = readBestFitLine(objectAt(pair, 'best_fit_line'));
  if (!line) return [];
  return [Math.min(Math.max(line.slope * roundedSizeGb + line.intercept, line.min), line.max)];
}

function readBestFitLine(line: JsonObject | undefined): BestFitLine | undefined {
  if (!line) return undefined;
  const slope = valueAt(line, 'slope_s');
  const intercept = valueAt(line, 'intercept_s');
  if (typeof slope !== 'number' || typeof intercept !== 'number') return undefined;
  return {
    slope,
    intercept,
    min: numberAt(line, -Infinity, 'min_latency_s'),
    max: numberAt(line, Infinity, 'max_latency_s'),
  };
}
