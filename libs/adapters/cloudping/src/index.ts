export * from './cloudping-latency-source';
