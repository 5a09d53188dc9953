export * from './solver-thread-pool';
export * from './run-shares';
export { serveSolverWorker, batchSimulatorForShare, type WorkerSimulator, type WorkerSimulatorFactory } from './worker-loop';
export * from './module';
