import type { Clock } from '@caribou/ports';

/** Test double: a clock that says what it is told. */
export class FixedClock implements Clock {
  constructor(public nowMs: number) {}

  now(): number {
    return this.nowMs;
  }
}
