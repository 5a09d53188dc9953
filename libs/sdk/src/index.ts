export { CaribouWorkflow, CaribouFunction } from './workflow';
export type { CaribouMetadata, DataRegion, EnvironmentVariable, Handler, ServerlessFunctionOptions } from './workflow';
