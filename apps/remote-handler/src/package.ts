import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAMBDA_PROVIDED_PACKAGES } from '@caribou/adapter-aws';
import { EsbuildPackageBuilder } from '@caribou/adapter-bundler';
import { CARIBOU_VERSION, CaribouError } from '@caribou/domain-common';
import type { Artifact } from '@caribou/ports';

/** The remote framework's Lambda entry module (exports `handler`). */
export const REMOTE_HANDLER_ENTRY = join(dirname(fileURLToPath(import.meta.url)), 'lambda.ts');

/**
 * Bundles the remote framework into one zip (`index.mjs` exporting `handler`) for Lambda's
 * Node.js 20 runtime: no Docker, no container image, the AWS SDK left to the runtime.
 * Secrets are never part of the package.
 */
export async function buildRemoteHandlerPackage(workDir: string = join(tmpdir(), 'caribou-remote-framework')): Promise<Artifact & { kind: 'zip' }> {
  mkdirSync(workDir, { recursive: true });
  const builder = new EsbuildPackageBuilder({
    entries: { aws: (entry) => `export { handler } from ${JSON.stringify(entry)};` },
    zipFor: ['aws'],
    external: { aws: LAMBDA_PROVIDED_PACKAGES },
  });
  const artifact = await builder.build({ workflowName: 'caribou_cli', workflowVersion: CARIBOU_VERSION, projectDir: workDir, appEntry: REMOTE_HANDLER_ENTRY, provider: 'aws' });
  if (artifact.kind !== 'zip') throw new CaribouError(`The remote framework package was built as ${artifact.kind}, not a zip; this is a bug in the bundler options`);
  return artifact;
}
