/**
 * Log times as integer epoch microseconds. The reference subtracts Python datetimes,
 * which is exact integer-microsecond arithmetic; holding microseconds as integers (safe
 * up to year 2255) gives the same `runtime_s` and latencies to the last bit, where
 * fractional milliseconds would not.
 */
export const MICROS_PER_MS = 1_000;
export const MICROS_PER_SECOND = 1_000_000;
export const MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
export const MICROS_PER_DAY = 86_400 * MICROS_PER_SECOND;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

const DIGIT_0 = 48;

/** The value of `length` ASCII digits at `start`, or -1 if any is not a digit. */
function digitsAt(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) {
    const d = text.charCodeAt(i) - DIGIT_0;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Parses `TIME_FORMAT` (`%Y-%m-%d %H:%M:%S,%f%z`, e.g. `2024-08-02 16:43:12,300000+0000`)
 * into epoch microseconds; undefined when the text is not such a time. Like `strptime`,
 * it accepts 1–6 fraction digits and a zone `±HHMM`, `±HH:MM` or `Z`; the zone may be absent
 * (then UTC, which is what the reference's writers always use anyway). `start`/`end` read a
 * time inside a longer text (a log line) without cutting it out first.
 */
export function parseTimeMicros(text: string, start = 0, end = text.length): number | undefined {
  if (end - start < 21) return undefined;
  const s = start;
  if (
    text.charCodeAt(s + 4) !== DASH ||
    text.charCodeAt(s + 7) !== DASH ||
    text.charCodeAt(s + 10) !== SPACE ||
    text.charCodeAt(s + 13) !== COLON ||
    text.charCodeAt(s + 16) !== COLON ||
    text.charCodeAt(s + 19) !== COMMA
  ) {
    return undefined;
  }
  const year = digitsAt(text, s, 4);
  const month = digitsAt(text, s + 5, 2);
  const day = digitsAt(text, s + 8, 2);
  const hour = digitsAt(text, s + 11, 2);
  const minute = digitsAt(text, s + 14, 2);
  const second = digitsAt(text, s + 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 61) return undefined;
  let fractionEnd = s + 20;
  while (fractionEnd < end && fractionEnd < s + 26) {
    const c = text.charCodeAt(fractionEnd);
    if (c < DIGIT_0 || c > DIGIT_0 + 9) break;
    fractionEnd++;
  }
  const digits = fractionEnd - (s + 20);
  if (digits === 0) return undefined;
  const fraction = digitsAt(text, s + 20, digits) * 10 ** (6 - digits);
  const offsetMinutes = parseZone(text, fractionEnd, end);
  if (offsetMinutes === undefined) return undefined;
  if (month === 2 && day === 29 && !isLeapYear(year)) return undefined;
  const seconds = ((civilDays(year, month, day) * 24 + hour) * 60 + minute) * 60 + second - offsetMinutes * 60;
  return seconds * MICROS_PER_SECOND + fraction;
}

const DASH = 45;
const SPACE = 32;
const COLON = 58;
const COMMA = 44;

/** Lines of one log come in date order: the day number of the previous date is reused (a memo, no behaviour). */
let memoDate = -1;
let memoDays = 0;
function civilDays(year: number, month: number, day: number): number {
  const date = (year * 100 + month) * 100 + day;
  if (date !== memoDate) {
    memoDays = daysFromCivil(year, month, day);
    memoDate = date;
  }
  return memoDays;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Zone offset in minutes east of UTC in text[start, end), or undefined when it is not a zone. */
function parseZone(text: string, start: number, end = text.length): number | undefined {
  const rest = end - start;
  if (rest === 0) return 0;
  const sign = text[start];
  if (sign === 'Z' && rest === 1) return 0;
  if (sign !== '+' && sign !== '-') return undefined;
  let hours: number;
  let minutes: number;
  if (rest === 5) {
    hours = digitsAt(text, start + 1, 2);
    minutes = digitsAt(text, start + 3, 2);
  } else if (rest === 6 && text[start + 3] === ':') {
    hours = digitsAt(text, start + 1, 2);
    minutes = digitsAt(text, start + 4, 2);
  } else {
    return undefined;
  }
  if (hours < 0 || minutes < 0) return undefined;
  return (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `2024-08-02 16:43:12,300000+0000` from epoch microseconds (always UTC, like the writers). */
export function formatTimeMicros(epochUs: number): string {
  const ms = Math.floor(epochUs / MICROS_PER_MS);
  const date = new Date(ms);
  const micros = epochUs - Math.floor(epochUs / MICROS_PER_SECOND) * MICROS_PER_SECOND;
  return (
    `${date.getUTCFullYear()}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())} ` +
    `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())},` +
    `${String(micros).padStart(6, '0')}+0000`
  );
}

/** The reference's day key `TIME_FORMAT_DAYS` (`2024-08-02+0000`) of a UTC time. */
export function dayKeyOfMicros(epochUs: number): string {
  const date = new Date(Math.floor(epochUs / MICROS_PER_MS));
  return `${date.getUTCFullYear()}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}+0000`;
}

/** Epoch microseconds of a day key's midnight (its zone applied), or undefined when malformed. */
export function parseDayKeyMicros(text: string): number | undefined {
  if (text.length < 10 || text[4] !== '-' || text[7] !== '-') return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return undefined;
  const offsetMinutes = parseZone(text, 10);
  if (offsetMinutes === undefined) return undefined;
  return (daysFromCivil(year, month, day) * 86_400 - offsetMinutes * 60) * MICROS_PER_SECOND;
}
