import { unzipSync } from 'fflate';

/** Test support: the files of a zip archive held in memory, by name. */
export function readZipEntries(bytes: Uint8Array): Record<string, Buffer> {
  return Object.fromEntries(Object.entries(unzipSync(bytes)).map(([name, data]) => [name, Buffer.from(data)]));
}
