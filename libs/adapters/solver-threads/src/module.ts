import { ContainerModule } from 'inversify';
import { TOKENS } from '@caribou/ports';
import { ThreadedEvaluatorFactory, type ThreadPoolOptions } from './solver-thread-pool';

/**
 * The `fast` calculator (the reference's `go`): Monte-Carlo evaluation spread over worker
 * threads. `threads` defaults to the machine's parallelism; `workerEntry` is the worker module
 * (a bundle passes the worker it ships next to itself).
 */
export function solverThreadsModule(options: ThreadPoolOptions = {}): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.FastEvaluatorFactory)
      .toDynamicValue(() => new ThreadedEvaluatorFactory(options))
      .inSingletonScope();
  });
}
