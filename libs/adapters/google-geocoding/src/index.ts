export * from './google-geocoder';
