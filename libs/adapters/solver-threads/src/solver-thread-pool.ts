import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CaribouError } from '@caribou/domain-common';
import { compileModel, WorkflowModel } from '@caribou/domain-model';
import {
  CarbonMeanScreen,
  REFERENCE_MONTE_CARLO,
  RunStructure,
  slotsOf,
  type Deployment,
  type EvaluationRequest,
  type Hour,
  type MonteCarloSettings,
} from '@caribou/domain-solver';
import type { DeploymentMetrics } from '@caribou/domain-workflow';
import type { DeploymentMetricsEvaluator, DeploymentMetricsEvaluatorFactory, EvaluatorSetup } from '@caribou/ports';
import { METRIC_FIELDS, type FromWorker, type Round, type RoundBuffers, type RoundRequest, type ToWorker, type WireError } from './protocol';

export interface ThreadPoolOptions {
  /** Worker threads; defaults to the machine's available parallelism. */
  threads?: number;
  /** Worker entry module (tests and bundles override it). */
  workerEntry?: URL;
}

interface Pending {
  resolve: () => void;
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
      if (message.type === 'done') this.settle(message.id, (p) => p.resolve());
      else if (message.type === 'error' && message.id !== null) this.settle(message.id, (p) => p.reject(toError(message.error)));
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', (code) => this.failAll(new Error(`solver worker exited with code ${code}`)));
  }

  static start(entry: URL, setup: EvaluatorSetup, threads: number, index: number): Promise<SolverWorker> {
    // A TypeScript entry (the sources) starts through the bootstrap that registers tsx; a built one directly.
    const worker = entry.href.endsWith('.ts')
      ? new Worker(new URL('./bootstrap.mjs', import.meta.url), { workerData: { entry: entry.href } })
      : new Worker(entry, { workerData: { entry: entry.href } });
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
      worker.postMessage({ type: 'init', setup, threads, worker: index } satisfies ToWorker);
    });
  }

  /** Simulates its share of a round's requests; resolves when this worker has finished. */
  run(round: Omit<Round, 'id'>): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...round, id } satisfies ToWorker);
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
 * The worker-thread evaluator: every worker compiles the model and derives its own share of the
 * runs (contiguous whole batches, see run-shares.ts). A call to `evaluate` is one round: all
 * workers get all requests and simulate their share of each, in order, keeping the timing of
 * their runs so that a neighbour (`EvaluationRequest.base`) is re-timed only downstream of its
 * changes; samples land in shared memory in run order and the worker that completes a request
 * takes its metrics there — so results are identical to the in-thread evaluator's whatever the
 * number of threads.
 */
export class SolverThreadPool implements DeploymentMetricsEvaluator {
  simulations = 0;
  private closed = false;
  /** Rounds run one at a time (they share the buffers). */
  private queue: Promise<unknown> = Promise.resolve();
  /** Shared memory of rounds; sent to the workers with the first round that uses it (`buffersSent`). */
  private buffers: RoundBuffers = { control: new SharedArrayBuffer(4), samples: new SharedArrayBuffer(8), metrics: new SharedArrayBuffer(8) };
  private buffersSent = false;
  private control = new Int32Array(this.buffers.control);
  private metrics = new Float64Array(this.buffers.metrics);

  /** Built on first use, in this thread, from per-seed sums over all runs (the structure is dropped). */
  private screen: CarbonMeanScreen | undefined;

  private constructor(
    private readonly workers: SolverWorker[],
    private readonly settings: MonteCarloSettings,
    private readonly setup: EvaluatorSetup,
  ) {}

  averageCarbonBounds(deployment: Deployment, hour: Hour): [number, number] | null {
    if (!this.screen) {
      const compiled = compileModel(new WorkflowModel(this.setup.input, this.setup.model ?? {}));
      this.screen = new CarbonMeanScreen(compiled, new RunStructure(compiled, this.settings.runs, this.settings.batchSize, this.setup.seed));
    }
    return this.screen.averageCarbonBounds(deployment, slotsOf([hour])[0]!);
  }

  get threads(): number {
    return this.workers.length;
  }

  static async start(setup: EvaluatorSetup, options: ThreadPoolOptions = {}): Promise<SolverThreadPool> {
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1) throw new CaribouError(`threads must be a positive integer, got ${threads}`);
    const entry = options.workerEntry ?? new URL('./worker.ts', import.meta.url);
    const started = await Promise.allSettled(Array.from({ length: threads }, (_, index) => SolverWorker.start(entry, setup, threads, index)));
    const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw failed.reason;
    }
    return new SolverThreadPool(workers, setup.monteCarlo ?? REFERENCE_MONTE_CARLO, setup);
  }

  evaluate(requests: readonly EvaluationRequest[]): Promise<DeploymentMetrics[][]> {
    const round = this.queue.then(() => this.round(requests));
    this.queue = round.catch(() => undefined);
    return round;
  }

  private async round(requests: readonly EvaluationRequest[]): Promise<DeploymentMetrics[][]> {
    if (this.closed) throw new CaribouError('the solver thread pool is closed; create a new evaluator');
    if (requests.length === 0) return [];
    const runs = this.settings.runs;
    const fields = METRIC_FIELDS.length;
    let sampleCount = 0;
    let metricCount = 0;
    const layout: RoundRequest[] = requests.map((request) => {
      const entry: RoundRequest = {
        deployment: [...request.deployment],
        hours: [...request.hours],
        ...(request.base ? { base: [...request.base] } : {}),
        samples: sampleCount,
        metrics: metricCount,
      };
      sampleCount += (2 + request.hours.length) * runs;
      metricCount += Math.max(1, request.hours.length) * fields;
      return entry;
    });
    this.fitBuffers(sampleCount, metricCount, requests.length);
    this.control.fill(0, 0, requests.length);
    const round: Omit<Round, 'id'> = { type: 'round', requests: layout, ...(this.buffersSent ? {} : { buffers: this.buffers }) };
    this.buffersSent = true;
    // Every worker answers once; a failure is reported after all have stopped (none is still
    // writing to the shared buffers when the next round starts).
    const answers = await Promise.allSettled(this.workers.map((w) => w.run(round)));
    const failed = answers.find((a): a is PromiseRejectedResult => a.status === 'rejected');
    if (failed) throw failed.reason;
    this.simulations += requests.length;
    const values = this.metrics;
    // No hour: one metrics object with cost and runtime only (carbon NaN), see `EvaluationRequest`.
    return layout.map(({ hours, metrics }) =>
      Array.from({ length: Math.max(1, hours.length) }, (_, h): DeploymentMetrics => {
        const at = metrics + h * fields;
        return {
          average_cost: values[at]!,
          average_runtime: values[at + 1]!,
          average_carbon: values[at + 2]!,
          tail_cost: values[at + 3]!,
          tail_runtime: values[at + 4]!,
          tail_carbon: values[at + 5]!,
        };
      }),
    );
  }

  /** Grows the shared memory (to twice what is needed) when a round needs more; the next round sends it. */
  private fitBuffers(samples: number, metrics: number, requests: number): void {
    const { buffers } = this;
    if (buffers.samples.byteLength >= samples * 8 && buffers.metrics.byteLength >= metrics * 8 && buffers.control.byteLength >= requests * 4) return;
    this.buffers = {
      control: buffers.control.byteLength >= requests * 4 ? buffers.control : new SharedArrayBuffer(requests * 4 * 2),
      samples: buffers.samples.byteLength >= samples * 8 ? buffers.samples : new SharedArrayBuffer(samples * 8 * 2),
      metrics: buffers.metrics.byteLength >= metrics * 8 ? buffers.metrics : new SharedArrayBuffer(metrics * 8 * 2),
    };
    this.control = new Int32Array(this.buffers.control);
    this.metrics = new Float64Array(this.buffers.metrics);
    this.buffersSent = false;
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
