export * from './dataset';
export * from './offline-region-catalog';
export * from './offline-carbon-source';
export * from './offline-latency-source';
export * from './module';
export * from './gcp-dataset';
export * from './offline-gcp-sources';
