export { LogSyncService } from './log-sync.service';
export type { LogSyncDeps, LogSyncOptions, LogSyncStatus, WorkflowLogSyncReport } from './log-sync.service';
