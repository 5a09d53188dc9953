// What a deployed function imports (the `@caribou/adapter-aws/lambda-runtime` export): nothing
// of the deploy side, so a bundle carries only the DynamoDB and Lambda clients.
export { createLambdaHandler, readCpuModel } from './lambda-runtime';
export type { LambdaContext, LambdaHandler, LambdaHandlerOptions } from './lambda-runtime';
