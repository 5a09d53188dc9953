import { CaribouError } from '@caribou/domain-common';
import type { ExecutionRecord, RunLog, StartHopRecord, TransmissionRecord } from '../summary-types';
import { bestFitLine } from './best-fit-line';
import { durationKey, roundUpToMs, transferSizeKey } from './bucketing';
import type {
  EdgeSummary,
  InstanceSummary,
  NonExecutionInfo,
  RegionExecutions,
  RegionPairTransfers,
  StartHopSummary,
  WorkflowInstanceData,
} from './instance-data-types';
import { pythonMean } from './python-math';

/** A client latency outside (0, 3 s) means the client's clock is off; the sample is discarded. */
export const MAX_PLAUSIBLE_START_HOP_LATENCY_S = 3.0;

/** What the collector reads of a `workflow_summary_table` row (checked against its schema by the application). */
export interface StoredSummary {
  logs?: readonly RunLog[] | undefined;
  daily_invocation_counts?: Record<string, number> | undefined;
  daily_user_code_failure_counts?: Record<string, number> | undefined;
}

/**
 * The workflow collector's transformation (reference-system §9.4): the log syncer's
 * summary (`workflow_summary_table` value, parsed) → the per-instance distributions the
 * solver samples (`workflow_instance_table` value). Pure; `{}` for a workflow never synced.
 */
export function summarizeWorkflow(summary: StoredSummary | undefined, workflowId = 'workflow'): WorkflowInstanceData | Record<string, never> {
  if (summary === undefined || Object.keys(summary).length === 0) return {};
  const builder = new SummaryBuilder(workflowId);
  const runtimes: number[] = [];
  (summary.logs ?? []).forEach((run, index) => {
    if (typeof run.runtime_s === 'number') runtimes.push(run.runtime_s);
    builder.addRun(run, index);
  });
  return {
    workflow_runtime_samples: runtimes,
    daily_invocation_counts: summary.daily_invocation_counts ?? {},
    daily_user_code_failure_counts: summary.daily_user_code_failure_counts ?? {},
    start_hop_summary: builder.startHopSummary(),
    instance_summary: builder.instanceSummary(),
  };
}

interface ExecutionSample {
  durationS: number;
  cpuUtilization?: number;
  dataTransferDuringExecutionGb: number;
  successorInvocationTimesS: Map<string, number>;
}

interface InstanceAccumulator {
  invocations?: number;
  cpuUtilizations?: number[];
  /** Regions in first-seen order, each with its executions. */
  atRegion?: Map<string, ExecutionSample[]>;
  /** Successors in first-seen order (the reference used a set: its order was random). */
  successors?: Set<string>;
  toInstance?: Map<string, EdgeAccumulator>;
}

interface EdgeAccumulator {
  invoked: number;
  nonExecutions: number;
  syncSizesGb: number[];
  snsOnlySizesGb: number[];
  transferSizesGb: number[];
  regionsToRegions: Map<string, Map<string, Record<string, number[]>>>;
  nonExecutionInfo: Map<string, NonExecutionAccumulator>;
}

interface NonExecutionAccumulator {
  syncDataResponseSizesGb: number[];
  snsTransferSizesGb: number[];
  regionsToRegions: Map<string, Map<string, number[]>>;
}

class SummaryBuilder {
  private readonly instances = new Map<string, InstanceAccumulator>();
  private readonly redirectors = new Map<string, InstanceAccumulator>();
  private startHopRuns = 0;
  private retrievedWpdAtFunction = 0;
  private readonly wpdSizesGb: number[] = [];
  private readonly clientTransferSizesGb: number[] = [];
  private readonly receivedRegion = new Map<string, Record<string, number[]>>();

  constructor(private readonly workflowId: string) {}

  addRun(run: RunLog, index: number): void {
    const path = `logs[${index}]`;
    if (run.start_hop_info) this.addStartHop(run.start_hop_info, path);
    requireArray(run.execution_data, `${path}.execution_data`, this.workflowId).forEach((execution, i) =>
      this.addExecution(this.instances, execution, `${path}.execution_data[${i}]`),
    );
    requireArray(run.transmission_data, `${path}.transmission_data`, this.workflowId).forEach((transmission, i) =>
      this.addTransmission(transmission, `${path}.transmission_data[${i}]`),
    );
  }

  private addStartHop(hop: StartHopRecord, path: string): void {
    this.startHopRuns++;
    if (hop.workflow_placement_decision?.retrieved_wpd_at_function) this.retrievedWpdAtFunction++;
    if (hop.destination) {
      const sizeGb = Number(hop.data_transfer_size_gb ?? 0.0);
      this.clientTransferSizesGb.push(sizeGb);
      const latency = hop.latency_from_client_s ?? 0.0;
      // Only plausible latencies make a bucket (the reference also made an empty one, later read as a 0 s sample).
      if (latency > 0 && latency < MAX_PLAUSIBLE_START_HOP_LATENCY_S) {
        let buckets = this.receivedRegion.get(hop.destination);
        if (buckets === undefined) {
          buckets = {};
          this.receivedRegion.set(hop.destination, buckets);
        }
        (buckets[transferSizeKey(sizeGb)] ??= []).push(latency);
      } else if (!this.receivedRegion.has(hop.destination)) {
        this.receivedRegion.set(hop.destination, {});
      }
    }
    const wpdSize = hop.workflow_placement_decision?.data_size_gb;
    if (wpdSize !== undefined && wpdSize !== null) this.wpdSizesGb.push(wpdSize);
    if (hop.redirector_execution_data) this.addExecution(this.redirectors, hop.redirector_execution_data, `${path}.start_hop_info.redirector_execution_data`);
  }

  private addExecution(target: Map<string, InstanceAccumulator>, execution: ExecutionRecord, path: string): void {
    const instance = requireString(execution?.instance_name, `${path}.instance_name`, this.workflowId);
    const region = requireString(execution.provider_region, `${path}.provider_region`, this.workflowId);
    const summary = accumulatorFor(target, instance);
    summary.invocations = (summary.invocations ?? 0) + 1;
    summary.cpuUtilizations ??= [];
    if (typeof execution.cpu_utilization === 'number') summary.cpuUtilizations.push(execution.cpu_utilization);
    summary.atRegion ??= new Map();
    summary.successors ??= new Set();
    const sample: ExecutionSample = {
      durationS: execution.duration_s,
      dataTransferDuringExecutionGb: execution.data_transfer_during_execution_gb,
      successorInvocationTimesS: new Map(),
    };
    if (typeof execution.cpu_utilization === 'number') sample.cpuUtilization = execution.cpu_utilization;
    for (const [successor, call] of Object.entries(execution.successor_data ?? {})) {
      const time = call.invocation_time_from_function_start_s;
      if (typeof time !== 'number') continue;
      sample.successorInvocationTimesS.set(successor, roundUpToMs(time, 1));
      summary.successors.add(successor);
    }
    let regionSamples = summary.atRegion.get(region);
    if (regionSamples === undefined) {
      regionSamples = [];
      summary.atRegion.set(region, regionSamples);
    }
    regionSamples.push(sample);

    for (const [successor, call] of Object.entries(execution.successor_data ?? {})) {
      if (call.task_type !== 'CONDITIONALLY_NOT_INVOKE') continue;
      const edge = edgeFor(summary, successor);
      edge.nonExecutions++;
      for (const [proxyKey, proxy] of Object.entries(call.sync_info ?? {})) {
        const info = nonExecutionFor(edge, proxyKey);
        if (typeof proxy.sync_data_response_size_gb === 'number') info.syncDataResponseSizesGb.push(proxy.sync_data_response_size_gb);
      }
    }
  }

  private addTransmission(t: TransmissionRecord, path: string): void {
    const fromInstance = requireString(t?.from_instance, `${path}.from_instance`, this.workflowId);
    const toInstance = requireString(t.to_instance, `${path}.to_instance`, this.workflowId);
    const fromRegion = requireString(t.from_region, `${path}.from_region`, this.workflowId);
    const toRegion = requireString(t.to_region, `${path}.to_region`, this.workflowId);
    const origin = accumulatorFor(this.instances, fromInstance);
    let sizeGb = Number(t.transmission_size_gb);

    if (!t.from_direct_successor) {
      // A sync-node call made on behalf of a skipped successor: it belongs to that successor's non-execution.
      // Missing entries are created here; the reference assumed them and raised KeyError.
      const uninvoked = requireString(t.uninvoked_instance, `${path}.uninvoked_instance`, this.workflowId);
      const info = nonExecutionFor(edgeFor(origin, uninvoked), `${t.simulated_sync_predecessor}>${toInstance}`);
      info.snsTransferSizesGb.push(sizeGb);
      const latencies = nestedList(info.regionsToRegions, fromRegion, toRegion);
      if (typeof t.transmission_latency_s === 'number') latencies.push(t.transmission_latency_s);
      return;
    }

    const edge = edgeFor(origin, toInstance);
    edge.invoked++;
    let byRegion = edge.regionsToRegions.get(fromRegion);
    if (byRegion === undefined) {
      byRegion = new Map();
      edge.regionsToRegions.set(fromRegion, byRegion);
    }
    let buckets = byRegion.get(toRegion);
    if (buckets === undefined) {
      buckets = {};
      byRegion.set(toRegion, buckets);
    }
    const uploadSize = t.sync_information?.upload_size_gb;
    const responseSize = t.sync_information?.sync_data_response_size_gb;
    if (typeof uploadSize === 'number') {
      // With a sync upload the message itself is small and constant; the upload is the transfer that varies.
      edge.snsOnlySizesGb.push(sizeGb);
      sizeGb = uploadSize;
    }
    if (typeof responseSize === 'number') edge.syncSizesGb.push(responseSize);
    edge.transferSizesGb.push(sizeGb);
    // Only a call that reached its successor has a latency.
    if (t.successor_invoked && typeof t.transmission_latency_s === 'number') {
      (buckets[transferSizeKey(sizeGb)] ??= []).push(t.transmission_latency_s);
    }
  }

  startHopSummary(): StartHopSummary {
    const receivedRegion: StartHopSummary['from_client']['received_region'] = {};
    for (const [region, buckets] of this.receivedRegion) {
      const line = bestFitLine(buckets);
      receivedRegion[region] = { transfer_size_gb_to_transfer_latencies_s: buckets, ...(line && { best_fit_line: line }) };
    }
    return {
      invoked: this.startHopRuns,
      retrieved_wpd_at_function: this.retrievedWpdAtFunction,
      wpd_at_function_probability: this.startHopRuns === 0 ? 0.0 : this.retrievedWpdAtFunction / this.startHopRuns,
      workflow_placement_decision_size_gb: this.wpdSizesGb.length > 0 ? pythonMean(this.wpdSizesGb) : [],
      at_redirector: finishInstances(this.redirectors),
      from_client: { transfer_sizes_gb: this.clientTransferSizesGb, received_region: receivedRegion },
    };
  }

  instanceSummary(): Record<string, InstanceSummary> {
    return finishInstances(this.instances);
  }
}

function accumulatorFor(target: Map<string, InstanceAccumulator>, instance: string): InstanceAccumulator {
  let accumulator = target.get(instance);
  if (accumulator === undefined) {
    accumulator = {};
    target.set(instance, accumulator);
  }
  return accumulator;
}

function edgeFor(instance: InstanceAccumulator, successor: string): EdgeAccumulator {
  instance.toInstance ??= new Map();
  let edge = instance.toInstance.get(successor);
  if (edge === undefined) {
    edge = {
      invoked: 0,
      nonExecutions: 0,
      syncSizesGb: [],
      snsOnlySizesGb: [],
      transferSizesGb: [],
      regionsToRegions: new Map(),
      nonExecutionInfo: new Map(),
    };
    instance.toInstance.set(successor, edge);
  }
  return edge;
}

function nonExecutionFor(edge: EdgeAccumulator, key: string): NonExecutionAccumulator {
  let info = edge.nonExecutionInfo.get(key);
  if (info === undefined) {
    info = { syncDataResponseSizesGb: [], snsTransferSizesGb: [], regionsToRegions: new Map() };
    edge.nonExecutionInfo.set(key, info);
  }
  return info;
}

function nestedList(map: Map<string, Map<string, number[]>>, from: string, to: string): number[] {
  let inner = map.get(from);
  if (inner === undefined) {
    inner = new Map();
    map.set(from, inner);
  }
  let list = inner.get(to);
  if (list === undefined) {
    list = [];
    inner.set(to, list);
  }
  return list;
}

const clampUnit = (value: number): number => Math.min(1.0, Math.max(0.0, value));

function finishInstances(accumulators: Map<string, InstanceAccumulator>): Record<string, InstanceSummary> {
  const result: Record<string, InstanceSummary> = {};
  for (const [instance, accumulator] of accumulators) result[instance] = finishInstance(accumulator);
  return result;
}

function finishInstance(accumulator: InstanceAccumulator): InstanceSummary {
  const summary: InstanceSummary = {};
  if (accumulator.invocations !== undefined) summary.invocations = accumulator.invocations;
  if (accumulator.cpuUtilizations && accumulator.cpuUtilizations.length > 0) {
    summary.cpu_utilization = pythonMean(accumulator.cpuUtilizations.map(clampUnit));
  }
  if (accumulator.atRegion !== undefined) {
    const translation: Record<string, number> = { data_transfer_during_execution_gb: 0 };
    let next = 1;
    for (const successor of accumulator.successors ?? []) translation[successor] = next++;
    const atRegion: Record<string, RegionExecutions> = {};
    for (const [region, samples] of accumulator.atRegion) atRegion[region] = finishRegion(samples, translation, next);
    summary.executions = { at_region: atRegion, auxiliary_index_translation: translation };
  }
  if (accumulator.toInstance !== undefined) {
    const toInstance: Record<string, EdgeSummary> = {};
    for (const [successor, edge] of accumulator.toInstance) toInstance[successor] = finishEdge(edge);
    summary.to_instance = toInstance;
  }
  return summary;
}

function finishRegion(samples: ExecutionSample[], translation: Record<string, number>, rowLength: number): RegionExecutions {
  const durations: number[] = [];
  const utilizations: number[] = [];
  const auxiliary: Record<string, Array<Array<number | null>>> = {};
  for (const sample of samples) {
    durations.push(sample.durationS);
    if (sample.cpuUtilization !== undefined) utilizations.push(clampUnit(sample.cpuUtilization));
    const row: Array<number | null> = new Array<number | null>(rowLength).fill(null);
    row[0] = sample.dataTransferDuringExecutionGb;
    for (const [successor, time] of sample.successorInvocationTimesS) row[translation[successor]!] = time;
    (auxiliary[durationKey(sample.durationS)] ??= []).push(row);
  }
  return {
    ...(utilizations.length > 0 && { cpu_utilization: pythonMean(utilizations) }),
    durations_s: durations,
    auxiliary_data: auxiliary,
  };
}

function finishEdge(edge: EdgeAccumulator): EdgeSummary {
  const calls = edge.invoked + edge.nonExecutions;
  const regionsToRegions: Record<string, Record<string, RegionPairTransfers>> = {};
  for (const [from, byRegion] of edge.regionsToRegions) {
    const inner: Record<string, RegionPairTransfers> = {};
    for (const [to, buckets] of byRegion) {
      inner[to] = { transfer_size_gb_to_transfer_latencies_s: buckets, best_fit_line: bestFitLine(buckets) ?? {} };
    }
    regionsToRegions[from] = inner;
  }
  const nonExecutionInfo: Record<string, NonExecutionInfo> = {};
  for (const [key, info] of edge.nonExecutionInfo) {
    const pairs: NonExecutionInfo['regions_to_regions'] = {};
    for (const [from, byRegion] of info.regionsToRegions) {
      pairs[from] = {};
      for (const [to, latencies] of byRegion) pairs[from][to] = { transfer_latencies_s: latencies };
    }
    nonExecutionInfo[key] = {
      sync_data_response_size_gb: info.syncDataResponseSizesGb.length > 0 ? pythonMean(info.syncDataResponseSizesGb) : 0.0,
      sns_transfer_size_gb: info.snsTransferSizesGb.length > 0 ? pythonMean(info.snsTransferSizesGb) : 0.0,
      regions_to_regions: pairs,
    };
  }
  return {
    invoked: edge.invoked,
    non_executions: edge.nonExecutions,
    // An edge with neither count only arises from inconsistent input; 0 rather than the reference's ZeroDivisionError.
    invocation_probability: calls === 0 ? 0.0 : edge.invoked / calls,
    ...(edge.syncSizesGb.length > 0 && { sync_size_gb: pythonMean(edge.syncSizesGb) }),
    ...(edge.snsOnlySizesGb.length > 0 && { sns_only_size_gb: pythonMean(edge.snsOnlySizesGb) }),
    transfer_sizes_gb: edge.transferSizesGb,
    regions_to_regions: regionsToRegions,
    non_execution_info: nonExecutionInfo,
  };
}

function requireArray<T>(value: T[] | undefined, path: string, workflowId: string): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new CaribouError(`workflow_summary_table[${workflowId}].${path} is not a list: run log_sync to rebuild the summary`);
  return value;
}

function requireString(value: unknown, path: string, workflowId: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new CaribouError(`workflow_summary_table[${workflowId}].${path} is missing: run log_sync to rebuild the summary`);
  }
  return value;
}
