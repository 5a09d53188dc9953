export * from './py-repr';
export * from './time-format';
export * from './units';
export * from './constants';
export * from './errors';
export * from './region';
export * from './lambda-runtimes';
export * from './group-consecutive';
