export { createRemoteHandler } from './handler';
export type { RemoteActions, RemoteResponse } from './handler';
export { createRemoteContainer, remoteModules } from './container';
export type { RemoteModulesOptions } from './container';
export { LogLineProgress } from './log-progress';
