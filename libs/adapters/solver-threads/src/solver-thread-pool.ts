import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CaribouError } from '@caribou/domain-common';
import {
  allocateSamples,
  batchCount,
  metricsFromSamples,
  REFERENCE_MONTE_CARLO,
  type EvaluationRequest,
  type MonteCarloSettings,
} from '@caribou/domain-solver';
import type { DeploymentMetrics } from '@caribou/domain-workflow';
import type { DeploymentMetricsEvaluator, DeploymentMetricsEvaluatorFactory, EvaluatorSetup } from '@caribou/ports';
import type { FromWorker, TaskResult, ToWorker, WireError, WorkTask } from './protocol';
import { planWork, type WorkSegment } from './work-plan';

export interface ThreadPoolOptions {
  /** Worker threads; defaults to the machine's available parallelism. */
  threads?: number;
  /** Worker entry module (tests and bundles override it). */
  workerEntry?: URL;
}

interface Pending {
  resolve: (results: TaskResult[]) => void;
  reject: (error: Error) => void;
}

function toError(error: WireError): Error {
  if (error.name === 'CaribouError') return new CaribouError(error.message);
  const result = new Error(error.message);
  result.name = error.name;
  return result;
}

class SolverWorker {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'result') this.settle(message.id, (p) => p.resolve(message.results));
      else if (message.type === 'error' && message.id !== null) this.settle(message.id, (p) => p.reject(toError(message.error)));
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', (code) => this.failAll(new Error(`solver worker exited with code ${code}`)));
  }

  static start(entry: URL, setup: EvaluatorSetup): Promise<SolverWorker> {
    const worker = new Worker(new URL('./bootstrap.mjs', import.meta.url), { workerData: { entry: entry.href } });
    return new Promise((resolve, reject) => {
      const onMessage = (message: FromWorker): void => {
        if (message.type === 'ready') {
          worker.off('message', onMessage);
          worker.off('error', reject);
          resolve(new SolverWorker(worker));
        } else if (message.type === 'error' && message.id === null) {
          worker.off('message', onMessage);
          void worker.terminate();
          reject(toError(message.error));
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.postMessage({ type: 'init', setup } satisfies ToWorker);
    });
  }

  run(tasks: WorkTask[]): Promise<TaskResult[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'evaluate', id, tasks } satisfies ToWorker);
    });
  }

  terminate(): Promise<number> {
    this.failure ??= new Error('solver thread pool is closed');
    this.worker.removeAllListeners('exit');
    return this.worker.terminate();
  }

  private settle(id: number, action: (pending: Pending) => void): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    action(pending);
  }

  private failAll(error: Error): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

/**
 * The worker-thread evaluator: every worker compiles the model and builds the same draw table
 * (same seed), requests are split into batch ranges across workers, and the samples are
 * reassembled in batch order before the metrics are taken — so results are identical to the
 * in-thread evaluator's whatever the number of threads.
 */
export class SolverThreadPool implements DeploymentMetricsEvaluator {
  simulations = 0;
  private closed = false;

  private constructor(
    private readonly workers: SolverWorker[],
    private readonly settings: MonteCarloSettings,
  ) {}

  get threads(): number {
    return this.workers.length;
  }

  static async start(setup: EvaluatorSetup, options: ThreadPoolOptions = {}): Promise<SolverThreadPool> {
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1) throw new CaribouError(`threads must be a positive integer, got ${threads}`);
    const entry = options.workerEntry ?? new URL('./worker.ts', import.meta.url);
    const started = await Promise.allSettled(Array.from({ length: threads }, () => SolverWorker.start(entry, setup)));
    const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw failed.reason;
    }
    return new SolverThreadPool(workers, setup.monteCarlo ?? REFERENCE_MONTE_CARLO);
  }

  async evaluate(requests: readonly EvaluationRequest[]): Promise<DeploymentMetrics[][]> {
    if (this.closed) throw new CaribouError('the solver thread pool is closed; create a new evaluator');
    if (requests.length === 0) return [];
    const batches = batchCount(this.settings);
    const plan = planWork(requests.length, batches, this.workers.length);
    const toTask = (segment: WorkSegment): WorkTask => {
      const request = requests[segment.request]!;
      return {
        deployment: [...request.deployment],
        hours: [...request.hours],
        batchFrom: segment.batchFrom,
        batchTo: segment.batchTo,
        whole: segment.batchFrom === 0 && segment.batchTo === batches,
      };
    };
    const answers = await Promise.all(plan.map((segments, w) => (segments.length ? this.workers[w]!.run(segments.map(toTask)) : [])));
    const metrics: Array<DeploymentMetrics[] | undefined> = new Array(requests.length);
    const partial = new Map<number, ReturnType<typeof allocateSamples>>();
    plan.forEach((segments, w) => {
      segments.forEach((segment, k) => {
        const answer = answers[w]![k]!;
        if ('metrics' in answer) {
          metrics[segment.request] = answer.metrics;
          return;
        }
        const hours = requests[segment.request]!.hours.length;
        let block = partial.get(segment.request);
        if (!block) {
          block = allocateSamples(this.settings.runs, hours);
          partial.set(segment.request, block);
        }
        const offset = segment.batchFrom * this.settings.batchSize;
        const runs = answer.samples.cost.length;
        block.cost.set(answer.samples.cost, offset);
        block.runtime.set(answer.samples.runtime, offset);
        for (let h = 0; h < hours; h++)
          block.carbon.set(answer.samples.carbon.subarray(h * runs, (h + 1) * runs), h * this.settings.runs + offset);
      });
    });
    for (const [request, block] of partial) metrics[request] = metricsFromSamples(block, requests[request]!.hours.length);
    this.simulations += requests.length;
    return metrics as DeploymentMetrics[][];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** The `DeploymentMetricsEvaluatorFactory` of the worker pool ('fast' calculator). */
export class ThreadedEvaluatorFactory implements DeploymentMetricsEvaluatorFactory {
  constructor(private readonly options: ThreadPoolOptions = {}) {}

  create(setup: EvaluatorSetup): Promise<DeploymentMetricsEvaluator> {
    return SolverThreadPool.start(setup, this.options);
  }
}
