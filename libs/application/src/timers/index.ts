export { TimerActions } from './timer-actions';
export type { TimerActionOutcome, TimerActionsDeps } from './timer-actions';
export { TimerLoopService, describeTick } from './timer-loop.service';
export type { ServeRequest, TickOutcome, TimerLoopDeps, TimerLoopOptions } from './timer-loop.service';
