export { handleInvocation, CaribouRuntimeError } from './handler';
export type { RuntimeServices } from './services';
export { bindPlatform, cachedCpuModel, createPlatformInvocation, rawStdoutLog, readCpuModel, systemClock, uuidRandom, WORKFLOW_FUNCTION_VARIABLE } from './platform';
export type { PlatformBinding, PlatformEntryOptions, PlatformInvocation, PlatformParts } from './platform';
