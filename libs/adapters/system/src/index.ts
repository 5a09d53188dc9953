export { CryptoRandomSource, SystemClock, TimeoutSleeper } from './system';
export { systemModule } from './module';
export type { SystemModuleOptions } from './module';
