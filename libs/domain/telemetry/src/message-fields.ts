import { MalformedLogError } from './malformed-log-error';

/**
 * Field extraction from a `[CARIBOU]` message: `NAME (value)`, first occurrence. The
 * reference runs the regex `NAME \((.*?)\)` once per field; we search for ` NAME (`
 * with a leading space so that `REGION` never matches inside `FROM_REGION` — on every
 * message the writer produces both give the same value, ours without a regex per field.
 */
const needles = new Map<string, string>();

function needleOf(name: string): string {
  let needle = needles.get(name);
  if (needle === undefined) {
    needle = ` ${name} (`;
    needles.set(name, needle);
  }
  return needle;
}

/** The raw text of the field, or undefined when the message has no such field. */
export function optionalField(message: string, name: string): string | undefined {
  const needle = needleOf(name);
  const at = message.indexOf(needle);
  if (at < 0) return undefined;
  const start = at + needle.length;
  const end = message.indexOf(')', start);
  if (end < 0) throw new MalformedLogError(`field ${name} is not closed by ')'`);
  return message.slice(start, end);
}

export function stringField(message: string, name: string): string {
  const value = optionalField(message, name);
  if (value === undefined) throw new MalformedLogError(`field ${name} is missing`);
  return value;
}

/** Python `float()` of the field text: decimal or exponent notation, `inf`, `nan`. */
export function parsePythonFloat(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0) return undefined;
  const first = trimmed.charCodeAt(0);
  // Digits, sign or dot: the common case; Number() is exact for these.
  if ((first >= 48 && first <= 57) || first === 45 || first === 43 || first === 46) {
    if (trimmed.length > 1 && (trimmed[1] === 'x' || trimmed[1] === 'X' || trimmed[1] === 'b' || trimmed[1] === 'o')) return undefined;
    const value = Number(trimmed);
    if (!Number.isNaN(value)) return value;
  }
  switch (trimmed.toLowerCase()) {
    case 'inf':
    case '+inf':
    case 'infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
    case 'nan':
      return NaN;
    default:
      return undefined;
  }
}

export function floatField(message: string, name: string): number {
  const text = stringField(message, name);
  const value = parsePythonFloat(text);
  if (value === undefined) throw new MalformedLogError(`field ${name} is not a number: '${text}'`);
  return value;
}

/** A float field that may say `N/A` (the writer prints N/A for an unknown client latency). */
export function floatOrNotAvailableField(message: string, name: string): number | null {
  const text = stringField(message, name);
  if (text === 'N/A') return null;
  const value = parsePythonFloat(text);
  if (value === undefined) throw new MalformedLogError(`field ${name} is not a number or N/A: '${text}'`);
  return value;
}

/** `True`/`False` in any case, as the reference accepts them. */
export function boolField(message: string, name: string): boolean {
  const text = stringField(message, name);
  if (text.length === 4 && text.toLowerCase() === 'true') return true;
  if (text.length === 5 && text.toLowerCase() === 'false') return false;
  throw new MalformedLogError(`field ${name} is not True or False: '${text}'`);
}
