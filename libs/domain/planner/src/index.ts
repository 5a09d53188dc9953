export {};
export * from './migration/index';
export * from './policy/index';
