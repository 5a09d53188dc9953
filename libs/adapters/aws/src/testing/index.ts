export { emulatorClients, emulatorConfig, notMoto, uniqueSuffix } from './emulator';
export { VirtualTime } from './virtual-time';
export { handlerZipArtifact, storedZip, readZipEntries } from './zip';
export { awsExampleProject } from './project';
export type { AwsProjectOptions } from './project';
export { startRecordingProxy } from './recording-proxy';
export type { RecordedInvoke, RecordedRequest, RecordingProxy } from './recording-proxy';
export { seededFaults, startFaultProxy } from './fault-proxy';
export type { FaultPicker, FaultProxy, InjectedFault, InjectedFaults, ProxiedRequest } from './fault-proxy';
