export * from './retrying-http-client';
export * from './retry-policy';
