import { randomUUID } from 'node:crypto';
import { setTimeout as wait } from 'node:timers/promises';
import type { Clock, RandomSource, Sleeper } from '@caribou/ports';

/** The machine's wall clock (the cloud providers; the local provider simulates its own). */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
}

/** Uniform draws from Math.random and run ids from crypto.randomUUID, as 32 hex digits (the reference's uuid4().hex). */
export class CryptoRandomSource implements RandomSource {
  random(): number {
    return Math.random();
  }

  uuid(): string {
    return randomUUID().replace(/-/g, '');
  }
}

/** Real waiting with a timer; an abort ends the wait early (serve stops on SIGTERM without waiting for the next tick). */
export class TimeoutSleeper implements Sleeper {
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    try {
      await wait(Math.max(0, ms), undefined, signal ? { signal } : {});
    } catch (error) {
      if ((error as { name?: string }).name !== 'AbortError') throw error;
    }
  }
}
