/** The functions-framework target every Cloud Run function of a workflow runs (`--entry-point`). */
export const GCP_ENTRY_POINT = 'caribou';

/**
 * Entry source of a workflow's Cloud Run bundle (an `EntrySource` of @caribou/adapter-bundler):
 * `index.mjs` exports the HTTP function `caribou`.
 */
export const gcpEntry = (appModulePath: string): string =>
  [
    `import * as app from ${JSON.stringify(appModulePath)};`,
    `import { createFunctionsFrameworkHandler } from '@caribou/adapter-gcp/functions-runtime';`,
    `export const ${GCP_ENTRY_POINT} = createFunctionsFrameworkHandler(app.workflow ?? app.default);`,
  ].join('\n');

/**
 * Google's client libraries load their protocol definitions from files next to their code,
 * so they stay out of the bundle; Cloud Run's build installs them from the package.json
 * written beside it, at the versions this adapter pins and is tested with.
 */
export const GCP_PROVIDED_PACKAGES = ['@google-cloud/*'];

export const GCP_FUNCTION_DEPENDENCIES = {
  '@google-cloud/firestore': '8.7.1',
  '@google-cloud/functions-framework': '5.0.5',
  '@google-cloud/pubsub': '5.3.1',
} as const;

/** Files written beside `index.mjs` in a Cloud Run bundle: its package.json (ESM, `index.mjs` as main, the pinned Google packages). */
export const GCP_BUNDLE_FILES = [
  {
    name: 'package.json',
    contents: `${JSON.stringify(
      { name: 'caribou-workflow-function', version: '0.0.0', private: true, type: 'module', main: 'index.mjs', dependencies: GCP_FUNCTION_DEPENDENCIES },
      null,
      2,
    )}\n`,
  },
] as const;
