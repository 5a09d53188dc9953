export { createContainer } from './container';
export type { CaribouContainer, ProviderName } from './container';
export { SERVICES } from './tokens';
export type { RunTracker } from './run-tracker';
