export * from './migration-plan';
