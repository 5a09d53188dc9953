export { CryptoRandomSource, SystemClock } from './system';
export { systemModule } from './module';
export type { SystemModuleOptions } from './module';
