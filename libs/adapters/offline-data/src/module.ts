import { ContainerModule } from 'inversify';
import { SOURCE_TOKENS, TOKENS } from '@caribou/ports';
import { OfflineCarbonSource } from './offline-carbon-source';
import { OfflineLatencySource } from './offline-latency-source';
import { OfflineRegionCatalog } from './offline-region-catalog';

/** The shipped dataset behind every collector port: always there, whatever keys are set. */
export function offlineDataModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(SOURCE_TOKENS.OfflineCarbonSource)
      .toDynamicValue((ctx) => new OfflineCarbonSource(ctx.get(TOKENS.Clock)))
      .inSingletonScope();
    bind(SOURCE_TOKENS.OfflineLatencySource)
      .toDynamicValue(() => new OfflineLatencySource())
      .inSingletonScope();
    bind(SOURCE_TOKENS.OfflineRegionCatalog)
      .toDynamicValue(() => new OfflineRegionCatalog())
      .inSingletonScope();
  });
}
