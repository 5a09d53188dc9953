import type { StartHopRecord } from '../summary-types';
import { MalformedLogError } from '../malformed-log-error';
import { ExecutionData } from './execution-data';

/**
 * How a run reached its first function (the reference's StartHopData): from the client,
 * possibly through a redirector (the entry point running at home that forwarded the
 * request to the placed region).
 */
export class StartHopData {
  requestSource?: string;
  destination?: string;
  userPayloadSizeGb?: number;
  wpdSizeGb?: number;
  consumedReadCapacity?: number;
  /** Debugging only, as in the reference: not in the summary. */
  initLatencyFromFirstReceivedS?: number;
  timeFromFunctionStartToEntryPointS?: number;
  latencyFromClientS?: number;
  overriddenWpdSizeGb?: number;
  retrievedWpdAtFunction = false;
  startHopInstanceName?: string;
  redirector?: ExecutionData;
  /** The redirector's record; one instance name per run, else the lines are inconsistent. */
  redirectorExecution(instanceName: string, requestId: string | undefined): ExecutionData {
    if (this.redirector === undefined) this.redirector = new ExecutionData(instanceName);
    else if (this.redirector.instanceName !== instanceName) {
      throw new MalformedLogError(`redirector instance '${instanceName}' differs from '${this.redirector.instanceName}' seen earlier in the run`);
    }
    // A second request id means the redirector ran twice.
    if (requestId !== undefined) this.redirector.seenRequestId(requestId);
    return this.redirector;
  }

  isComplete(): boolean {
    const required =
      this.requestSource !== undefined &&
      this.destination !== undefined &&
      this.userPayloadSizeGb !== undefined &&
      this.wpdSizeGb !== undefined &&
      this.consumedReadCapacity !== undefined &&
      this.timeFromFunctionStartToEntryPointS !== undefined &&
      this.latencyFromClientS !== undefined;
    if (!required) return false;
    if (this.redirector === undefined) return true;
    return !this.redirector.ranTwice && this.redirector.isComplete();
  }

  /**
   * `data_transfer_size_gb` is what the client sent; when the caller overrode the placement
   * decision inside the payload, that part is not user data, so it is subtracted (floor 0)
   * and the raw size kept as `original_data_size_gb`.
   */
  toRecord(): StartHopRecord {
    const record: StartHopRecord = {};
    if (this.destination !== undefined) record.destination = this.destination;
    if (this.requestSource !== undefined) record.request_source = this.requestSource;
    const overridden = this.overriddenWpdSizeGb !== undefined && this.userPayloadSizeGb !== undefined;
    if (this.userPayloadSizeGb !== undefined) {
      record.data_transfer_size_gb = overridden ? Math.max(0, this.userPayloadSizeGb - this.overriddenWpdSizeGb!) : this.userPayloadSizeGb;
    }
    if (this.latencyFromClientS !== undefined) record.latency_from_client_s = this.latencyFromClientS;
    if (this.timeFromFunctionStartToEntryPointS !== undefined) record.time_from_function_start_to_entry_point_s = this.timeFromFunctionStartToEntryPointS;
    const wpd: NonNullable<StartHopRecord['workflow_placement_decision']> = { retrieved_wpd_at_function: this.retrievedWpdAtFunction };
    if (this.wpdSizeGb !== undefined) wpd.data_size_gb = this.wpdSizeGb;
    if (this.consumedReadCapacity !== undefined) wpd.consumed_read_capacity = this.consumedReadCapacity;
    record.workflow_placement_decision = wpd;
    if (this.redirector !== undefined) record.redirector_execution_data = this.redirector.toRecord();
    if (overridden) {
      record.original_data_size_gb = this.userPayloadSizeGb;
      record.overridden_wpd_data_size = this.overriddenWpdSizeGb;
    }
    return record;
  }
}
