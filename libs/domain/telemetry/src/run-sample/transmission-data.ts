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
    // Key by key in the reference's order; None values are left out as it does.
    const record: TransmissionRecord = { transmission_size_gb: this.payloadSizeGb };
    const latency = this.latencyS();
    if (latency !== undefined) record.transmission_latency_s = latency;
    if (this.fromInstance !== undefined) record.from_instance = this.fromInstance;
    if (this.uninvokedInstance !== undefined) record.uninvoked_instance = this.uninvokedInstance;
    if (this.simulatedSyncPredecessor !== undefined) record.simulated_sync_predecessor = this.simulatedSyncPredecessor;
    if (this.toInstance !== undefined) record.to_instance = this.toInstance;
    if (this.fromRegion !== undefined) record.from_region = this.fromRegion;
    if (this.toRegion !== undefined) record.to_region = this.toRegion;
    if (this.successorInvoked !== undefined) record.successor_invoked = this.successorInvoked;
    if (this.fromDirectSuccessor !== undefined) record.from_direct_successor = this.fromDirectSuccessor;
    if (this.redirectorTransmission !== undefined) record.redirector_transmission = this.redirectorTransmission;
    if (this.containsSyncInformation) {
      const sync: NonNullable<TransmissionRecord['sync_information']> = {};
      if (this.uploadSizeGb !== undefined) sync.upload_size_gb = this.uploadSizeGb;
      if (this.consumedWriteCapacity !== undefined) sync.consumed_write_capacity = this.consumedWriteCapacity;
      if (this.syncDataResponseSizeGb !== undefined) sync.sync_data_response_size_gb = this.syncDataResponseSizeGb;
      record.sync_information = sync;
    }
    return record;
  }
}
