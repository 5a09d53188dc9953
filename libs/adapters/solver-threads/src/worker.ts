import { parentPort } from 'node:worker_threads';
import { serveSolverWorker } from './worker-loop';

/** Entry of a solver worker thread (see worker-loop.ts). */
if (!parentPort) throw new Error('solver worker must run in a worker thread');
serveSolverWorker(parentPort);
