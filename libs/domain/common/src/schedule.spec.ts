import { describe, expect, it } from 'vitest';
import { latestTick, nextTick, parseSchedule } from './schedule';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
/** The next `count` instants after `from`, as ISO strings. */
function ticks(expression: string, from: string, count: number, anchor = at(from)): string[] {
  const schedule = parseSchedule(expression);
  const out: string[] = [];
  let cursor = at(from);
  for (let i = 0; i < count; i++) {
    const next = nextTick(schedule, cursor, anchor);
    if (next === undefined) break;
    out.push(iso(next)!);
    cursor = next;
  }
  return out;
}

describe('EventBridge schedule expressions', () => {
  it("fires the six timers' default crons at their UTC times", () => {
    expect(ticks('cron(5 0 1 * ? *)', '2030-01-15T12:00:00Z', 2)).toEqual(['2030-02-01T00:05:00.000Z', '2030-03-01T00:05:00.000Z']);
    expect(ticks('cron(30 0 * * ? *)', '2030-01-31T23:00:00Z', 2)).toEqual(['2030-02-01T00:30:00.000Z', '2030-02-02T00:30:00.000Z']);
    expect(ticks('cron(0 2 * * ? *)', '2030-02-01T02:00:00Z', 1)).toEqual(['2030-02-02T02:00:00.000Z']); // strictly after
  });

  it('reads day-of-week 1–7 as SUN–SAT (cron-parser numbers Sunday 0), with ranges, lists, # and L', () => {
    // 2030-01-06 is a Sunday.
    expect(ticks('cron(0 8 ? * 1 *)', '2030-01-01T00:00:00Z', 1)).toEqual(['2030-01-06T08:00:00.000Z']);
    expect(ticks('cron(0 8 ? * 2-6 *)', '2030-01-05T00:00:00Z', 2)).toEqual(['2030-01-07T08:00:00.000Z', '2030-01-08T08:00:00.000Z']);
    expect(ticks('cron(0 8 ? * MON-FRI *)', '2030-01-05T00:00:00Z', 1)).toEqual(['2030-01-07T08:00:00.000Z']);
    expect(ticks('cron(0 8 ? * 1,7 *)', '2030-01-06T09:00:00Z', 1)).toEqual(['2030-01-12T08:00:00.000Z']);
    expect(ticks('cron(0 8 ? * 6#3 *)', '2030-01-01T00:00:00Z', 1)).toEqual(['2030-01-18T08:00:00.000Z']); // third Friday
    expect(ticks('cron(0 8 ? * 6L *)', '2030-01-01T00:00:00Z', 1)).toEqual(['2030-01-25T08:00:00.000Z']); // last Friday
    expect(ticks('cron(0 8 ? * L *)', '2030-01-01T00:00:00Z', 1)).toEqual(['2030-01-05T08:00:00.000Z']); // Saturday
  });

  it('applies the year field, W and LW, which cron-parser lacks', () => {
    expect(ticks('cron(0 8 1 6 ? 2031,2033)', '2030-01-01T00:00:00Z', 3)).toEqual(['2031-06-01T08:00:00.000Z', '2033-06-01T08:00:00.000Z']);
    expect(ticks('cron(0 0 1 1 ? 2040/5)', '2041-01-01T00:00:00Z', 2)).toEqual(['2045-01-01T00:00:00.000Z', '2050-01-01T00:00:00.000Z']);
    // 2030-06-15 is a Saturday: 15W is Friday the 14th; 2030-06-30 is a Sunday: LW is Friday the 28th.
    expect(ticks('cron(0 9 15W * ? *)', '2030-06-01T00:00:00Z', 1)).toEqual(['2030-06-14T09:00:00.000Z']);
    expect(ticks('cron(0 9 LW * ? *)', '2030-06-01T00:00:00Z', 1)).toEqual(['2030-06-28T09:00:00.000Z']);
    // 2030-06-01 is a Saturday: 1W never leaves the month, it is Monday the 3rd.
    expect(ticks('cron(0 9 1W * ? *)', '2030-05-31T12:00:00Z', 1)).toEqual(['2030-06-03T09:00:00.000Z']);
    expect(nextTick(parseSchedule('cron(0 8 1 6 ? 2031)'), at('2031-07-01T00:00:00Z'), 0)).toBeUndefined();
  });

  it('counts a rate from when the timer was set up', () => {
    const anchor = at('2030-01-01T10:17:00Z');
    expect(ticks('rate(6 hours)', '2030-01-01T10:17:00Z', 2, anchor)).toEqual(['2030-01-01T16:17:00.000Z', '2030-01-01T22:17:00.000Z']);
    expect(iso(nextTick(parseSchedule('rate(1 day)'), at('2030-01-03T12:00:00Z'), anchor))).toBe('2030-01-04T10:17:00.000Z');
    expect(iso(nextTick(parseSchedule('rate(5 minutes)'), at('2029-12-31T00:00:00Z'), anchor))).toBe('2030-01-01T10:17:00.000Z');
  });

  it('finds the latest instant at or before a time (what a catch-up runs for)', () => {
    const anchor = at('2030-01-01T00:00:00Z');
    expect(iso(latestTick(parseSchedule('cron(30 0 * * ? *)'), at('2030-01-05T00:30:00Z'), anchor))).toBe('2030-01-05T00:30:00.000Z');
    expect(iso(latestTick(parseSchedule('cron(30 0 * * ? *)'), at('2030-01-05T00:29:59Z'), anchor))).toBe('2030-01-04T00:30:00.000Z');
    expect(iso(latestTick(parseSchedule('cron(0 8 1 6 ? 2031,2033)'), at('2032-12-31T00:00:00Z'), anchor))).toBe('2031-06-01T08:00:00.000Z');
    expect(iso(latestTick(parseSchedule('cron(0 9 15W * ? *)'), at('2030-07-01T00:00:00Z'), anchor))).toBe('2030-06-14T09:00:00.000Z');
    expect(iso(latestTick(parseSchedule('rate(6 hours)'), at('2030-01-02T05:00:00Z'), anchor))).toBe('2030-01-02T00:00:00.000Z');
    expect(latestTick(parseSchedule('rate(6 hours)'), at('2030-01-01T05:00:00Z'), anchor)).toBeUndefined();
  });

  it.each([
    ['every day', 'is neither cron(...) nor rate(<n> <minutes|hours|days>)'],
    ['cron(0 1 * * ?)', 'must have six fields'],
    ['cron(0 1 * * * *)', 'exactly one of day-of-month and day-of-week must be ?'],
    ['cron(0 1 ? * ? *)', 'exactly one of day-of-month and day-of-week must be ?'],
    ['cron(99 1 * * ? *)', 'Constraint error, got value 99 expected range 0-59'],
    ['cron(0 1 ? * 8 *)', 'day-of-week 8 must use 1–7 (1 = Sunday) or SUN–SAT'],
    ['cron(0 1 * * ? 1969)', 'year 1969 must be *, or years 1970–2199'],
    ['cron(0 1 31 2 ? *)', 'cron(0 1 31 2 ? *)'],
    ['cron(0 1 32W * ? *)', 'must name a day 1–31 before W'],
    ['rate(0 hours)', 'n a whole number ≥ 1'],
    ['rate(1 hours)', 'write rate(1 hour) for one hour'],
    ['rate(6 hour)', 'write rate(1 hour) for one hour and rate(6 hours) for more'],
    ['rate(2 weeks)', 'rate(<n> <minutes|hours|days>)'],
  ])('refuses %s in one line naming the problem', (expression, message) => {
    let error: Error | undefined;
    try {
      parseSchedule(expression);
    } catch (caught) {
      error = caught as Error;
    }
    expect(error?.name).toBe('CaribouError');
    expect(error?.message).toContain(message);
    expect(error?.message).not.toContain('\n');
  });
});
