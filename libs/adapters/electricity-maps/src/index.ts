export * from './electricity-maps-carbon-source';
