export * from './google-geocoder';
export * from './module';
