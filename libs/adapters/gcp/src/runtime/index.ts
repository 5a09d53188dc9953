// What a deployed function imports (the `@caribou/adapter-gcp/functions-runtime` export): the
// Firestore and Pub/Sub clients, nothing of the deploy side.
export { createFunctionsFrameworkHandler } from './functions-framework-runtime';
export type { FunctionsFrameworkHandlerOptions } from './functions-framework-runtime';
export { decodePushRequest, BadPushRequest } from './push-envelope';
export type { PushEnvelope, DecodedRequest } from './push-envelope';
export { formatRequestLines, withRequestConsole } from './request-console';
