import type { MessagePort } from 'node:worker_threads';
import { CaribouError } from '@caribou/domain-common';
import { compileModel, WorkflowModel, type CompiledModel } from '@caribou/domain-model';
import {
  BatchSimulator,
  metricsFromSamples,
  REFERENCE_MONTE_CARLO,
  slotsOf,
  type Deployment,
  type MonteCarloSettings,
  type SampleBlock,
} from '@caribou/domain-solver';
import { METRIC_FIELDS, type FromWorker, type Round, type ToWorker, type WireError } from './protocol';
import { runShares, type RunShare } from './run-shares';

/** What a worker simulates with (the batch simulator; the benchmark's baseline plugs in its own). */
export interface WorkerSimulator {
  setDeployment(deployment: Deployment, base?: Deployment): void;
  simulate(first: number, last: number, slots: readonly number[], out: SampleBlock, offset: number): void;
}

export type WorkerSimulatorFactory = (model: CompiledModel, share: RunShare, settings: MonteCarloSettings, seed: number) => WorkerSimulator;

/** The worker's own simulator: the structure and timing states of its share of the runs only. */
export const batchSimulatorForShare: WorkerSimulatorFactory = (model, share, settings, seed) =>
  new BatchSimulator(model, share.last - share.first, settings.batchSize, seed, { firstRun: share.first });

let simulator: WorkerSimulator | undefined;
let settings: MonteCarloSettings = REFERENCE_MONTE_CARLO;
let share: RunShare = { first: 0, last: 0 };
/** Workers with a non-empty share: the last of them to finish a request takes its metrics. */
let activeWorkers = 1;
let scratch = new Float64Array(0);

function wireError(error: unknown): WireError {
  if (error instanceof Error) return { name: error instanceof CaribouError ? 'CaribouError' : error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

let send: (message: FromWorker) => void = () => undefined;

/** Views of the pool's shared memory (see `Round.buffers`). */
let control = new Int32Array(new SharedArrayBuffer(0));
let samples = new Float64Array(new SharedArrayBuffer(0));
let metrics = new Float64Array(new SharedArrayBuffer(0));

function runRound(round: Round): void {
  const runs = settings.runs;
  round.requests.forEach((request, i) => {
    const hours = request.hours.length;
    const at = request.samples;
    const block: SampleBlock = {
      runs,
      cost: samples.subarray(at, at + runs),
      runtime: samples.subarray(at + runs, at + 2 * runs),
      carbon: samples.subarray(at + 2 * runs, at + (2 + hours) * runs),
    };
    const slots = slotsOf(request.hours);
    if (simulator) {
      simulator.setDeployment(request.deployment, request.base);
      simulator.simulate(share.first, share.last, slots, block, share.first);
    }
    // The completing worker sees every other worker's samples: Atomics.add orders the writes.
    if (simulator && Atomics.add(control, i, 1) + 1 === activeWorkers) {
      const result = metricsFromSamples(block, hours, scratch);
      const fields = METRIC_FIELDS.length;
      for (let h = 0; h < result.length; h++)
        for (let f = 0; f < fields; f++) metrics[request.metrics + h * fields + f] = result[h]![METRIC_FIELDS[f]!]!;
    }
  });
}

/**
 * Serves a solver worker on `port`: builds the compiled model and the simulator of its share of
 * the runs once, then, per round, simulates its share of every request into shared memory (see
 * protocol.ts), keeping timing states of its runs for neighbouring deployments. It always
 * answers a round exactly once, `done` or `error`.
 */
export function serveSolverWorker(port: MessagePort, makeSimulator: WorkerSimulatorFactory = batchSimulatorForShare): void {
  send = (message) => port.postMessage(message);
  port.on('message', (message: ToWorker) => {
    if (message.type === 'init') {
      try {
        settings = message.setup.monteCarlo ?? REFERENCE_MONTE_CARLO;
        const shares = runShares(settings.runs, settings.batchSize, message.threads);
        share = shares[message.worker]!;
        activeWorkers = shares.filter((s) => s.last > s.first).length;
        const model = new WorkflowModel(message.setup.input, message.setup.model ?? {});
        const compiled = compileModel(model);
        if (share.last > share.first) simulator = makeSimulator(compiled, share, settings, message.setup.seed);
        scratch = new Float64Array(settings.runs);
        send({ type: 'ready' });
      } catch (error) {
        send({ type: 'error', id: null, error: wireError(error) });
      }
      return;
    }
    if (message.buffers) {
      control = new Int32Array(message.buffers.control);
      samples = new Float64Array(message.buffers.samples);
      metrics = new Float64Array(message.buffers.metrics);
    }
    try {
      runRound(message);
      send({ type: 'done', id: message.id });
    } catch (error) {
      send({ type: 'error', id: message.id, error: wireError(error) });
    }
  });
}
