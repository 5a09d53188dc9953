import { pathToFileURL } from 'node:url';
import { ensureRemoteHandlerBundle } from '../bundle';
import type { RemoteResponse } from '../handler';

type Handler = (event: unknown) => Promise<RemoteResponse>;

/** What `dist/remote-handler/index.mjs` exports. */
interface BundleExports {
  handler: Handler;
  createHandler(env: Record<string, string | undefined>, options?: { log?: (line: string) => void }): Handler;
}

/**
 * The remote framework exactly as deployed: `dist/remote-handler/index.mjs`, built first when
 * missing or stale (a clean clone has no dist/), composed from `env` (an emulator's endpoint).
 */
export async function bundledHandler(env: Record<string, string | undefined>, log: (line: string) => void = () => undefined): Promise<Handler> {
  const bundle = await ensureRemoteHandlerBundle();
  const exports = (await import(pathToFileURL(bundle.entry).href)) as BundleExports;
  if (typeof exports.handler !== 'function') throw new Error(`${bundle.entry} exports no handler`);
  return exports.createHandler(env, { log });
}
