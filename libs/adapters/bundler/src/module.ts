import { ContainerModule } from 'inversify';
import { TOKENS } from '@caribou/ports';
import { EsbuildPackageBuilder, type EsbuildPackageBuilderOptions } from './package-builder';

/**
 * The esbuild bundler of workflow packages, for the providers whose entries are given:
 * `FunctionBundler` writes what those providers deploy (a zip for the providers in `zipFor`),
 * `BundleDirectoryBuilder` always the bundle directory (container images copy it in).
 */
export function bundlerModule(options: EsbuildPackageBuilderOptions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.FunctionBundler)
      .toDynamicValue(() => new EsbuildPackageBuilder(options))
      .inSingletonScope();
    bind(TOKENS.BundleDirectoryBuilder)
      .toDynamicValue(() => new EsbuildPackageBuilder({ ...options, zipFor: [] }))
      .inSingletonScope();
  });
}
