export * from './deployment-metrics-evaluator.port';
