export * from './constants';
export * from './token-policy';
