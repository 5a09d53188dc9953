export * from './solver-thread-pool';
export * from './run-shares';
