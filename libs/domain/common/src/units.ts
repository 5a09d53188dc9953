/** "GB" in the reference is always bytes / 1024³ (GiB). */
export const BYTES_PER_GB = 1024 ** 3;

export function bytesToGb(bytes: number): number {
  return bytes / BYTES_PER_GB;
}

/** UTF-8 byte length of a string, without depending on Node's Buffer. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

export function stringSizeGb(text: string): number {
  return utf8Length(text) / BYTES_PER_GB;
}
