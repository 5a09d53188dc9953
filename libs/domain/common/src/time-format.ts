/**
 * The reference's `TIME_FORMAT` = `%Y-%m-%d %H:%M:%S,%f%z` in UTC, e.g.
 * `2024-03-09 18:26:24,469750+0000`. JavaScript dates carry milliseconds, so
 * microseconds beyond them are kept separately when parsing and emitted as given.
 */
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Formats epoch milliseconds (fractional part kept to the microsecond). */
export function formatTime(epochMs: number, withZone = true): string {
  const whole = Math.floor(epochMs);
  const d = new Date(whole);
  const micros = Math.round((epochMs - whole) * 1000) + d.getUTCMilliseconds() * 1000;
  const carry = micros >= 1_000_000 ? 1 : 0;
  const date = carry ? new Date(whole - d.getUTCMilliseconds() + 1000) : d;
  const us = carry ? micros - 1_000_000 : micros;
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())},${pad(us, 6)}` +
    (withZone ? '+0000' : '')
  );
}

const TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}),(\d{6})([+-]\d{4})?$/;

/** Parses `TIME_FORMAT` into epoch milliseconds with microsecond fraction; throws on bad input. */
export function parseTime(text: string): number {
  const m = TIME_PATTERN.exec(text.trim());
  if (!m) throw new Error(`time '${text}' does not match %Y-%m-%d %H:%M:%S,%f%z`);
  const [, y, mo, d, h, mi, s, us, zone] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) + Number(us) / 1000;
  if (zone) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const offsetMinutes = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5));
    ms -= sign * offsetMinutes * 60_000;
  }
  return ms;
}

/** The reference's `TIME_FORMAT_DAYS` = `%Y-%m-%d%z`, e.g. `2024-03-09+0000`. */
export function formatDay(epochMs: number): string {
  const d = new Date(Math.floor(epochMs));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}+0000`;
}

export function parseDay(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})([+-]\d{4})?$/.exec(text.trim());
  if (!m) throw new Error(`day '${text}' does not match %Y-%m-%d%z`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

/** ISO time with milliseconds as the Lambda runtime prints it in front of log lines. */
export function formatIsoMillis(epochMs: number): string {
  return new Date(Math.floor(epochMs)).toISOString();
}

/**
 * A time for people: `2026-12-08 00:21 UTC` (ISO 8601 date and minutes, the zone named), from
 * epoch milliseconds or a stored `TIME_FORMAT` text. Text that is not a stored time is shown
 * as it is: an output line is no place to fail.
 */
export function readableTime(time: number | string): string {
  let epochMs: number;
  try {
    epochMs = typeof time === 'number' ? time : parseTime(time);
  } catch {
    return String(time);
  }
  const d = new Date(Math.floor(epochMs));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}
