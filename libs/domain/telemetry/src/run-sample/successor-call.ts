import type { SuccessorCallRecord, SuccessorTaskType, SyncProxyRecord } from '../summary-types';

const EMPTY_PROXIES: ReadonlyMap<string, SyncProxyRecord> = new Map();

/**
 * What one execution did towards one successor (the reference's ExecutionToSuccessorData):
 * invoke it, upload to its sync table, skip it, or redirect to it.
 */
export class SuccessorCall {
  taskType?: SuccessorTaskType;
  invocationTimeFromFunctionStartS?: number;
  /** Debugging only, as in the reference: not in the summary. */
  finishTimeFromInvocationStartS?: number;
  outputPayloadSizeGb?: number;
  uploadSizeGb?: number;
  consumedWriteCapacity?: number;
  syncDataResponseSizeGb?: number;
  destinationRegion?: string;
  /** Sync-node updates made on behalf of this (skipped) successor, keyed `"<pred>><sync>"`. */
  private proxyOutputs?: Map<string, SyncProxyRecord>;

  constructor(readonly successorInstance: string) {}

  get syncProxyOutputs(): ReadonlyMap<string, SyncProxyRecord> {
    return this.proxyOutputs ?? EMPTY_PROXIES;
  }

  addSyncProxyOutput(key: string, output: SyncProxyRecord): void {
    (this.proxyOutputs ??= new Map()).set(key, output);
  }

  /** Bytes that left the function for this successor: payload, sync upload, proxy updates. */
  totalOutputSizeGb(): number {
    let total = 0.0;
    if (this.outputPayloadSizeGb) total += this.outputPayloadSizeGb;
    if (this.uploadSizeGb) total += this.uploadSizeGb;
    for (const proxy of this.syncProxyOutputs.values()) total += proxy.data_transfer_size;
    return total;
  }

  /** Bytes that came back: the sync table's update response. */
  totalInputSizeGb(): number {
    return this.syncDataResponseSizeGb ? this.syncDataResponseSizeGb : 0.0;
  }

  toRecord(): SuccessorCallRecord {
    const record: SuccessorCallRecord = {};
    if (this.taskType !== undefined) record.task_type = this.taskType;
    if (this.invocationTimeFromFunctionStartS !== undefined) record.invocation_time_from_function_start_s = this.invocationTimeFromFunctionStartS;
    if (this.syncProxyOutputs.size > 0) record.sync_info = Object.fromEntries(this.syncProxyOutputs);
    // The reference writes the capacity only when it is truthy (0.0 is left out).
    if (this.consumedWriteCapacity) record.consumed_write_capacity = this.consumedWriteCapacity;
    return record;
  }
}
