import { ContainerModule } from 'inversify';
import { CloudPingLatencySource } from '@caribou/adapter-cloudping';
import { ElectricityMapsCarbonSource, readElectricityMapsToken } from '@caribou/adapter-electricity-maps';
import { OfflineCarbonSource, OfflineLatencySource, OfflineRegionCatalog } from '@caribou/adapter-offline-data';
import {
  CarbonCollectorService,
  DataCollectService,
  FallbackCarbonSource,
  FallbackLatencySource,
  PerformanceCollectorService,
  ProviderCollectorService,
  type CollectorDependencies,
  type WorkflowCollectorService,
} from '@caribou/application';
import { TOKENS, type CarbonSource, type Clock, type KeyValueStore, type LatencySource, type ProgressReporter, type RegionCatalog } from '@caribou/ports';
import type { ProviderName } from './container';
import { SERVICES } from './tokens';

/**
 * Data sources of the collectors. The shipped offline dataset is always there; live
 * sources are added in front of it when they can answer: Electricity Maps when
 * ELECTRICITY_MAPS_AUTH_TOKEN is set, cloudping for the aws provider (the local provider
 * simulates latency from the shipped matrix, so it measures with the same matrix).
 * A live source that refuses falls back to the offline data for the rest of the run.
 */
export function collectionModule(provider: ProviderName, env: NodeJS.ProcessEnv = process.env): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<RegionCatalog>(TOKENS.RegionCatalog).toDynamicValue((ctx) => {
      const offline = new OfflineRegionCatalog();
      if (provider !== 'aws' || env.CARIBOU_OFFLINE_DATA === '1') return offline;
      return liveAwsCatalog(offline, env, ctx.get<ProgressReporter>(TOKENS.ProgressReporter));
    });
    bind<CarbonSource>(TOKENS.CarbonSource).toDynamicValue((ctx) => {
      const offline = new OfflineCarbonSource(ctx.get(TOKENS.Clock));
      const token = readElectricityMapsToken(env);
      return token ? new FallbackCarbonSource(new ElectricityMapsCarbonSource({ authToken: token }), offline, ctx.get(TOKENS.ProgressReporter)) : offline;
    });
    bind<LatencySource>(TOKENS.LatencySource).toDynamicValue((ctx) => {
      const offline = new OfflineLatencySource();
      if (provider !== 'aws' || env.CARIBOU_OFFLINE_DATA === '1') return offline;
      return new FallbackLatencySource(new CloudPingLatencySource(), offline, ctx.get(TOKENS.ProgressReporter));
    });
    bind(SERVICES.DataCollect).toDynamicValue((ctx) => {
      const common: CollectorDependencies = {
        store: ctx.get<KeyValueStore>(TOKENS.KeyValueStore),
        clock: ctx.get<Clock>(TOKENS.Clock),
        progress: ctx.get<ProgressReporter>(TOKENS.ProgressReporter),
        provider,
      };
      return new DataCollectService({
        provider: new ProviderCollectorService({ ...common, catalog: ctx.get(TOKENS.RegionCatalog) }),
        carbon: new CarbonCollectorService({ ...common, carbonSource: ctx.get(TOKENS.CarbonSource) }),
        performance: new PerformanceCollectorService({ ...common, latencySource: ctx.get(TOKENS.LatencySource) }),
        collectWorkflow: (workflowId) => ctx.get<WorkflowCollectorService>(SERVICES.WorkflowCollector).collect(workflowId),
      });
    });
  });
}

/**
 * Live on AWS: the account's regions, geocoded when GOOGLE_API_KEY is set, priced from the
 * price lists, the shipped dataset behind it. The AWS SDK is loaded on first use only.
 */
function liveAwsCatalog(offline: RegionCatalog, env: NodeJS.ProcessEnv, progress: ProgressReporter): RegionCatalog {
  let live: Promise<RegionCatalog> | undefined;
  const load = () =>
    (live ??= (async () => {
      const [{ AwsRegionCatalog, awsConfigFromEnv, AwsClients }, { GoogleGeocoder, readGoogleApiKey }] = await Promise.all([
        import('@caribou/adapter-aws'),
        import('@caribou/adapter-google-geocoding'),
      ]);
      const apiKey = readGoogleApiKey(env);
      return new AwsRegionCatalog(new AwsClients(awsConfigFromEnv(env)), {
        fallback: offline,
        ...(apiKey ? { geocoder: new GoogleGeocoder({ apiKey }) } : {}),
        warn: (message) => progress.warn(message),
      });
    })());
  return {
    name: 'aws',
    listRegions: async () => (await load()).listRegions(),
    getPrices: async (codes) => (await load()).getPrices(codes),
  };
}
