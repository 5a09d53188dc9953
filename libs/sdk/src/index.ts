export { CaribouWorkflow, CaribouFunction } from './workflow';
export type { CaribouMetadata, EnvironmentVariable, Handler, ServerlessFunctionOptions } from './workflow';
