export { emulatorClients, emulatorConfig, emulatorEnvironment, uniqueSuffix } from './emulator';
export { gcpExampleProject } from './project';
export type { GcpProjectOptions } from './project';
export { LoopbackFunctionsPlatform } from './loopback-platform';
export type { LoopbackFunctionsPlatformOptions, PushDelivery } from './loopback-platform';
