export { EsbuildPackageBuilder, localEntry } from './package-builder';
export type { EntrySource, EsbuildPackageBuilderOptions } from './package-builder';
export { createZip } from './zip';
export { bundlerModule } from './module';
