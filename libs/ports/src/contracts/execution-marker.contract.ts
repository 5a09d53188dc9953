import type { ProviderRegion } from '@caribou/domain-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionKey, ExecutionMarkerProvider, ExecutionMarkerStore } from '../execution-marker.port';
import type { Clock } from '../runtime.port';

export interface ExecutionMarkerHarness {
  /** Markers whose "now" is `clock` (the suite moves it to run leases out). */
  markers(clock: Clock): ExecutionMarkerProvider;
  /** A region whose tables exist (the harness creates them). */
  region: ProviderRegion;
  cleanup(): Promise<void>;
}

/**
 * What every execution-marker store must do so that a duplicated or concurrent delivery
 * runs the handler once and a retry resumes where the failed attempt stopped. Run ids are
 * unique per test, so the suite tolerates leftovers.
 */
export function describeExecutionMarkerContract(name: string, makeHarness: () => Promise<ExecutionMarkerHarness>): void {
  describe(`ExecutionMarkerStore contract: ${name}`, () => {
    const run = (label: string): string => `${label}${Date.now().toString(16)}${Math.floor(Math.random() * 1e9).toString(16)}`;
    const instance = 'wf-0_0_1-join:sync:';
    const now = { ms: 1_760_000_000_000 };
    const clock: Clock = { now: () => now.ms };
    let harness: ExecutionMarkerHarness;
    let markers: ExecutionMarkerStore;

    beforeAll(async () => {
      harness = await makeHarness();
      markers = harness.markers(clock).forRegion(harness.region);
    });

    afterAll(async () => {
      await harness?.cleanup();
    });

    const key = (label: string, name = instance): ExecutionKey => ({ runId: run(label), instance: name });

    it('gives the first delivery the marker and tells a second one who holds it until when', async () => {
      const k = key('first');
      expect(await markers.acquire(k, 'delivery-1', 60_000)).toEqual({ status: 'acquired', completedSends: [] });
      expect(await markers.acquire(k, 'delivery-2', 60_000)).toEqual({ status: 'held', holder: 'delivery-1', leaseExpiresAtMs: now.ms + 60_000 });
      // The holder asking again is a second delivery of its own too: it never runs twice.
      expect((await markers.acquire(k, 'delivery-1', 60_000)).status).toBe('held');
    });

    it('lets exactly one of many concurrent deliveries run', async () => {
      const k = key('concurrent');
      const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => markers.acquire(k, `delivery-${i}`, 60_000)));
      expect(claims.filter((c) => c.status === 'acquired')).toHaveLength(1);
      expect(claims.filter((c) => c.status === 'held')).toHaveLength(9);
    });

    it('skips every delivery after the execution finished, even when the lease has run out', async () => {
      const k = key('finished');
      await markers.acquire(k, 'delivery-1', 1_000);
      await markers.finish(k, 'delivery-1');
      expect(await markers.acquire(k, 'delivery-2', 1_000)).toEqual({ status: 'finished' });
      now.ms += 10_000;
      expect(await markers.acquire(k, 'delivery-3', 1_000)).toEqual({ status: 'finished' });
    });

    it('hands a released marker to the retry at once, with the sends the failed attempt made', async () => {
      const k = key('released');
      await markers.acquire(k, 'attempt-1', 600_000);
      await markers.recordSend(k, '0:wf-0_0_1-a:x:1');
      await markers.recordSend(k, '1:wf-0_0_1-join:sync:');
      await markers.recordSend(k, '0:wf-0_0_1-a:x:1');
      await markers.release(k, 'attempt-1');
      const retry = await markers.acquire(k, 'attempt-2', 600_000);
      expect(retry.status).toBe('acquired');
      expect(retry.status === 'acquired' && [...retry.completedSends].sort()).toEqual(['0:wf-0_0_1-a:x:1', '1:wf-0_0_1-join:sync:']);
    });

    it('only the holder releases: a skipped duplicate cannot free the marker of the delivery that runs', async () => {
      const k = key('foreign-release');
      await markers.acquire(k, 'runner', 600_000);
      await markers.release(k, 'duplicate');
      expect(await markers.acquire(k, 'another', 600_000)).toMatchObject({ status: 'held', holder: 'runner' });
    });

    it('takes the marker over once the holder\'s lease ran out (the holder died), keeping its sends', async () => {
      const k = key('expired');
      await markers.acquire(k, 'crashed', 5_000);
      await markers.recordSend(k, '0:s');
      now.ms += 4_000;
      expect((await markers.acquire(k, 'early', 5_000)).status).toBe('held');
      now.ms += 2_000;
      expect(await markers.acquire(k, 'retry', 5_000)).toEqual({ status: 'acquired', completedSends: ['0:s'] });
      expect(await markers.acquire(k, 'late', 5_000)).toMatchObject({ status: 'held', holder: 'retry' });
    });

    it('keeps runs and instances apart', async () => {
      const k = key('apart');
      await markers.acquire(k, 'd', 60_000);
      await markers.recordSend(k, '0:x');
      await markers.finish(k, 'd');
      expect(await markers.acquire({ runId: k.runId, instance: 'wf-0_0_1-other:entry_point:0' }, 'd', 60_000)).toEqual({ status: 'acquired', completedSends: [] });
      expect(await markers.acquire({ runId: run('other'), instance }, 'd', 60_000)).toEqual({ status: 'acquired', completedSends: [] });
    });
  });
}
