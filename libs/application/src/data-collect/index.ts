export * from './collection-report';
export type { AvailableRegion, CollectorDependencies } from './collector-context';
export { readAvailableRegions } from './collector-context';
export * from './provider-collector.service';
export * from './carbon-collector.service';
export * from './performance-collector.service';
export * from './fallback-sources';
export * from './data-collect.service';
