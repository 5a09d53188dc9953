import type { EvaluatorSetup } from '@caribou/ports';

/**
 * One round of work: every worker gets the same requests and claims batches of them from a
 * shared counter until none are left. Samples go straight into shared memory at the request's
 * offset (in batch order, whoever simulates them); the worker that completes a request's last
 * batch takes its metrics and writes them to shared memory too. Nothing is copied back.
 */
export interface RoundRequest {
  deployment: number[];
  hours: Array<number | null>;
  /** Float64 index of the request's samples: cost [runs], runtime [runs], carbon [hours × runs]. */
  samples: number;
  /** Float64 index of its metrics: per hour, METRIC_FIELDS in order. */
  metrics: number;
}

export interface Round {
  type: 'round';
  id: number;
  requests: RoundRequest[];
  /** Int32: [0] the next unclaimed unit (request · batches + batch), [1 + i] batches done of request i. */
  control: SharedArrayBuffer;
  samples: SharedArrayBuffer;
  metrics: SharedArrayBuffer;
}

export type ToWorker = { type: 'init'; setup: EvaluatorSetup; threads: number } | Round;

export interface WireError {
  name: string;
  message: string;
}

export type FromWorker =
  | { type: 'ready' }
  | { type: 'done'; id: number }
  | { type: 'error'; id: number | null; error: WireError };

/** The metrics of one hour, in the order they are stored in shared memory. */
export const METRIC_FIELDS = ['average_cost', 'average_runtime', 'average_carbon', 'tail_cost', 'tail_runtime', 'tail_carbon'] as const;

/**
 * How many batches to claim at unit `unit` of `total` (guided self-scheduling): whole requests
 * while there is plenty left, smaller pieces towards the end so the threads finish together;
 * never past the end of the request (one deployment per claim).
 */
export function claimSize(unit: number, total: number, batches: number, threads: number): number {
  return Math.max(1, Math.min(batches - (unit % batches), Math.floor((total - unit) / (2 * threads))));
}
