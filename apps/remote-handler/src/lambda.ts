import type { Container } from 'inversify';
import { readRemoteFrameworkSecrets } from '@caribou/adapter-aws';
import { APPLICATION_TOKENS, type RemoteFrameworkActions } from '@caribou/application';
import { offlineDataOnly } from '@caribou/ports';
import { createRemoteContainer, type RemoteModulesOptions } from './container';
import { createRemoteHandler } from './handler';

/**
 * The `caribou_cli` Lambda's entry, bundled as `dist/remote-handler/index.mjs` (see bundle.ts).
 * The container is composed on the first event and kept while the Lambda container is warm.
 */
const log = (line: string): void => console.log(line);

/** In the bundle the solver's worker ships next to this module; from the sources the package's own worker runs. */
const solverWorkerEntry = import.meta.url.endsWith('.ts') ? undefined : new URL('./solver-worker.mjs', import.meta.url);

/**
 * The container composed from `env` and the install's API keys, read from SSM Parameter Store
 * first (deploy_remote_cli stores them there, never as variables of the function). The keys
 * go into a copy of `env` handed to the live collectors' modules; `process.env` stays as it is.
 * With CARIBOU_OFFLINE_DATA=1 no collector would use them, so none are read.
 */
export async function composeRemoteContainer(env: Record<string, string | undefined>, options: RemoteModulesOptions): Promise<Container> {
  const secrets = offlineDataOnly(env) ? {} : await readRemoteFrameworkSecrets(env, env.AWS_REGION ? { defaultSystemRegion: env.AWS_REGION } : {});
  return createRemoteContainer({ ...env, ...secrets }, options);
}

/** The handler composed from `env` (Lambda: process.env; tests: an emulator's endpoint). */
export function createHandler(env: Record<string, string | undefined>, options: { log?: (line: string) => void } = {}) {
  const logLine = options.log ?? log;
  let actions: Promise<RemoteFrameworkActions> | undefined;
  const resolve = (): Promise<RemoteFrameworkActions> => {
    actions ??= composeRemoteContainer(env, { log: logLine, ...(solverWorkerEntry ? { solverWorkerEntry } : {}) })
      .then((container) => container.get(APPLICATION_TOKENS.RemoteFrameworkActions))
      // A failed read (SSM throttled) is tried again on the next event instead of being kept.
      .catch((error: unknown) => {
        actions = undefined;
        throw error;
      });
    return actions;
  };
  return createRemoteHandler(resolve, logLine);
}

export const handler = createHandler(process.env);
