/**
 * Port contract suites (vitest). Test support only: never re-exported from the package
 * root, so production bundles do not pull vitest in.
 */
export * from './key-value-store.contract';
export * from './sync-store.contract';
export * from './execution-marker.contract';
export * from './log-source.contract';
export * from './function-platform.contract';
export * from './recorded-http-server';
