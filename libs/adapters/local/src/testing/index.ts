export * from './in-memory-deployment';
