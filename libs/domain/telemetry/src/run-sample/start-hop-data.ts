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
  /** Request ids seen for the redirector: more than one means a duplicate invocation. */
  readonly redirectorRequestIds = new Set<string>();

  /** The redirector's record; one instance name per run, else the lines are inconsistent. */
  redirectorExecution(instanceName: string, requestId: string | undefined): ExecutionData {
    if (requestId !== undefined) this.redirectorRequestIds.add(requestId);
    if (this.redirector === undefined) this.redirector = new ExecutionData(instanceName);
    else if (this.redirector.instanceName !== instanceName) {
      throw new MalformedLogError(`redirector instance '${instanceName}' differs from '${this.redirector.instanceName}' seen earlier in the run`);
    }
    if (this.redirector.requestId === undefined && requestId !== undefined) this.redirector.requestId = requestId;
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
    return this.redirectorRequestIds.size === 1 && this.redirector.isComplete();
  }

  /**
   * `data_transfer_size_gb` is what the client sent; when the caller overrode the placement
   * decision inside the payload, that part is not user data, so it is subtracted (floor 0)
   * and the raw size kept as `original_data_size_gb`.
   */
  toRecord(): StartHopRecord {
    let transferSize = this.userPayloadSizeGb;
    const overridden = this.overriddenWpdSizeGb !== undefined && this.userPayloadSizeGb !== undefined;
    if (overridden) transferSize = Math.max(0, this.userPayloadSizeGb! - this.overriddenWpdSizeGb!);
    return {
      ...(this.destination !== undefined && { destination: this.destination }),
      ...(this.requestSource !== undefined && { request_source: this.requestSource }),
      ...(transferSize !== undefined && { data_transfer_size_gb: transferSize }),
      ...(this.latencyFromClientS !== undefined && { latency_from_client_s: this.latencyFromClientS }),
      ...(this.timeFromFunctionStartToEntryPointS !== undefined && {
        time_from_function_start_to_entry_point_s: this.timeFromFunctionStartToEntryPointS,
      }),
      workflow_placement_decision: {
        ...(this.wpdSizeGb !== undefined && { data_size_gb: this.wpdSizeGb }),
        ...(this.consumedReadCapacity !== undefined && { consumed_read_capacity: this.consumedReadCapacity }),
        retrieved_wpd_at_function: this.retrievedWpdAtFunction,
      },
      ...(this.redirector !== undefined && { redirector_execution_data: this.redirector.toRecord() }),
      ...(overridden && { original_data_size_gb: this.userPayloadSizeGb, overridden_wpd_data_size: this.overriddenWpdSizeGb }),
    };
  }
}
