import type { RunLog } from '../summary-types';
import { formatTimeMicros, MICROS_PER_SECOND } from '../time-micros';
import { ExecutionData } from './execution-data';
import { StartHopData } from './start-hop-data';
import { TransmissionData } from './transmission-data';

/** Everything the logs say about one run of a workflow (the reference's WorkflowRunSample). */
export class WorkflowRunSample {
  readonly requestIds = new Set<string>();
  /** Request ids per instance: an instance that ran under two ids ran twice (a retry) and distorts the data. */
  private readonly instanceRequestIds = new Map<string, Set<string>>();
  startUs?: number;
  endUs?: number;
  readonly executions = new Map<string, ExecutionData>();
  readonly transmissions = new Map<string, TransmissionData>();
  readonly startHop = new StartHopData();
  readonly cpuModels = new Set<string>();
  /** Ours: a line of this run could not be read, so its data would be partial. */
  damaged = false;

  constructor(readonly runId: string) {}

  extendEnd(timeUs: number): void {
    if (this.endUs === undefined || timeUs > this.endUs) this.endUs = timeUs;
  }

  transmission(taint: string): TransmissionData {
    let transmission = this.transmissions.get(taint);
    if (transmission === undefined) {
      transmission = new TransmissionData(taint);
      this.transmissions.set(taint, transmission);
    }
    return transmission;
  }

  /** The instance's record; a request id, when given, is the invocation the line came from. */
  execution(instanceName: string, requestId: string | undefined): ExecutionData {
    if (requestId !== undefined) {
      let ids = this.instanceRequestIds.get(instanceName);
      if (ids === undefined) {
        ids = new Set();
        this.instanceRequestIds.set(instanceName, ids);
      }
      ids.add(requestId);
    }
    let execution = this.executions.get(instanceName);
    if (execution === undefined) {
      execution = new ExecutionData(instanceName);
      this.executions.set(instanceName, execution);
    }
    if (requestId !== undefined && execution.requestId === undefined) execution.requestId = requestId;
    return execution;
  }

  /** All executions that belong to the run, the redirector included. */
  *allExecutions(): Iterable<ExecutionData> {
    if (this.startHop.redirector !== undefined) yield this.startHop.redirector;
    yield* this.executions.values();
  }

  hasDuplicateInstances(): boolean {
    for (const ids of this.instanceRequestIds.values()) if (ids.size > 1) return true;
    return false;
  }

  isValidAndComplete(): boolean {
    if (this.damaged || this.startUs === undefined || this.endUs === undefined) return false;
    if (this.hasDuplicateInstances()) return false;
    for (const execution of this.executions.values()) if (!execution.isComplete()) return false;
    return this.startHop.isComplete();
  }

  hasColdStart(): boolean {
    for (const execution of this.allExecutions()) if (execution.platform?.coldStart) return true;
    return false;
  }

  /**
   * The summary entry. A placement decision the function fetched itself was downloaded
   * during the execution, so its size counts as that execution's input (the redirector's
   * when there is one, as it is the one that fetched it).
   */
  toRunLog(): RunLog {
    if (this.startUs === undefined || this.endUs === undefined) throw new Error(`run ${this.runId} has no start or end time`);
    if (this.startHop.retrievedWpdAtFunction && this.startHop.wpdSizeGb !== undefined) {
      const fetcher =
        this.startHop.redirector ??
        (this.startHop.startHopInstanceName === undefined ? undefined : this.executions.get(this.startHop.startHopInstanceName));
      if (fetcher !== undefined) fetcher.downloadedWpdSizeGb = this.startHop.wpdSizeGb;
    }
    const executionData = [];
    for (const execution of this.executions.values()) if (execution.isComplete()) executionData.push(execution.toRecord());
    const transmissionData = [];
    for (const transmission of this.transmissions.values()) if (transmission.isComplete()) transmissionData.push(transmission.toRecord());
    return {
      run_id: this.runId,
      start_time: formatTimeMicros(this.startUs),
      runtime_s: (this.endUs - this.startUs) / MICROS_PER_SECOND,
      execution_data: executionData,
      transmission_data: transmissionData,
      start_hop_info: this.startHop.toRecord(),
      unique_cpu_models: [...this.cpuModels],
    };
  }
}
