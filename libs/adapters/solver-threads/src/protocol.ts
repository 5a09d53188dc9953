import type { EvaluatorSetup } from '@caribou/ports';

/**
 * One round of work: every worker gets the same requests and simulates its own share of the
 * runs of each, in request order (see run-shares.ts). Samples go straight into shared memory at
 * the request's offset; the worker that completes a request's last share takes its metrics and
 * writes them to shared memory too. Nothing is copied back.
 */
export interface RoundRequest {
  deployment: number[];
  hours: Array<number | null>;
  /** A deployment this one is a neighbour of (its timing may be kept by the workers). */
  base?: number[];
  /** Float64 index of the request's samples: cost [runs], runtime [runs], carbon [hours × runs]. */
  samples: number;
  /** Float64 index of its metrics: per hour, METRIC_FIELDS in order. */
  metrics: number;
}

/** The shared memory of rounds, sent again only when the pool outgrows it. */
export interface RoundBuffers {
  /** Int32 per request: workers that have finished their share of it. */
  control: SharedArrayBuffer;
  samples: SharedArrayBuffer;
  metrics: SharedArrayBuffer;
}

export interface Round {
  type: 'round';
  id: number;
  requests: RoundRequest[];
  /**
   * New shared memory for this round and the next ones; absent when the last one still serves.
   * (A SharedArrayBuffer in every message cost each worker a new buffer object, views and GC work
   * per round: ~0.2 ms of CPU per round of a 30 × 20 evaluation, mostly garbage collection.)
   */
  buffers?: RoundBuffers;
}

export type ToWorker = { type: 'init'; setup: EvaluatorSetup; threads: number; worker: number } | Round;

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
