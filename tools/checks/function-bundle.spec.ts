import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The modules esbuild puts in a deployed function's bundle for this entry (as the bundler builds it). */
async function bundledModules(contents: string): Promise<string[]> {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // What each platform installs itself (Lambda's SDK, the Google packages of the Cloud Run bundle's package.json).
    external: ['@aws-sdk/*', '@google-cloud/*'],
  });
  return Object.values(result.metafile.outputs).flatMap((output) => Object.entries(output.inputs).filter(([, use]) => use.bytesInOutput > 0).map(([path]) => path));
}

describe('what deployed functions carry', () => {
  // Stored-row schemas (zod) are for the CLI and the remote framework; in a function they would add ~760 KB each.
  it.each([
    ['local', "export { handleInvocation } from '@caribou/sdk/runtime';"],
    ['aws', "import { createLambdaHandler } from '@caribou/adapter-aws/lambda-runtime'; export const handler = createLambdaHandler({});"],
    ['gcp', "import { createFunctionsFrameworkHandler } from '@caribou/adapter-gcp/functions-runtime'; export const caribou = createFunctionsFrameworkHandler({});"],
  ])('the %s function runtime bundles no zod', async (_provider, entry) => {
    const modules = await bundledModules(entry);
    expect(modules.length).toBeGreaterThan(10);
    expect(modules.filter((path) => path.includes('node_modules/zod/'))).toEqual([]);
  });
});
