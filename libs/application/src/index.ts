// Use cases, one folder each. Every folder exposes its own index.
export {};
export * from './run/index';
