import { parentPort } from 'node:worker_threads';
import { CaribouError } from '@caribou/domain-common';
import { compileModel, WorkflowModel } from '@caribou/domain-model';
import {
  batchCount,
  BatchSimulator,
  metricsFromSamples,
  REFERENCE_MONTE_CARLO,
  slotsOf,
  type MonteCarloSettings,
  type SampleBlock,
} from '@caribou/domain-solver';
import { claimSize, METRIC_FIELDS, type FromWorker, type Round, type ToWorker, type WireError } from './protocol';

/**
 * A solver worker: builds the compiled model once, then, per round, claims batches of the
 * round's requests from the shared counter and simulates them into shared memory (see
 * protocol.ts). It always answers a round exactly once, `done` or `error`.
 */
const port = parentPort;
if (!port) throw new Error('solver worker must run in a worker thread');

let simulator: BatchSimulator | undefined;
let settings: MonteCarloSettings = REFERENCE_MONTE_CARLO;
let threads = 1;
let scratch = new Float64Array(0);

function wireError(error: unknown): WireError {
  if (error instanceof Error) return { name: error instanceof CaribouError ? 'CaribouError' : error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

function send(message: FromWorker): void {
  port!.postMessage(message);
}

function runRound(round: Round): void {
  if (!simulator) throw new Error('solver worker used before init');
  const sim = simulator;
  const control = new Int32Array(round.control);
  const samples = new Float64Array(round.samples);
  const metrics = new Float64Array(round.metrics);
  const runs = settings.runs;
  const batches = batchCount(settings);
  const total = round.requests.length * batches;
  const blocks: Array<SampleBlock | undefined> = [];
  const slots: Array<number[] | undefined> = [];
  let current = -1;
  for (;;) {
    let unit = Atomics.load(control, 0);
    let size = 0;
    while (unit < total) {
      size = claimSize(unit, total, batches, threads);
      const seen = Atomics.compareExchange(control, 0, unit, unit + size);
      if (seen === unit) break;
      unit = seen;
    }
    if (unit >= total) return;
    const i = Math.floor(unit / batches);
    const request = round.requests[i]!;
    const hours = request.hours.length;
    let block = blocks[i];
    if (!block) {
      const at = request.samples;
      block = {
        runs,
        cost: samples.subarray(at, at + runs),
        runtime: samples.subarray(at + runs, at + 2 * runs),
        carbon: samples.subarray(at + 2 * runs, at + (2 + hours) * runs),
      };
      blocks[i] = block;
      slots[i] = slotsOf(request.hours);
    }
    if (i !== current) {
      sim.setDeployment(request.deployment);
      current = i;
    }
    const batch = unit % batches;
    const first = batch * settings.batchSize;
    sim.simulate(first, Math.min(runs, (batch + size) * settings.batchSize), slots[i]!, block, first);
    // The completing thread sees every other thread's samples: Atomics.add orders the writes.
    if (Atomics.add(control, 1 + i, size) + size === batches) {
      const result = metricsFromSamples(block, hours, scratch);
      const fields = METRIC_FIELDS.length;
      for (let h = 0; h < hours; h++)
        for (let f = 0; f < fields; f++) metrics[request.metrics + h * fields + f] = result[h]![METRIC_FIELDS[f]!]!;
    }
  }
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'init') {
    try {
      settings = message.setup.monteCarlo ?? REFERENCE_MONTE_CARLO;
      threads = message.threads;
      const model = new WorkflowModel(message.setup.input, message.setup.model ?? {});
      simulator = new BatchSimulator(compileModel(model), settings.runs, settings.batchSize, message.setup.seed);
      scratch = new Float64Array(settings.runs);
      send({ type: 'ready' });
    } catch (error) {
      send({ type: 'error', id: null, error: wireError(error) });
    }
    return;
  }
  try {
    runRound(message);
    send({ type: 'done', id: message.id });
  } catch (error) {
    send({ type: 'error', id: message.id, error: wireError(error) });
  }
});
