export * from './random';
export * from './metrics';
export * from './evaluator';
export * from './simulation/fast-simulator';
export * from './simulation/literal-simulator';
