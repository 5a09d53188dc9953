import { parentPort } from 'node:worker_threads';
import { CaribouError } from '@caribou/domain-common';
import { compileModel, WorkflowModel } from '@caribou/domain-model';
import {
  allocateSamples,
  BatchSimulator,
  metricsFromSamples,
  REFERENCE_MONTE_CARLO,
  runsInBatches,
  simulateBatches,
  slotsOf,
  type MonteCarloSettings,
} from '@caribou/domain-solver';
import type { FromWorker, TaskResult, ToWorker, WireError } from './protocol';

/** A solver worker: builds the compiled model once, then simulates batches on request. */
const port = parentPort;
if (!port) throw new Error('solver worker must run in a worker thread');

let simulator: BatchSimulator | undefined;
let settings: MonteCarloSettings = REFERENCE_MONTE_CARLO;
let scratch = new Float64Array(0);

function wireError(error: unknown): WireError {
  if (error instanceof Error) return { name: error instanceof CaribouError ? 'CaribouError' : error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

function send(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'init') {
    try {
      settings = message.setup.monteCarlo ?? REFERENCE_MONTE_CARLO;
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
    if (!simulator) throw new Error('solver worker used before init');
    const results: TaskResult[] = [];
    const transfer: ArrayBuffer[] = [];
    for (const task of message.tasks) {
      const slots = slotsOf(task.hours);
      const block = allocateSamples(runsInBatches(settings, task.batchFrom, task.batchTo), task.hours.length);
      simulateBatches(simulator, task.deployment, slots, settings, task.batchFrom, task.batchTo, block);
      if (task.whole) {
        results.push({ metrics: metricsFromSamples(block, task.hours.length, scratch) });
      } else {
        results.push({ samples: { cost: block.cost, runtime: block.runtime, carbon: block.carbon } });
        transfer.push(block.cost.buffer as ArrayBuffer, block.runtime.buffer as ArrayBuffer, block.carbon.buffer as ArrayBuffer);
      }
    }
    send({ type: 'result', id: message.id, results }, transfer);
  } catch (error) {
    send({ type: 'error', id: message.id, error: wireError(error) });
  }
});
