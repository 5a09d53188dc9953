export { handleInvocation, CaribouRuntimeError } from './handler';
export type { RuntimeServices } from './services';
export { cachedCpuModel, createPlatformInvocation, rawStdoutLog, readCpuModel, systemClock, uuidRandom } from './platform';
export type { PlatformBinding, PlatformInvocation } from './platform';
