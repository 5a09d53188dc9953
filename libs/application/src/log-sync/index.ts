export { LogSyncService } from './log-sync.service';
export type { LogSyncDeps, LogSyncLimits, LogSyncOptions, LogSyncStatus, WorkflowLogSyncReport } from './log-sync.service';
