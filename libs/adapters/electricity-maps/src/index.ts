export * from './electricity-maps-carbon-source';
export * from './module';
