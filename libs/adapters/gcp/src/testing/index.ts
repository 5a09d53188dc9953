export { emulatorClients, emulatorConfig, emulatorEnvironment, uniqueSuffix } from './emulator';
export { gcpExampleProject } from './project';
export type { GcpProjectOptions } from './project';
export { LoopbackFunctionsPlatform } from './loopback-platform';
export type { LoopbackFunctionsPlatformOptions, PushDelivery } from './loopback-platform';
export { GoogleControlPlaneFake } from './control-plane-fake';
export type { FakeFunction, FakeServiceAccount, FakeLogEntry, FakePush } from './control-plane-fake';
