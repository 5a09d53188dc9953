// Use cases, one folder each. Every folder exposes its own index.
export {};
export * from './run/index';
export * from './ledger/index';
export * from './deploy/index';
export * from './workflows/index';
export * from './migrate/index';
export * from './project/index';
export * from './log-sync/index';
export * from './workflow-collector/index';
export * from './data-collect/index';
export * from './framework/index';
export * from './plan/index';
export * from './manage-deployments/index';
export { StoredRowError, parseStoredRow, readStoredRow, redeployFix } from './stored-rows';
export * from './report/index';
export * from './remote-framework/index';
export * from './timers/index';
export { APPLICATION_TOKENS } from './tokens';
