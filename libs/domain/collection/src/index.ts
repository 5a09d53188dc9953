export * from './geo';
export * from './normal-distribution';
export * from './seeded-random';
export * from './latency-distribution';
export * from './holt-winters';
export * from './carbon-profile';
export * from './price-tables';
export * from './rows';
