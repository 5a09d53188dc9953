import { MalformedLogError } from './malformed-log-error';

/**
 * Field extraction from a `[CARIBOU]` message: `NAME (value)`, NAME a whole word (the
 * reference's regex `NAME \((.*?)\)` also matches `REGION` inside `FROM_REGION`; on every
 * message the writer produces both read the same value). The parsers ask for fields in the
 * order the writer prints them, so each search starts where the previous field ended and
 * falls back to the whole message — one pass over the text instead of one per field. On a
 * message that repeats a field (no writer does) the occurrence after the previous field wins.
 */
export class MessageFields {
  private cursor = 0;

  constructor(readonly text: string) {}

  /** The raw text of the field, or undefined when the message has no such field. */
  optional(name: string): string | undefined {
    const needle = needleOf(name);
    let at = this.text.indexOf(needle, this.cursor);
    if (at < 0 && this.cursor > 0) at = this.text.indexOf(needle);
    if (at < 0) return undefined;
    const start = at + needle.length;
    const end = this.text.indexOf(')', start);
    if (end < 0) throw new MalformedLogError(`field ${name} is not closed by ')'`);
    this.cursor = end + 1;
    return this.text.slice(start, end);
  }

  string(name: string): string {
    const value = this.optional(name);
    if (value === undefined) throw new MalformedLogError(`field ${name} is missing`);
    return value;
  }

  float(name: string): number {
    const text = this.string(name);
    const value = parsePythonFloat(text);
    if (value === undefined) throw new MalformedLogError(`field ${name} is not a number: '${text}'`);
    return value;
  }

  /** A float field that may say `N/A` (the writer prints N/A for an unknown client latency). */
  floatOrNotAvailable(name: string): number | null {
    const text = this.string(name);
    if (text === 'N/A') return null;
    const value = parsePythonFloat(text);
    if (value === undefined) throw new MalformedLogError(`field ${name} is not a number or N/A: '${text}'`);
    return value;
  }

  /** `True`/`False` in any case, as the reference accepts them. */
  bool(name: string): boolean {
    const text = this.string(name);
    if (text === 'True' || (text.length === 4 && text.toLowerCase() === 'true')) return true;
    if (text === 'False' || (text.length === 5 && text.toLowerCase() === 'false')) return false;
    throw new MalformedLogError(`field ${name} is not True or False: '${text}'`);
  }
}

const needles = new Map<string, string>();

/** ` NAME (`: the leading space makes NAME a whole word. */
function needleOf(name: string): string {
  let needle = needles.get(name);
  if (needle === undefined) {
    needle = ` ${name} (`;
    needles.set(name, needle);
  }
  return needle;
}

/**
 * Python `float()` of a field's text: decimal or exponent notation, surrounding blanks,
 * `inf`/`infinity`/`nan` in any case, `_` between digits. Undefined when Python would raise.
 */
export function parsePythonFloat(text: string): number | undefined {
  const value = Number(text);
  if (!Number.isNaN(value)) {
    // Number() also reads '' and blanks as 0, and 0x/0o/0b prefixes, which float() rejects.
    if (value === 0 && text.trim().length === 0) return undefined;
    if (hasRadixPrefix(text)) return undefined;
    return value;
  }
  const trimmed = text.trim().toLowerCase();
  switch (trimmed) {
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
    case 'nan':
    case '+nan':
    case '-nan':
      return NaN;
  }
  if (/^[+-]?(\d(_?\d)*)?(\.(\d(_?\d)*)?)?([eE][+-]?\d(_?\d)*)?$/.test(trimmed) && /\d/.test(trimmed)) {
    const withoutUnderscores = Number(trimmed.replace(/_/g, ''));
    return Number.isNaN(withoutUnderscores) ? undefined : withoutUnderscores;
  }
  return undefined;
}

function hasRadixPrefix(text: string): boolean {
  const zero = text.indexOf('0');
  if (zero < 0 || zero + 1 >= text.length) return false;
  const next = text.charCodeAt(zero + 1) | 0x20;
  return (next === 0x78 || next === 0x6f || next === 0x62) && /^\s*[+-]?0[xXoObB]/.test(text);
}
