import { detach } from '../string-pool';
import type { RunLog } from '../summary-types';
import { formatTimeMicros, MICROS_PER_SECOND } from '../time-micros';
import { ExecutionData } from './execution-data';
import { StartHopData } from './start-hop-data';
import { TransmissionData } from './transmission-data';

/** The taint of a message from the client (the entry point's INVOKED line): it has no sender line. */
const CLIENT_TAINT = 'N/A';

/**
 * Everything the logs say about one run of a workflow (the reference's WorkflowRunSample).
 * A sync keeps thousands of these, so small lists stand in for sets where a run has a handful
 * of entries (request ids, CPU models).
 */
export class WorkflowRunSample {
  /** Request ids of the run's lines, each once. */
  readonly requestIds: string[] = [];
  startUs?: number;
  endUs?: number;
  readonly executions = new Map<string, ExecutionData>();
  readonly transmissions = new Map<string, TransmissionData>();
  readonly startHop = new StartHopData();
  readonly cpuModels: string[] = [];
  /** Ours: a line of this run could not be read, so its data would be partial. */
  damaged = false;
  /** Fingerprints of the run's `[CARIBOU]` lines: a line delivered twice would count its data twice. */
  private readonly lineFingerprints: number[] = [];

  constructor(readonly runId: string) {}

  /** Records a line; false when the same line was seen before (the run is then left out as damaged). */
  firstSight(line: string): boolean {
    const fingerprint = fingerprintOf(line);
    if (this.lineFingerprints.includes(fingerprint)) return false;
    this.lineFingerprints.push(fingerprint);
    return true;
  }

  extendEnd(timeUs: number): void {
    if (this.endUs === undefined || timeUs > this.endUs) this.endUs = timeUs;
  }

  /** The run's own copy of a request id (added on first sight), so that lines can be let go. */
  requestId(requestId: string): string {
    for (const known of this.requestIds) if (known === requestId) return known;
    const copy = detach(requestId);
    this.requestIds.push(copy);
    return copy;
  }

  addCpuModel(model: string): void {
    if (!this.cpuModels.includes(model)) this.cpuModels.push(model);
  }

  transmission(taint: string): TransmissionData {
    let transmission = this.transmissions.get(taint);
    if (transmission === undefined) {
      transmission = new TransmissionData(detach(taint));
      this.transmissions.set(transmission.taint, transmission);
    }
    return transmission;
  }

  /** The instance's record; a request id, when given, is the invocation the line came from. */
  execution(instanceName: string, requestId: string | undefined): ExecutionData {
    let execution = this.executions.get(instanceName);
    if (execution === undefined) {
      execution = new ExecutionData(instanceName);
      this.executions.set(instanceName, execution);
    }
    if (requestId !== undefined) execution.seenRequestId(requestId);
    return execution;
  }

  /** All executions that belong to the run, the redirector included. */
  allExecutions(): ExecutionData[] {
    const all = [...this.executions.values()];
    if (this.startHop.redirector !== undefined) all.unshift(this.startHop.redirector);
    return all;
  }

  /** An instance that ran under two request ids ran twice (a retry) and distorts the data. */
  hasDuplicateInstances(): boolean {
    for (const execution of this.executions.values()) if (execution.ranTwice) return true;
    return false;
  }

  /**
   * Ours: a message whose sender logged it as invoking and whose receiver never logged it
   * (or the other way round), or a function that ran although no message to it was logged,
   * means lines are missing; the reference dropped such a transmission from the run
   * silently and kept the run.
   */
  hasHalfLoggedTransmission(): boolean {
    for (const transmission of this.transmissions.values()) {
      const sent = transmission.fromInstance !== undefined;
      const received = transmission.endUs !== undefined;
      if (sent && transmission.successorInvoked === true && !received) return true;
      if (received && !sent && transmission.taint !== CLIENT_TAINT) return true;
    }
    // Both sides of a message lost: the function it started ran, but nothing reached it.
    const reached = new Set<string>();
    for (const transmission of this.transmissions.values()) {
      if (transmission.fromInstance !== undefined && transmission.endUs !== undefined && transmission.toInstance !== undefined) reached.add(transmission.toInstance);
    }
    for (const execution of this.executions.values()) {
      if (execution.finished && !execution.instanceName.includes(':entry_point:') && !reached.has(execution.instanceName)) return true;
    }
    return false;
  }

  isValidAndComplete(): boolean {
    if (this.damaged || this.startUs === undefined || this.endUs === undefined) return false;
    if (this.hasDuplicateInstances()) return false;
    if (this.hasHalfLoggedTransmission()) return false;
    // Ours: every finished invocation logs its CPU model right after EXECUTED; without it the line was lost.
    for (const execution of this.executions.values()) if (execution.finished && execution.cpuModel === undefined) return false;
    for (const execution of this.executions.values()) if (!execution.isComplete()) return false;
    return this.startHop.isComplete();
  }

  hasColdStart(): boolean {
    if (this.startHop.redirector?.platform?.coldStart) return true;
    for (const execution of this.executions.values()) if (execution.platform?.coldStart) return true;
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

/** A 53-bit hash of a line (cyrb53): two different lines of one run share one with negligible odds. */
function fingerprintOf(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
