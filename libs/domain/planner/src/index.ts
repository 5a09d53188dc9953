export {};
export * from './migration/index';
