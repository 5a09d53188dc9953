import type { EvaluatorSetup } from '@caribou/ports';
import type { DeploymentMetrics } from '@caribou/domain-workflow';

/** One piece of work: batches [batchFrom, batchTo) of one request. */
export interface WorkTask {
  deployment: number[];
  hours: Array<number | null>;
  batchFrom: number;
  batchTo: number;
  /** All batches of the request: the worker returns metrics instead of samples. */
  whole: boolean;
}

export type ToWorker = { type: 'init'; setup: EvaluatorSetup } | { type: 'evaluate'; id: number; tasks: WorkTask[] };

export interface TaskSamples {
  cost: Float64Array;
  runtime: Float64Array;
  carbon: Float64Array;
}

export type TaskResult = { metrics: DeploymentMetrics[] } | { samples: TaskSamples };

export interface WireError {
  name: string;
  message: string;
}

export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; id: number; results: TaskResult[] }
  | { type: 'error'; id: number | null; error: WireError };
