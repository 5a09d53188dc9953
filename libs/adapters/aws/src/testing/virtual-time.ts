import type { Clock, Sleeper } from '@caribou/ports';

interface Timer {
  at: number;
  order: number;
  wake: () => void;
}

const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Test support: a clock that stands still until every task waits, then jumps to the next
 * sleeper's wake-up. "Every task waits" means no request is in flight (`busy()` is 0) over a
 * few macrotasks: work between two awaits is microtasks, which drain before a macrotask, and
 * I/O shows as `busy()`. So a test runs real concurrent work against an emulator, with every
 * timestamp it records exact and no wall-clock time spent waiting.
 */
export class VirtualTime implements Clock, Sleeper {
  private current: number;
  private timers: Timer[] = [];
  private order = 0;

  constructor(
    start: number,
    /** Requests in flight (an SDK middleware counts them): time never moves while one is. */
    private readonly busy: () => number = () => 0,
  ) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => {
      this.timers.push({ at: this.current + Math.max(0, ms), order: this.order++, wake });
    });
  }

  /** Runs `work` to its end, moving time forward only while everything waits on a sleeper. */
  async run<T>(work: Promise<T>): Promise<T> {
    let done = false;
    const result = work.finally(() => {
      done = true;
    });
    result.catch(() => undefined);
    while (!done) {
      if (!(await this.settled()) || done) continue;
      this.timers.sort((a, b) => a.at - b.at || a.order - b.order);
      const next = this.timers[0];
      if (next === undefined) throw new Error('VirtualTime: nothing is running and nothing sleeps, but the work has not finished');
      this.current = Math.max(this.current, next.at);
      const due = this.timers.filter((timer) => timer.at <= this.current);
      this.timers = this.timers.filter((timer) => timer.at > this.current);
      for (const timer of due) timer.wake();
    }
    return result;
  }

  /** True when nothing was in flight over three macrotasks in a row. */
  private async settled(): Promise<boolean> {
    for (let i = 0; i < 3; i++) {
      await nextMacrotask();
      if (this.busy() > 0) {
        // Waits for the request's answer without spinning the CPU.
        await new Promise((resolve) => setTimeout(resolve, 1));
        return false;
      }
    }
    return true;
  }
}
