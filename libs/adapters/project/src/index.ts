export { FileSystemProjectLoader, APP_ENTRY } from './project-loader';
export { TemplateProjectScaffolder, TEMPLATE_DIR } from './scaffolder';
export { importWorkflowApp, type AppLoaderOptions, type RuntimeWorkflow, type RuntimeFunction } from './app-loader';
export { loadProjectConfig, loadIamPolicy, CONFIG_FILE } from './config-loader';
export { discoverWorkflowFunctions, type DiscoveredFunction } from './successor-discovery';
