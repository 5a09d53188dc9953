// What a deployed function imports (the `@caribou/adapter-aws/lambda-runtime` export): nothing
// of the deploy side, so a bundle carries only the DynamoDB and Lambda clients.
export { createLambdaHandler } from './lambda-runtime';
export { readCpuModel } from '@caribou/sdk/runtime';
export type { LambdaContext, LambdaHandler, LambdaHandlerOptions } from './lambda-runtime';
