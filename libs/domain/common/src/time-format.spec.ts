import { describe, expect, it } from 'vitest';
import { formatDay, formatTime, parseTime } from './time-format';

describe('TIME_FORMAT', () => {
  it('round-trips microseconds', () => {
    const text = '2024-03-09 18:26:24,469750+0000';
    expect(formatTime(parseTime(text))).toBe(text);
  });
  it('formats a naive time without zone', () => {
    expect(formatTime(Date.UTC(2022, 0, 1), false)).toBe('2022-01-01 00:00:00,000000');
  });
  it('formats days', () => {
    expect(formatDay(parseTime('2024-08-02 16:43:12,300000+0000'))).toBe('2024-08-02+0000');
  });
  it('rejects malformed times', () => {
    expect(() => parseTime('2024-03-09T18:26:24Z')).toThrow(/does not match/);
  });
});
