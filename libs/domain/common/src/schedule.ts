import { CronExpressionParser } from 'cron-parser';
import { CaribouError } from './errors';

/**
 * EventBridge schedule expressions (the syntax the reference's timers use), read so that a
 * scheduler other than EventBridge (the local provider's `caribou serve`) fires them at the
 * same instants, all in UTC:
 *
 * - `rate(<n> <minute|minutes|hour|hours|day|days>)`: every n units from the moment the timer
 *   was set up (EventBridge counts from the rule's creation too);
 * - `cron(minutes hours day-of-month month day-of-week year)`: six fields, exactly one of
 *   day-of-month and day-of-week is `?`, day-of-week 1–7 is SUN–SAT (`L`, `#`, `W` and `LW`
 *   as EventBridge has them), year 1970–2199.
 *
 * Field parsing and next/previous instants come from cron-parser, which has a seconds field
 * instead of a year, numbers Sunday 0, and lacks `W` and a bare day-of-week `L`: the
 * expression is adapted before it is handed over and the year and `W` are applied here.
 */
export type Schedule = RateSchedule | CronSchedule;

export interface RateSchedule {
  kind: 'rate';
  expression: string;
  periodMs: number;
}

export interface CronSchedule {
  kind: 'cron';
  expression: string;
  /** What cron-parser reads: `0 <minutes> <hours> <day-of-month> <month> <day-of-week>`. */
  adapted: string;
  /** The years the year field allows, sorted (1970–2199). */
  years: readonly number[];
  /** `nW` (the weekday nearest day n) or `LW` (the month's last weekday); day-of-month is `*` in `adapted` then. */
  weekdayNearest?: number | 'last';
}

const MINUTE = 60_000;
const DAY_MS = 24 * 60 * MINUTE;
const UNIT_MS: Record<string, number> = { minute: MINUTE, hour: 60 * MINUTE, day: 24 * 60 * MINUTE };
const FIRST_YEAR = 1970;
const LAST_YEAR = 2199;
const EXAMPLES = 'e.g. cron(0 1 * * ? *) or rate(1 day)';

/** Reads an expression; a bad one is a CaribouError naming the part and what it must be. */
export function parseSchedule(expression: string): Schedule {
  const text = expression.trim();
  const rate = /^rate\((.*)\)$/.exec(text);
  if (rate) return parseRate(text, rate[1]!);
  const cron = /^cron\((.*)\)$/.exec(text);
  if (cron) return parseCron(text, cron[1]!);
  throw new CaribouError(`Schedule expression ${expression} is neither cron(...) nor rate(<n> <minutes|hours|days>), ${EXAMPLES}`);
}

function parseRate(expression: string, body: string): RateSchedule {
  const match = /^\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*$/.exec(body);
  const value = match ? Number(match[1]) : NaN;
  if (!match || !Number.isSafeInteger(value) || value < 1) {
    throw new CaribouError(`Schedule expression ${expression}: a rate is rate(<n> <minutes|hours|days>) with n a whole number ≥ 1, e.g. rate(6 hours)`);
  }
  const unit = match[2]!.replace(/s$/, '');
  // EventBridge's own rule: singular for 1, plural otherwise.
  if ((value === 1) !== (match[2] === unit)) {
    throw new CaribouError(`Schedule expression ${expression}: write rate(1 ${unit}) for one ${unit} and rate(${value === 1 ? 2 : value} ${unit}s) for more`);
  }
  return { kind: 'rate', expression, periodMs: value * UNIT_MS[unit]! };
}

function parseCron(expression: string, body: string): CronSchedule {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6 || fields[0] === '') {
    throw new CaribouError(`Schedule expression ${expression} must have six fields: cron(minutes hours day-of-month month day-of-week year)`);
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields as [string, string, string, string, string, string];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    throw new CaribouError(`Schedule expression ${expression}: exactly one of day-of-month and day-of-week must be ?, e.g. cron(0 1 * * ? *) or cron(0 1 ? * MON *)`);
  }
  const weekday = /^(\d+|L)W$/.exec(dayOfMonth);
  let weekdayNearest: CronSchedule['weekdayNearest'];
  if (weekday) {
    weekdayNearest = weekday[1] === 'L' ? 'last' : Number(weekday[1]);
    if (weekdayNearest !== 'last' && (weekdayNearest < 1 || weekdayNearest > 31)) {
      throw new CaribouError(`Schedule expression ${expression}: day-of-month ${dayOfMonth} must name a day 1–31 before W`);
    }
  }
  const adapted = `0 ${minutes} ${hours} ${weekday ? '*' : dayOfMonth} ${month} ${adaptDayOfWeek(expression, dayOfWeek)}`;
  const schedule: CronSchedule = { kind: 'cron', expression, adapted, years: parseYears(expression, year), ...(weekdayNearest !== undefined ? { weekdayNearest } : {}) };
  try {
    CronExpressionParser.parse(adapted, { tz: 'UTC', currentDate: new Date(0) });
  } catch (error) {
    throw new CaribouError(`Schedule expression ${expression}: ${error instanceof Error ? error.message : String(error)}; the fields are cron(minutes hours day-of-month month day-of-week year), ${EXAMPLES}`);
  }
  if (nextTick(schedule, Date.UTC(FIRST_YEAR, 0, 1) - 1, 0) === undefined) {
    throw new CaribouError(`Schedule expression ${expression} never fires (no such date between ${FIRST_YEAR} and ${LAST_YEAR})`);
  }
  return schedule;
}

/** EventBridge numbers Sunday 1 … Saturday 7 and reads a bare `L` as Saturday; cron-parser numbers Sunday 0. */
function adaptDayOfWeek(expression: string, field: string): string {
  if (field === '?' || field === '*') return field;
  if (field === 'L') return '6';
  const shift = (digits: string): string => {
    const day = Number(digits);
    if (day < 1 || day > 7) throw new CaribouError(`Schedule expression ${expression}: day-of-week ${field} must use 1–7 (1 = Sunday) or SUN–SAT`);
    return String(day - 1);
  };
  return field
    .split(',')
    .map((part) => {
      const match = /^(\d+)(?:-(\d+))?(.*)$/.exec(part);
      if (!match) return part; // names (MON-FRI), `*/2`: the same in both syntaxes
      return `${shift(match[1]!)}${match[2] !== undefined ? `-${shift(match[2])}` : ''}${match[3]}`;
    })
    .join(',');
}

/** `*`, a year, a range, a list, and steps (`2025/2`, `2025-2030/2`, `*∕5`), each within 1970–2199. */
function parseYears(expression: string, field: string): number[] {
  const years = new Set<number>();
  const bad = () => new CaribouError(`Schedule expression ${expression}: year ${field} must be *, or years ${FIRST_YEAR}–${LAST_YEAR} with , - and /`);
  for (const part of field.split(',')) {
    const match = /^(\*|(\d{4})(?:-(\d{4}))?)(?:\/(\d+))?$/.exec(part);
    if (!match) throw bad();
    const step = match[4] !== undefined ? Number(match[4]) : 1;
    const from = match[1] === '*' ? FIRST_YEAR : Number(match[2]);
    const to = match[1] === '*' || (match[3] === undefined && match[4] !== undefined) ? LAST_YEAR : Number(match[3] ?? match[2]);
    if (step < 1 || from < FIRST_YEAR || to > LAST_YEAR || from > to) throw bad();
    for (let year = from; year <= to; year += step) years.add(year);
  }
  return [...years].sort((a, b) => a - b);
}

/**
 * The first instant of `schedule` strictly after `afterMs`, or undefined if it never fires
 * again. `anchorMs` is when a rate's counting starts (when the timer was set up).
 */
export function nextTick(schedule: Schedule, afterMs: number, anchorMs: number): number | undefined {
  if (schedule.kind === 'rate') {
    const periods = afterMs < anchorMs ? 0 : Math.floor((afterMs - anchorMs) / schedule.periodMs) + 1;
    return anchorMs + periods * schedule.periodMs;
  }
  return searchCron(schedule, afterMs, 'next');
}

/** The last instant of `schedule` at or before `atMs`, or undefined if there is none since `anchorMs` (rate) or ever (cron). */
export function latestTick(schedule: Schedule, atMs: number, anchorMs: number): number | undefined {
  if (schedule.kind === 'rate') {
    if (atMs < anchorMs + schedule.periodMs) return undefined;
    return anchorMs + Math.floor((atMs - anchorMs) / schedule.periodMs) * schedule.periodMs;
  }
  return searchCron(schedule, atMs + 1, 'prev');
}

/**
 * Walks cron-parser's instants from `fromMs` (exclusive) until one is in an allowed year and,
 * for `W`, on the nearest weekday; a year outside the field is skipped whole.
 */
function searchCron(schedule: CronSchedule, fromMs: number, direction: 'next' | 'prev'): number | undefined {
  let cursor = fromMs;
  // Each loop either returns, moves to another allowed year, or (W) to another day: bounded by days in range.
  for (let guard = 0; guard < 100_000; guard++) {
    // The year of the first instant the search may return (the cursor itself is excluded).
    const year = new Date(direction === 'next' ? cursor + 1 : cursor - 1).getUTCFullYear();
    if (!schedule.years.includes(year)) {
      const target = direction === 'next' ? schedule.years.find((y) => y > year) : [...schedule.years].reverse().find((y) => y < year);
      if (target === undefined) return undefined;
      // Just before 1 January of the next allowed year, or just after the end of the previous one.
      cursor = direction === 'next' ? Date.UTC(target, 0, 1) - 1 : Date.UTC(target + 1, 0, 1);
      continue;
    }
    const interval = CronExpressionParser.parse(schedule.adapted, { tz: 'UTC', currentDate: new Date(cursor) });
    let candidate: number;
    try {
      candidate = (direction === 'next' ? interval.next() : interval.prev()).getTime();
    } catch {
      return undefined; // cron-parser found no instant at all (e.g. 30 February)
    }
    // Out of the allowed years: the check above jumps from there to the next allowed one.
    if (!schedule.years.includes(new Date(candidate).getUTCFullYear())) {
      cursor = candidate;
      continue;
    }
    if (schedule.weekdayNearest === undefined || isNearestWeekday(candidate, schedule.weekdayNearest)) return candidate;
    // Not the day W names: go on from the end (start) of that day.
    const day = Math.floor(candidate / DAY_MS) * DAY_MS;
    cursor = direction === 'next' ? day + DAY_MS - 1 : day;
  }
  return undefined;
}

/** Whether `timeMs` falls on the weekday nearest day `day` of its month (never crossing into another month), or on its last weekday. */
function isNearestWeekday(timeMs: number, day: number | 'last'): boolean {
  const date = new Date(timeMs);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const weekday = (d: number) => new Date(Date.UTC(year, month, d)).getUTCDay();
  let target: number;
  if (day === 'last') {
    target = daysInMonth;
    while (weekday(target) === 0 || weekday(target) === 6) target -= 1;
  } else {
    if (day > daysInMonth) return false;
    target = day;
    const dow = weekday(day);
    if (dow === 6) target = day === 1 ? 3 : day - 1; // Saturday → Friday, or Monday the 3rd
    else if (dow === 0) target = day === daysInMonth ? day - 2 : day + 1; // Sunday → Monday, or Friday before the month's end
  }
  return date.getUTCDate() === target;
}
