import { MICROS_PER_SECOND } from '../time-micros';
import type { TransmissionRecord } from '../summary-types';

/**
 * One message between two instances of a run, identified by its taint (the reference's
 * TransmissionData): the sender's log time to the receiver's INVOKED time is the latency.
 */
export class TransmissionData {
  startUs?: number;
  endUs?: number;
  payloadSizeGb = 0.0;
  fromInstance?: string;
  toInstance?: string;
  fromRegion?: string;
  toRegion?: string;
  successorInvoked?: boolean;
  fromDirectSuccessor?: boolean;
  redirectorTransmission?: boolean;
  /** Set when the message went with a sync-table upload (or stands for a sync-node update). */
  containsSyncInformation = false;
  uploadSizeGb?: number;
  /** Debugging only, as in the reference: not in the summary. */
  uploadRttS?: number;
  consumedWriteCapacity?: number;
  syncDataResponseSizeGb?: number;
  /** For a sync-node call made on behalf of a skipped successor: that successor. */
  uninvokedInstance?: string;
  simulatedSyncPredecessor?: string;

  constructor(readonly taint: string) {}

  /** Seconds from the sender's log line to the receiver's INVOKED line; undefined until both are seen. */
  latencyS(): number | undefined {
    if (this.startUs === undefined || this.endUs === undefined) return undefined;
    // Integer microseconds divided once: the same double as Python's timedelta.total_seconds().
    return (this.endUs - this.startUs) / MICROS_PER_SECOND;
  }

  isComplete(): boolean {
    return Boolean(this.fromInstance && this.toInstance && this.fromRegion && this.toRegion);
  }

  toRecord(): TransmissionRecord {
    const latency = this.latencyS();
    const record: TransmissionRecord = {
      transmission_size_gb: this.payloadSizeGb,
      ...(latency !== undefined && { transmission_latency_s: latency }),
      ...(this.fromInstance !== undefined && { from_instance: this.fromInstance }),
      ...(this.uninvokedInstance !== undefined && { uninvoked_instance: this.uninvokedInstance }),
      ...(this.simulatedSyncPredecessor !== undefined && { simulated_sync_predecessor: this.simulatedSyncPredecessor }),
      ...(this.toInstance !== undefined && { to_instance: this.toInstance }),
      ...(this.fromRegion !== undefined && { from_region: this.fromRegion }),
      ...(this.toRegion !== undefined && { to_region: this.toRegion }),
      ...(this.successorInvoked !== undefined && { successor_invoked: this.successorInvoked }),
      ...(this.fromDirectSuccessor !== undefined && { from_direct_successor: this.fromDirectSuccessor }),
      ...(this.redirectorTransmission !== undefined && { redirector_transmission: this.redirectorTransmission }),
    };
    if (this.containsSyncInformation) {
      record.sync_information = {
        ...(this.uploadSizeGb !== undefined && { upload_size_gb: this.uploadSizeGb }),
        ...(this.consumedWriteCapacity !== undefined && { consumed_write_capacity: this.consumedWriteCapacity }),
        ...(this.syncDataResponseSizeGb !== undefined && { sync_data_response_size_gb: this.syncDataResponseSizeGb }),
      };
    }
    return record;
  }
}
