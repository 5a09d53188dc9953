import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import type { Artifact } from '@caribou/ports';

/** Test support: a stored (uncompressed) zip archive, enough for Lambda to accept it. */
export function storedZip(files: Array<{ name: string; data: string }>): Buffer {
  const entries: Zippable = {};
  for (const file of files) entries[file.name] = [strToU8(file.data), { level: 0, mtime: new Date(1980, 0, 1) }];
  return Buffer.from(zipSync(entries));
}

/** A zip artifact with a handler module, written to a fresh temp directory. */
export function handlerZipArtifact(body = 'export const handler = async (event) => event;'): Artifact & { kind: 'zip' } {
  const bytes = storedZip([{ name: 'index.mjs', data: body }]);
  const path = join(mkdtempSync(join(tmpdir(), 'caribou-aws-test-')), 'function.zip');
  writeFileSync(path, bytes);
  return { kind: 'zip', path, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Test support: the files of a zip archive, by name. */
export function readZipEntries(bytes: Uint8Array): Record<string, Buffer> {
  return Object.fromEntries(Object.entries(unzipSync(bytes)).map(([name, data]) => [name, Buffer.from(data)]));
}
