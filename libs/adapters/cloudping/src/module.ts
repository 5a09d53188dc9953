import { ContainerModule } from 'inversify';
import { offlineDataOnly, SOURCE_TOKENS } from '@caribou/ports';
import { CloudPingLatencySource } from './cloudping-latency-source';

/** Live inter-region latency from cloudping (no key needed), unless CARIBOU_OFFLINE_DATA is 1. */
export function cloudPingModule(env: Record<string, string | undefined>): ContainerModule {
  const live = !offlineDataOnly(env);
  return new ContainerModule(({ bind }) => {
    if (live) bind(SOURCE_TOKENS.LiveLatencySource).toDynamicValue(() => new CloudPingLatencySource()).inSingletonScope();
  });
}
