export * from './time-key';
export * from './placement';
export * from './instances';
export * from './payload-codec';
export * from './envelope';
