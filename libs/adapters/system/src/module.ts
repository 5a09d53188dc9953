import { ContainerModule } from 'inversify';
import { TOKENS } from '@caribou/ports';
import { CryptoRandomSource, SystemClock } from './system';

export interface SystemModuleOptions {
  /**
   * Bind the wall clock as the Clock. Off where a provider keeps its own time (the local
   * provider's simulation clock), so that exactly one module binds each port.
   */
  wallClock: boolean;
}

/** Randomness and, unless a provider brings its own, time. */
export function systemModule(options: SystemModuleOptions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.RandomSource).to(CryptoRandomSource).inSingletonScope();
    if (options.wallClock) bind(TOKENS.Clock).to(SystemClock).inSingletonScope();
  });
}
