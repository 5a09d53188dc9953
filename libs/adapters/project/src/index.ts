export { FileSystemProjectLoader, APP_ENTRY, type ProjectLoaderOptions } from './project-loader';
export { TemplateProjectScaffolder, TEMPLATE_DIR, VENDOR_DIR, type ScaffolderOptions } from './scaffolder';
export { importWorkflowApp, type AppLoaderOptions, type RuntimeWorkflow, type RuntimeFunction } from './app-loader';
export { loadProjectConfig, loadIamPolicy, readProjectFile, CONFIG_FILE, MAX_PROJECT_FILE_BYTES } from './config-loader';
export { discoverWorkflowFunctions, type DiscoveredFunction } from './successor-discovery';
export { projectModule } from './module';
