import { ContainerModule } from 'inversify';
import { SOURCE_TOKENS, TOKENS } from '@caribou/ports';
import { OfflineCarbonSource } from './offline-carbon-source';
import { OfflineGcpCarbonSource, OfflineGcpLatencySource, OfflineGcpRegionCatalog } from './offline-gcp-sources';
import { OfflineLatencySource } from './offline-latency-source';
import { OfflineRegionCatalog } from './offline-region-catalog';

export interface OfflineDataModuleOptions {
  /**
   * The provider whose regions the collectors list: `gcp` gets the Google Cloud files
   * (Cloud Run regions, Google's carbon figures, latency by distance); `aws` and `local`
   * (whose regions carry AWS codes) get the AWS files. Default: AWS.
   */
  provider?: string;
}

/** The shipped dataset behind every collector port: always there, whatever keys are set. */
export function offlineDataModule(options: OfflineDataModuleOptions = {}): ContainerModule {
  const gcp = options.provider === 'gcp';
  return new ContainerModule(({ bind }) => {
    bind(SOURCE_TOKENS.OfflineCarbonSource)
      .toDynamicValue((ctx) => (gcp ? new OfflineGcpCarbonSource() : new OfflineCarbonSource(ctx.get(TOKENS.Clock))))
      .inSingletonScope();
    bind(SOURCE_TOKENS.OfflineLatencySource)
      .toDynamicValue(() => (gcp ? new OfflineGcpLatencySource() : new OfflineLatencySource()))
      .inSingletonScope();
    bind(SOURCE_TOKENS.OfflineRegionCatalog)
      .toDynamicValue(() => (gcp ? new OfflineGcpRegionCatalog() : new OfflineRegionCatalog()))
      .inSingletonScope();
  });
}
