import { ContainerModule } from 'inversify';
import { TOKENS } from '@caribou/ports';
import { FileSystemProjectLoader, type ProjectLoaderOptions } from './project-loader';
import { TemplateProjectScaffolder, type ScaffolderOptions } from './scaffolder';

/**
 * Workflow projects on disk: loading one (config, app, successor discovery) and scaffolding a
 * new one. `knownRegionCodes`: the regions the shipped data covers (others are refused);
 * `scaffold`: the template and the SDK tarball new projects get (the packed CLI passes its own).
 */
export function projectModule(options: ProjectLoaderOptions & { scaffold?: ScaffolderOptions } = {}): ContainerModule {
  const { scaffold, ...loaderOptions } = options;
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.ProjectLoader)
      .toDynamicValue(() => new FileSystemProjectLoader(loaderOptions))
      .inSingletonScope();
    bind(TOKENS.ProjectScaffolder)
      .toDynamicValue(() => new TemplateProjectScaffolder(scaffold))
      .inSingletonScope();
  });
}
