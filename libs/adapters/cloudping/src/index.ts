export * from './cloudping-latency-source';
export * from './module';
