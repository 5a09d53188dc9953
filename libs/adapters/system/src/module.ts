import { ContainerModule } from 'inversify';
import { TOKENS, type Clock, type Sleeper } from '@caribou/ports';
import { CryptoRandomSource, SystemClock, TimeoutSleeper } from './system';

export interface SystemModuleOptions {
  /**
   * Bind the wall clock as the Clock. Off where a provider keeps its own time (the local
   * provider's simulation clock), so that exactly one module binds each port.
   */
  wallClock: boolean;
  /** Waiting (`caribou serve`): a timer by default; tests pass one that advances their clock. */
  sleeper?: Sleeper;
  /** Bound instead of the wall clock (tests that drive time through `sleeper`). */
  clock?: Clock;
}

/** Randomness, waiting and, unless a provider brings its own, time. */
export function systemModule(options: SystemModuleOptions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.RandomSource).to(CryptoRandomSource).inSingletonScope();
    const sleeper = options.sleeper;
    if (sleeper) bind(TOKENS.Sleeper).toConstantValue(sleeper);
    else bind(TOKENS.Sleeper).to(TimeoutSleeper).inSingletonScope();
    if (options.wallClock && options.clock) bind(TOKENS.Clock).toConstantValue(options.clock);
    else if (options.wallClock) bind(TOKENS.Clock).to(SystemClock).inSingletonScope();
  });
}
