import { describe, expect, it } from 'vitest';
import { computeSyncIntervals, logBufferMinutesFor, MS_PER_DAY } from './sync-intervals';

const MIN = 60_000;
const NOW = Date.UTC(2024, 7, 2, 17, 15, 0);

describe('computeSyncIntervals (reference-system §8.2)', () => {
  it('last sync 14 minutes ago: nothing to sync', () => {
    expect(computeSyncIntervals(NOW, NOW - 14 * MIN)).toEqual([]);
  });

  it('the gap is measured from now − buffer: 29 min ago is too soon, 30 min ago is not', () => {
    expect(computeSyncIntervals(NOW, NOW - 29 * MIN)).toEqual([]);
    expect(computeSyncIntervals(NOW, NOW - 30 * MIN)).toEqual([{ startMs: NOW - 30 * MIN, endMs: NOW - 15 * MIN }]);
  });

  it('last sync 2 days ago: two one-day chunks and the rest, ending at now − 15 min', () => {
    const intervals = computeSyncIntervals(NOW, NOW - 2 * MS_PER_DAY);
    expect(intervals).toEqual([
      { startMs: NOW - 2 * MS_PER_DAY, endMs: NOW - MS_PER_DAY },
      { startMs: NOW - MS_PER_DAY, endMs: NOW - 15 * MIN },
    ]);
  });

  it('never synced: 30 days back in one-day chunks', () => {
    const intervals = computeSyncIntervals(NOW, undefined);
    expect(intervals).toHaveLength(30);
    expect(intervals[0]!.startMs).toBe(NOW - 30 * MS_PER_DAY);
    expect(intervals.at(-1)!.endMs).toBe(NOW - 15 * MIN);
    for (let i = 1; i < intervals.length; i++) expect(intervals[i]!.startMs).toBe(intervals[i - 1]!.endMs);
    expect(intervals.every((i) => i.endMs - i.startMs <= MS_PER_DAY)).toBe(true);
  });

  it('last sync 31 days ago: reads only the last 30 days', () => {
    const intervals = computeSyncIntervals(NOW, NOW - 31 * MS_PER_DAY);
    expect(intervals.length).toBeGreaterThanOrEqual(1);
    expect(intervals[0]!.startMs).toBe(NOW - 30 * MS_PER_DAY);
  });

  it('local provider: no buffer, so the last interval ends now', () => {
    expect(logBufferMinutesFor('local')).toBe(0);
    expect(logBufferMinutesFor('aws')).toBe(15);
    expect(computeSyncIntervals(NOW, NOW - 20 * MIN, { bufferMinutes: 0 })).toEqual([{ startMs: NOW - 20 * MIN, endMs: NOW }]);
  });

  it('whole milliseconds: now floored, a last sync with microseconds rounded up', () => {
    expect(computeSyncIntervals(NOW + 0.7, NOW - 60 * MIN + 0.2, { bufferMinutes: 0 })).toEqual([{ startMs: NOW - 60 * MIN + 1, endMs: NOW }]);
  });

  it('a last sync in the future (clock skew) syncs nothing rather than reading backwards', () => {
    expect(computeSyncIntervals(NOW, NOW + MS_PER_DAY)).toEqual([]);
  });

  it('a settled time earlier than now − buffer ends the windows there (runs still executing are read by a later sync)', () => {
    expect(computeSyncIntervals(NOW, NOW - 20 * MIN, { bufferMinutes: 0, minGapMinutes: 0, settledUntilMs: NOW - 5 * MIN })).toEqual([
      { startMs: NOW - 20 * MIN, endMs: NOW - 5 * MIN },
    ]);
    // Settled no later than the last sync: nothing new to read.
    expect(computeSyncIntervals(NOW, NOW - 20 * MIN, { bufferMinutes: 0, minGapMinutes: 0, settledUntilMs: NOW - 20 * MIN })).toEqual([]);
    // A settled time after now − buffer changes nothing.
    expect(computeSyncIntervals(NOW, NOW - 30 * MIN, { settledUntilMs: NOW })).toEqual([{ startMs: NOW - 30 * MIN, endMs: NOW - 15 * MIN }]);
  });
});
