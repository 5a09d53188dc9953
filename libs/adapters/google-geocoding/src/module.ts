import { ContainerModule } from 'inversify';
import { offlineDataOnly, SOURCE_TOKENS } from '@caribou/ports';
import { GoogleGeocoder, readGoogleApiKey } from './google-geocoder';

/** Places regions with Google Geocoding when GOOGLE_API_KEY is set (and CARIBOU_OFFLINE_DATA is not 1). */
export function googleGeocodingModule(env: Record<string, string | undefined>): ContainerModule {
  const apiKey = offlineDataOnly(env) ? undefined : readGoogleApiKey(env);
  return new ContainerModule(({ bind }) => {
    if (apiKey) bind(SOURCE_TOKENS.Geocoder).toDynamicValue(() => new GoogleGeocoder({ apiKey })).inSingletonScope();
  });
}
