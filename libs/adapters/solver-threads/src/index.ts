export * from './solver-thread-pool';
export * from './work-plan';
