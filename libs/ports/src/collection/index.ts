export * from './region-catalog.port';
export * from './geocoder.port';
export * from './carbon-source.port';
export * from './latency-source.port';
export * from './source-errors';
export * from './live-sources';
