export { DEFAULT_SINCE, ExecutionLogsService, FOLLOW_POLL_MS, parseSince } from './execution-logs.service';
export type { ExecutionLogsDeps, ExecutionLogsRequest } from './execution-logs.service';
export type { ExecutionLogEntry } from '@caribou/domain-telemetry';
