export { createRemoteHandler } from './handler';
export type { RemoteActions, RemoteResponse } from './handler';
export { createRemoteContainer, remoteModules, SOLVE_BUDGET_SECONDS } from './container';
export type { RemoteModulesOptions } from './container';
export { LogLineProgress } from './log-progress';
