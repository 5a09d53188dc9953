import { randomUUID } from 'node:crypto';
import type { Clock, RandomSource } from '@caribou/ports';

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
