/**
 * The reference's payload codec: binary values travel as `"b64:" + base64`, and every
 * string starting with `b64:` is turned back into bytes on arrival (invalid base64 is
 * left as it is). JSON cannot carry bytes otherwise.
 */
const PREFIX = 'b64:';

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary);
}

function base64ToBytes(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return undefined;
  }
}

/** JSON.stringify with Uint8Array values (Buffers included) encoded as `b64:` strings. */
export function encodePayload(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Uint8Array) return PREFIX + bytesToBase64(v);
    // Buffer.toJSON runs before the replacer sees the value.
    if (v && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) {
      return PREFIX + bytesToBase64(Uint8Array.from((v as { data: number[] }).data));
    }
    return v;
  });
}

/** Turns `b64:` strings anywhere in a parsed value back into bytes. */
export function decodeBinaryStrings(value: unknown): unknown {
  if (typeof value === 'string') {
    if (!value.startsWith(PREFIX)) return value;
    return base64ToBytes(value.slice(PREFIX.length)) ?? value;
  }
  if (Array.isArray(value)) return value.map(decodeBinaryStrings);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = decodeBinaryStrings(v);
    return out;
  }
  return value;
}

export function decodePayload(text: string): unknown {
  return decodeBinaryStrings(JSON.parse(text));
}

/** Python truthiness: the reference leaves falsy payloads (`{}`, `""`, `0`, `False`, `None`, `[]`) out of envelopes. */
export function isTruthyPayload(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Uint8Array) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}
