import { ContainerModule } from 'inversify';
import { TOKENS } from '@caribou/ports';
import { FileSystemProjectLoader, type ProjectLoaderOptions } from './project-loader';
import { TemplateProjectScaffolder } from './scaffolder';

/**
 * Workflow projects on disk: loading one (config, app, successor discovery) and scaffolding a
 * new one. `knownRegionCodes`: the regions the shipped data covers (others are refused).
 */
export function projectModule(options: ProjectLoaderOptions = {}): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.ProjectLoader)
      .toDynamicValue(() => new FileSystemProjectLoader(options))
      .inSingletonScope();
    bind(TOKENS.ProjectScaffolder)
      .toDynamicValue(() => new TemplateProjectScaffolder())
      .inSingletonScope();
  });
}
