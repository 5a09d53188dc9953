import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { unzipEntries, zipListing } from './testing';
import { createZip } from './zip';

const dir = mkdtempSync(join(tmpdir(), 'caribou-zip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, bytes: Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

describe('createZip', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it('writes an archive Info-ZIP unzip tests clean and extracts byte for byte', () => {
    const code = Buffer.from('export const handler = async (event) => event;\n'.repeat(5_000));
    const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    const path = write('two.zip', createZip([
      { name: 'index.mjs', data: code },
      { name: 'assets/naïve.bin', data: binary },
    ]));
    const files = unzipEntries(path);
    expect(Object.keys(files)).toEqual(['index.mjs', 'assets/naïve.bin']);
    expect(files['index.mjs']!.equals(code)).toBe(true);
    expect(files['assets/naïve.bin']!.equals(binary)).toBe(true);
  });

  it('deflates readable regular files stamped at the zip epoch', () => {
    const path = write('one.zip', createZip([{ name: 'index.mjs', data: Buffer.from('x'.repeat(10_000)) }]));
    const [line] = zipListing(path);
    expect(line).toMatch(/^-rw-r--r-- .* unx +10000 .* defN 80-Jan-01 00:00 index\.mjs$/);
  });

  it('gives the same bytes for the same files, in any time zone', () => {
    const files = [{ name: 'index.mjs', data: Buffer.from('export default 1;') }];
    process.env.TZ = 'UTC';
    const utc = createZip(files);
    process.env.TZ = 'Asia/Kathmandu';
    const kathmandu = createZip(files);
    process.env.TZ = 'America/St_Johns';
    expect(createZip(files).equals(utc)).toBe(true);
    expect(kathmandu.equals(utc)).toBe(true);
  });
});
