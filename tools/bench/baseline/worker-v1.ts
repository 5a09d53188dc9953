import { parentPort } from 'node:worker_threads';
import { serveSolverWorker } from '@caribou/adapter-solver-threads';
import { BatchSimulatorV1 } from './batch-simulator-v1';

/**
 * BENCHMARK BASELINE: a solver worker speaking the pool's protocol with the previous simulator
 * (every evaluation a full simulation; neighbour hints ignored). Each worker derives all runs, as
 * the previous pool's workers did, and simulates its share.
 */
if (!parentPort) throw new Error('baseline worker must run in a worker thread');
serveSolverWorker(parentPort, (model, _share, settings, seed) => {
  const simulator = new BatchSimulatorV1(model, settings.runs, settings.batchSize, seed);
  return {
    setDeployment: (deployment) => simulator.setDeployment(deployment),
    simulate: (first, last, slots, out, offset) => simulator.simulate(first, last, slots, out, offset),
  };
});
