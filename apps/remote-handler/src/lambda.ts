import { APPLICATION_TOKENS, type RemoteFrameworkActions } from '@caribou/application';
import { createRemoteContainer } from './container';
import { createRemoteHandler } from './handler';

/**
 * The `caribou_cli` Lambda's entry, bundled as `dist/remote-handler/index.mjs` (see bundle.ts).
 * The container is composed on the first event and kept while the Lambda container is warm.
 */
const log = (line: string): void => console.log(line);

/** In the bundle the solver's worker ships next to this module; from the sources the package's own worker runs. */
const solverWorkerEntry = import.meta.url.endsWith('.ts') ? undefined : new URL('./solver-worker.mjs', import.meta.url);

/** The handler composed from `env` (Lambda: process.env; tests: an emulator's endpoint). */
export function createHandler(env: Record<string, string | undefined>, options: { log?: (line: string) => void } = {}) {
  const logLine = options.log ?? log;
  let actions: RemoteFrameworkActions | undefined;
  const resolve = (): RemoteFrameworkActions =>
    (actions ??= createRemoteContainer(env, { log: logLine, ...(solverWorkerEntry ? { solverWorkerEntry } : {}) }).get(APPLICATION_TOKENS.RemoteFrameworkActions));
  return createRemoteHandler(resolve, logLine);
}

export const handler = createHandler(process.env);
