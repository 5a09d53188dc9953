export * from './project-loader.port';
export * from './project-scaffolder.port';
