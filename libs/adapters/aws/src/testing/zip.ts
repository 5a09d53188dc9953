import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createZip } from '@caribou/adapter-archive';
import type { Artifact } from '@caribou/ports';

/** A zip artifact with a handler module, written to a fresh temp directory. */
export function handlerZipArtifact(body = 'export const handler = async (event) => event;'): Artifact & { kind: 'zip' } {
  const bytes = createZip([{ name: 'index.mjs', data: Buffer.from(body) }]);
  const path = join(mkdtempSync(join(tmpdir(), 'caribou-aws-test-')), 'function.zip');
  writeFileSync(path, bytes);
  return { kind: 'zip', path, sha256: createHash('sha256').update(bytes).digest('hex') };
}
