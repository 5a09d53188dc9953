export { EsbuildPackageBuilder, localEntry, SOURCE_SDK_MODULES } from './package-builder';
export type { EntrySource, EsbuildPackageBuilderOptions } from './package-builder';
export { bundlerModule } from './module';
