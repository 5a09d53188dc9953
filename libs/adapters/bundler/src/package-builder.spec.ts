import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EsbuildPackageBuilder } from './package-builder';
import { unzipEntries } from '@caribou/adapter-archive/testing';

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
    const files = Object.fromEntries(Object.entries(unzipEntries(cloud.path)).map(([name, data]) => [name, data.toString('utf8')]));
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

  it('writes a provider\'s extra files beside index.mjs and into the zip, and names the package after them too', async () => {
    const manifest = (version: string) => [{ name: 'package.json', contents: `{"type":"module","main":"index.mjs","version":"${version}"}` }];
    const build = (version: string) =>
      new EsbuildPackageBuilder({ entries: { cloud: entry }, zipFor: ['cloud'], external: { cloud: ['@aws-sdk/*'] }, extraFiles: { cloud: manifest(version) } }).build(
        request('cloud'),
      );
    const first = await build('1.0.0');
    if (first.kind !== 'zip') throw new Error(`expected a zip, got ${first.kind}`);
    const files = Object.fromEntries(Object.entries(unzipEntries(first.path)).map(([name, data]) => [name, data.toString('utf8')]));
    expect(Object.keys(files)).toEqual(['index.mjs', 'package.json']);
    expect(files['package.json']).toBe(manifest('1.0.0')[0]!.contents);
    expect(readFileSync(join(first.path, '..', 'package.json'), 'utf8')).toBe(manifest('1.0.0')[0]!.contents);
    // Same code, another manifest: another package, never the stale one.
    const second = await build('2.0.0');
    if (second.kind !== 'zip') throw new Error(`expected a zip, got ${second.kind}`);
    expect(second.path).not.toBe(first.path);
    expect(unzipEntries(second.path)['package.json']!.toString('utf8')).toBe(manifest('2.0.0')[0]!.contents);
  });

  it("bundles the framework's SDK even when the project installed another copy, and refuses an SDK subpath it does not have", async () => {
    const decoy = join(project, 'node_modules/@caribou/sdk');
    mkdirSync(decoy, { recursive: true });
    writeFileSync(join(decoy, 'package.json'), JSON.stringify({ name: '@caribou/sdk', type: 'module', exports: { '.': './decoy.js', './runtime': './decoy.js' } }));
    writeFileSync(join(decoy, 'decoy.js'), 'export const handleInvocation = "the project copy";');
    const framework = join(project, 'framework-sdk.mjs');
    writeFileSync(framework, 'export const handleInvocation = "the framework copy";');
    const runtimeEntry = (app: string) => `import ${JSON.stringify(app)}; export { handleInvocation } from '@caribou/sdk/runtime';`;
    try {
      const built = await new EsbuildPackageBuilder({ entries: { here: runtimeEntry }, sdkModules: { '@caribou/sdk/runtime': framework } }).build(request('here'));
      if (built.kind !== 'directory') throw new Error(`expected a directory, got ${built.kind}`);
      const code = readFileSync(join(built.path, 'index.mjs'), 'utf8');
      expect(code).toContain('the framework copy');
      expect(code).not.toContain('the project copy');
      const other = (app: string) => `import ${JSON.stringify(app)}; export * from '@caribou/sdk/internals';`;
      await expect(new EsbuildPackageBuilder({ entries: { here: other }, sdkModules: { '@caribou/sdk/runtime': framework } }).build(request('here'))).rejects.toThrow(
        '@caribou/sdk/internals is not part of @caribou/sdk: import @caribou/sdk/runtime',
      );
    } finally {
      rmSync(join(project, 'node_modules'), { recursive: true, force: true });
    }
  });

  it('names the provider it has no entry for', async () => {
    await expect(new EsbuildPackageBuilder({ entries: {} }).build(request('gcp'))).rejects.toThrow('No package entry for provider gcp');
  });
});
