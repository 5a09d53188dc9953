import { AWS_LOG_BUFFER_MINUTES, FORGETTING_TIME_DAYS, MIN_TIME_BETWEEN_SYNC_MINUTES } from '@caribou/domain-common';

export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

/** A half-open time window [startMs, endMs) of logs to read, in epoch milliseconds. */
export interface SyncInterval {
  startMs: number;
  endMs: number;
}

export interface SyncIntervalOptions {
  /**
   * Logs younger than this are left for the next sync: Lambda Insights records (and
   * CloudWatch lines) arrive late. 15 min on AWS; 0 for the local provider, whose lines
   * are written synchronously.
   */
  bufferMinutes?: number;
  /** A workflow synced less than this long ago is skipped (reference: 15 min). */
  minGapMinutes?: number;
  /** How far back a first sync reads (reference: 30 days, the retention of the summary). */
  lookBackDays?: number;
  /** Longest single read; long spans are cut so that one read stays small (reference: 1 day). */
  chunkMs?: number;
  /**
   * Where the platform knows it (the local provider): the time up to which logs are final,
   * no run having lines on both sides. The windows end there when that is earlier.
   */
  settledUntilMs?: number;
}

/** The buffer for a provider: none locally, 15 min wherever logs arrive asynchronously. */
export function logBufferMinutesFor(provider: string): number {
  return provider === 'local' ? 0 : AWS_LOG_BUFFER_MINUTES;
}

/**
 * The windows a sync should read (reference-system §8.2): from the last sync (at most
 * `lookBackDays` back) up to `now − buffer` (or the settled time, if earlier), cut into chunks of at most one day; none when
 * the last sync is less than `minGapMinutes` old. The stored `last_sync_time` becomes the
 * end of the last chunk.
 *
 * Boundaries are whole milliseconds (platform log timestamps are): `now` is floored and a
 * last sync time with microseconds is rounded up, as every line before it was already read.
 */
export function computeSyncIntervals(nowMs: number, lastSyncMs: number | undefined, options: SyncIntervalOptions = {}): SyncInterval[] {
  const bufferMs = (options.bufferMinutes ?? AWS_LOG_BUFFER_MINUTES) * MS_PER_MINUTE;
  const minGapMs = (options.minGapMinutes ?? MIN_TIME_BETWEEN_SYNC_MINUTES) * MS_PER_MINUTE;
  const lookBackMs = (options.lookBackDays ?? FORGETTING_TIME_DAYS) * MS_PER_DAY;
  const chunkMs = options.chunkMs ?? MS_PER_DAY;
  const now = Math.floor(nowMs);
  const end = Math.min(now - bufferMs, Math.floor(options.settledUntilMs ?? Infinity));
  let start = now - lookBackMs;
  if (lastSyncMs !== undefined) {
    const last = Math.ceil(lastSyncMs);
    if (end - last < minGapMs) return [];
    start = Math.max(start, last);
  }
  const intervals: SyncInterval[] = [];
  while (start < end) {
    const chunkEnd = Math.min(start + chunkMs, end);
    intervals.push({ startMs: start, endMs: chunkEnd });
    start = chunkEnd;
  }
  return intervals;
}
