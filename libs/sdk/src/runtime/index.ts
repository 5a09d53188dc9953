export { handleInvocation, CaribouRuntimeError } from './handler';
export type { RuntimeServices } from './services';
