export { createRemoteHandler } from './handler';
export type { RemoteActions } from './remote-actions';
