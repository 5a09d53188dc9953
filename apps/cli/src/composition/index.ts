export { createContainer, cliModules } from './container';
export type { CaribouContainer, ContainerOptions, ProviderName } from './container';
export { SERVICES } from './tokens';
export type { RunTracker } from '@caribou/ports';
export { installLayout, useInstallLayout, type InstallLayout } from './install-layout';
