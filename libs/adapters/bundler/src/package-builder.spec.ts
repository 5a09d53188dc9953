import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { EsbuildPackageBuilder } from './package-builder';

/** Reads the entries of a zip written by createZip (deflate, no data descriptors). */
function readZip(bytes: Buffer): Record<string, string> {
  const files: Record<string, string> = {};
  let offset = 0;
  while (bytes.readUInt32LE(offset) === 0x04034b50) {
    const compressedSize = bytes.readUInt32LE(offset + 18);
    const nameLength = bytes.readUInt16LE(offset + 26);
    const extraLength = bytes.readUInt16LE(offset + 28);
    const name = bytes.subarray(offset + 30, offset + 30 + nameLength).toString('utf8');
    const start = offset + 30 + nameLength + extraLength;
    files[name] = inflateRawSync(bytes.subarray(start, start + compressedSize)).toString('utf8');
    offset = start + compressedSize;
  }
  return files;
}

describe('EsbuildPackageBuilder', () => {
  const project = mkdtempSync(join(tmpdir(), 'caribou-bundler-'));
  mkdirSync(join(project, 'src'));
  writeFileSync(
    join(project, 'src/app.ts'),
    [
      `import { STSClient } from '@aws-sdk/client-sts';`,
      `import { formatTime } from '@caribou/domain-common';`,
      `export const workflow = { client: STSClient, stamp: formatTime(0) };`,
    ].join('\n'),
  );
  const entry = (app: string) => `export { workflow } from ${JSON.stringify(app)};`;
  const request = (provider: string) => ({ workflowName: 'wf', workflowVersion: '0.0.1', projectDir: project, appEntry: 'src/app.ts', provider });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('leaves the packages the platform provides out of the bundle, per provider, and zips index.mjs', async () => {
    const builder = new EsbuildPackageBuilder({ entries: { cloud: entry, here: entry }, zipFor: ['cloud'], external: { cloud: ['@aws-sdk/*'] } });
    const cloud = await builder.build(request('cloud'));
    expect(cloud.kind).toBe('zip');
    if (cloud.kind !== 'zip') return;
    const files = readZip(readFileSync(cloud.path));
    expect(Object.keys(files)).toEqual(['index.mjs']);
    expect(files['index.mjs']).toMatch(/from\s*"@aws-sdk\/client-sts"/);
    // Internal packages are bundled (resolved from the framework), external ones are not.
    expect(files['index.mjs']).toContain('function formatTime');
    expect(files['index.mjs']).toBe(readFileSync(join(cloud.path, '..', 'index.mjs'), 'utf8'));

    const here = await builder.build(request('here'));
    expect(here.kind).toBe('directory');
    if (here.kind !== 'directory') return;
    const bundled = readFileSync(join(here.path, 'index.mjs'), 'utf8');
    expect(bundled).not.toMatch(/from\s*"@aws-sdk\/client-sts"/);
    expect(bundled.length).toBeGreaterThan(files['index.mjs']!.length);
  });

  it('names the provider it has no entry for', async () => {
    await expect(new EsbuildPackageBuilder({ entries: {} }).build(request('gcp'))).rejects.toThrow('No package entry for provider gcp');
  });
});
