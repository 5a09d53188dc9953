import { zipSync, type Zippable } from 'fflate';

/** "Made by" Unix, so the external attributes below are read as a mode. */
const UNIX = 3;
/** A regular file, rw-r--r--: Lambda's runtime user must be able to read it. */
const REGULAR_FILE_644 = (0o100644 << 16) >>> 0;

/**
 * A deflated zip archive of the given files (fflate). Timestamps and attributes are fixed, so
 * the same inputs give the same bytes (and the same sha256, which Lambda reports back).
 * The one zip writer: the bundler's function packages, the remote handler's bundle and the
 * adapters' test artifacts all come from here (adapters may not import each other).
 */
export function createZip(files: Array<{ name: string; data: Uint8Array }>): Buffer {
  // fflate writes DOS timestamps in local time: the zip epoch made in the current zone reads back as
  // 1980-01-01 00:00 everywhere (a Date made once would drift when TZ changes).
  const zipEpoch = new Date(1980, 0, 1, 0, 0, 0);
  const entries: Zippable = {};
  for (const file of files) entries[file.name] = [file.data, { level: 9, mtime: zipEpoch, os: UNIX, attrs: REGULAR_FILE_644 }];
  return Buffer.from(zipSync(entries));
}
