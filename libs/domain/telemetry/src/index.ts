export * from './log-messages';
