/**
 * Entry source of a workflow's Lambda bundle (an `EntrySource` of @caribou/adapter-bundler):
 * `index.mjs` exports `handler`, the platform's default `index.handler`.
 */
export const awsEntry = (appModulePath: string): string =>
  [
    `import * as app from ${JSON.stringify(appModulePath)};`,
    `import { createLambdaHandler } from '@caribou/adapter-aws/lambda-runtime';`,
    `export const handler = createLambdaHandler(app.workflow ?? app.default);`,
  ].join('\n');

/** Packages the Lambda Node.js 20 runtime provides (AWS SDK v3): left out of bundles. */
export const LAMBDA_PROVIDED_PACKAGES = ['@aws-sdk/*'];
