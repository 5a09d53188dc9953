import { BYTES_PER_GB } from '@caribou/domain-common';
import type { PlatformMetrics } from '../platform-metrics';
import type { AdditionalAnalysisData, ExecutionRecord, SuccessorCallRecord } from '../summary-types';
import { SuccessorCall } from './successor-call';

/** Lambda gives one vCPU per 1769 MB of memory (linear), which turns CPU time into utilisation. */
export const MEMORY_MB_PER_VCPU = 1769;

const EMPTY_CALLS: ReadonlyMap<string, SuccessorCall> = new Map();

/** One execution of one instance within a run (the reference's ExecutionData). */
export class ExecutionData {
  requestId?: string;
  /** A second request id seen for this instance in one run: it ran twice (retry, timeout). */
  ranTwice = false;
  /** Set by the EXECUTED line (REDIRECT for a redirector): the function ran to the end. */
  finished = false;
  inputPayloadSizeGb = 0.0;
  cpuModel?: string;
  userExecutionDurationS?: number;
  executionDurationS?: number;
  providerRegion?: string;
  downloadSizeGb?: number;
  downloadTimeS?: number;
  consumedReadCapacity?: number;
  /** Size of the placement decision this function fetched itself (counted as input). */
  downloadedWpdSizeGb?: number;
  /** The Lambda Insights record of this invocation, when the platform wrote one. */
  insights?: PlatformMetrics;
  /** The platform's REPORT line of this invocation. */
  report?: PlatformMetrics;
  /** REPORT lines seen for this request id: more than one means the invocation ran twice (timeout, retry). */
  reportCount = 0;
  /** What the durations, utilisation and transfer use: Insights, completed by the REPORT line. */
  platform?: PlatformMetrics;
  private successorCalls?: Map<string, SuccessorCall>;

  constructor(readonly instanceName: string) {}

  /** A line of this instance came from `requestId`; the first one names the invocation. */
  seenRequestId(requestId: string): void {
    if (this.requestId === undefined) this.requestId = requestId;
    else if (this.requestId !== requestId) this.ranTwice = true;
  }

  /** Calls to successors in first-seen order (created on demand: most executions have few or none). */
  get successors(): ReadonlyMap<string, SuccessorCall> {
    return this.successorCalls ?? EMPTY_CALLS;
  }

  successor(instance: string): SuccessorCall {
    this.successorCalls ??= new Map();
    let call = this.successorCalls.get(instance);
    if (call === undefined) {
      call = new SuccessorCall(instance);
      this.successorCalls.set(instance, call);
    }
    return call;
  }

  /**
   * What came in besides the invocation payload: sync-table downloads, a fetched placement
   * decision, sync-table update responses. The payload is excluded: it is the transmission
   * into this function, accounted on the edge, not traffic during the execution.
   */
  totalInputSizeGb(): number {
    let total = 0.0;
    if (this.downloadSizeGb) total += this.downloadSizeGb;
    if (this.downloadedWpdSizeGb) total += this.downloadedWpdSizeGb;
    for (const call of this.successors.values()) total += call.totalInputSizeGb();
    return total;
  }

  totalOutputSizeGb(): number {
    let total = 0.0;
    for (const call of this.successors.values()) total += call.totalOutputSizeGb();
    return total;
  }

  /** Network traffic the platform saw beyond the framework's own transfers (user I/O); 0 when unknown. */
  dataTransferDuringExecutionGb(): number {
    const network = this.platform?.totalNetworkBytes;
    if (network === undefined) return 0.0;
    return Math.max(0.0, network / BYTES_PER_GB - this.totalInputSizeGb() - this.totalOutputSizeGb());
  }

  /** The longest of the user time, the total time and the platform's duration; 0 when none is known. */
  longestDurationS(): number {
    let longest: number | undefined;
    for (const duration of [this.userExecutionDurationS, this.executionDurationS, this.platform?.durationS]) {
      if (duration !== undefined && (longest === undefined || duration > longest)) longest = duration;
    }
    return longest ?? 0.0;
  }

  /**
   * CPU time over (duration × vCPUs). A zero CPU time means the run was too short to
   * measure; the reference assumes full utilisation then. Undefined without CPU time.
   */
  cpuUtilization(): number | undefined {
    const cpu = this.platform?.cpuTotalTimeS;
    if (cpu === undefined) return undefined;
    if (cpu === 0) return 1.0;
    const memory = this.platform?.totalMemoryMb;
    const duration = this.longestDurationS();
    if (!memory || !duration) return undefined;
    return cpu / (duration * (memory / MEMORY_MB_PER_VCPU));
  }

  /**
   * Complete when the function itself logged (a request id and its EXECUTED/REDIRECT line).
   * The reference also demanded a Lambda Insights record; we do not (DESIGN.md §4 item 5).
   */
  isComplete(): boolean {
    return this.requestId !== undefined && this.finished;
  }


  toRecord(): ExecutionRecord {
    // Built key by key in the reference's order; None values are left out as it does.
    const record = { instance_name: this.instanceName, duration_s: this.longestDurationS() } as ExecutionRecord;
    if (this.cpuModel !== undefined) record.cpu_model = this.cpuModel;
    if (this.providerRegion !== undefined) record.provider_region = this.providerRegion;
    record.data_transfer_during_execution_gb = this.dataTransferDuringExecutionGb();
    const cpu = this.cpuUtilization();
    if (cpu !== undefined) record.cpu_utilization = cpu;
    if (this.successors.size > 0) record.successor_data = this.successorRecords();
    const analysis: AdditionalAnalysisData = { input_payload_size_gb: this.inputPayloadSizeGb };
    if (this.downloadSizeGb !== undefined) analysis.download_size_gb = this.downloadSizeGb;
    if (this.consumedReadCapacity !== undefined) analysis.consumed_read_capacity_from_download = this.consumedReadCapacity;
    analysis.total_input_data_transfer_gb = this.totalInputSizeGb();
    analysis.total_output_data_transfer_gb = this.totalOutputSizeGb();
    record.additional_analysis_data = analysis;
    if (this.platform?.coldStart) record.cold_start = true;
    return record;
  }

  private successorRecords(): Record<string, SuccessorCallRecord> {
    const records: Record<string, SuccessorCallRecord> = {};
    for (const [instance, call] of this.successors) records[instance] = call.toRecord();
    return records;
  }
}
