import { ContainerModule } from 'inversify';
import { offlineDataOnly, SOURCE_TOKENS } from '@caribou/ports';
import { ElectricityMapsCarbonSource, readElectricityMapsToken } from './electricity-maps-carbon-source';

/**
 * Live carbon intensity when ELECTRICITY_MAPS_AUTH_TOKEN is set (and CARIBOU_OFFLINE_DATA is
 * not 1); otherwise nothing is bound and the collectors read the shipped dataset.
 */
export function electricityMapsModule(env: Record<string, string | undefined>): ContainerModule {
  const authToken = offlineDataOnly(env) ? undefined : readElectricityMapsToken(env);
  return new ContainerModule(({ bind }) => {
    if (authToken) bind(SOURCE_TOKENS.LiveCarbonSource).toDynamicValue(() => new ElectricityMapsCarbonSource({ authToken })).inSingletonScope();
  });
}
