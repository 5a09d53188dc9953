import type { LatencyObservation } from '@caribou/domain-collection';

export type { LatencyObservation, LatencyPercentile, LatencyPercentilesMs } from '@caribou/domain-collection';

export interface LatencyReading {
  /** Percentiles in milliseconds (cloudping, the dataset) or ready samples in seconds. */
  observation: LatencyObservation;
  /** Short, groupable name of what produced it, e.g. `cloudping:1W` or `offline:cloudping-p50-1Y`. */
  source: string;
  /** The region codes actually measured, when the source substituted a nearby region. */
  measuredFrom: string;
  measuredTo: string;
}

/**
 * Latency between two regions of one provider, by region code (direction matters: the
 * data is not symmetric). Resolves undefined when the pair is unknown even after the
 * reference's code substitutions; rejects when the source itself fails.
 */
export interface LatencySource {
  readonly name: string;
  read(fromCode: string, toCode: string): Promise<LatencyReading | undefined>;
}
