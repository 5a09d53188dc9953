export * from './time-key';
export * from './run-decision';
export * from './plan-fit';
export * from './instances';
export * from './payload-codec';
export * from './envelope';
export * from './failure-record';
