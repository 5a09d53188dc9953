export * from './run-records';
export * from './workflow-facts';
export * from './relative-performance';
export * from './footprint';
export * from './prediction';
export * from './carbon-report';
export * from './stats';
