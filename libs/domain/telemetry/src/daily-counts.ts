import { FORGETTING_TIME_DAYS } from '@caribou/domain-common';
import { MICROS_PER_DAY, parseDayKeyMicros } from './time-micros';

/**
 * Drops the days whose midnight is older than `now − days` (reference: 30): with `now` at
 * noon that keeps exactly the last 30 calendar days, today included. A key that is not a
 * day is dropped too — it can only be damage, and keeping it would keep it forever.
 */
export function filterRecentDays(counts: Record<string, number>, nowUs: number, days = FORGETTING_TIME_DAYS): Record<string, number> {
  const oldestUs = nowUs - days * MICROS_PER_DAY;
  const kept: Record<string, number> = {};
  for (const [day, count] of Object.entries(counts)) {
    const midnight = parseDayKeyMicros(day);
    if (midnight !== undefined && midnight >= oldestUs) kept[day] = count;
  }
  return kept;
}

/** Adds this sync's per-day counts to the previous ones. */
export function mergeDailyCounts(previous: Record<string, number>, added: Record<string, number>): Record<string, number> {
  const merged = { ...previous };
  for (const [day, count] of Object.entries(added)) merged[day] = (merged[day] ?? 0) + count;
  return merged;
}
