import type { ProviderRegion } from '@caribou/domain-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncStore, SyncStoreProvider } from '../sync-store.port';

export interface SyncStoreHarness {
  provider: SyncStoreProvider;
  /** A region the provider serves (the suite creates and removes its sync tables). */
  region: ProviderRegion;
  cleanup(): Promise<void>;
}

/**
 * Fan-in semantics every SyncStore must have: payloads per message (no merging of equal
 * payloads, idempotent retries, upload order), marks that never lose a direct call, and
 * an exactly-once claim. Ids are unique per run, so the suite tolerates leftovers.
 */
export function describeSyncStoreContract(name: string, makeHarness: () => Promise<SyncStoreHarness>): void {
  describe(`SyncStore contract: ${name}`, () => {
    const run = (label: string): string => `${label}${Date.now().toString(16)}${Math.floor(Math.random() * 1e9).toString(16)}`;
    const syncNode = 'wf-0_0_1-join:sync:';
    let harness: SyncStoreHarness;
    let store: SyncStore;

    beforeAll(async () => {
      harness = await makeHarness();
      await harness.provider.ensureSyncTables(harness.region);
      await harness.provider.ensureSyncTables(harness.region);
      store = harness.provider.forRegion(harness.region);
    });

    afterAll(async () => {
      try {
        await harness?.provider.removeSyncTables(harness.region);
        await harness?.provider.removeSyncTables(harness.region);
      } finally {
        await harness?.cleanup();
      }
    });

    it('has no predecessor data for an unknown run', async () => {
      const data = await store.getPredecessorData(syncNode, run('empty'));
      expect(data.payloads).toEqual([]);
      expect(data.consumedReadCapacity).toBeGreaterThanOrEqual(0);
    });

    it('keeps every payload per message id, equal payloads included, in upload order', async () => {
      const runId = run('order');
      const uploads: Array<[string, string]> = [
        ['m-c', '{"from":"a","value":1}'],
        ['m-a', '{"same":true}'],
        ['m-b', '{"same":true}'],
        ['m-d', '"ünïcødé ✓"'],
      ];
      for (const [messageId, payload] of uploads) {
        const written = await store.uploadPredecessorData(syncNode, runId, messageId, payload);
        expect(written.consumedWriteCapacity).toBeGreaterThanOrEqual(0);
      }
      expect((await store.getPredecessorData(syncNode, runId)).payloads).toEqual(uploads.map(([, payload]) => payload));
    });

    it('ignores a retried upload of the same message id', async () => {
      const runId = run('retry');
      await store.uploadPredecessorData(syncNode, runId, 'msg-1', '{"n":1}');
      await store.uploadPredecessorData(syncNode, runId, 'msg-2', '{"n":2}');
      await store.uploadPredecessorData(syncNode, runId, 'msg-1', '{"n":1}');
      expect((await store.getPredecessorData(syncNode, runId)).payloads).toEqual(['{"n":1}', '{"n":2}']);
    });

    it('keeps concurrent uploads from many predecessors', async () => {
      const runId = run('many');
      const payloads = Array.from({ length: 10 }, (_, index) => JSON.stringify({ predecessor: index, body: 'x'.repeat(500) }));
      await Promise.all(payloads.map((payload, index) => store.uploadPredecessorData(syncNode, runId, `msg-${index}`, payload)));
      const stored = (await store.getPredecessorData(syncNode, runId)).payloads;
      expect([...stored].sort()).toEqual([...payloads].sort());
    });

    it('separates runs and sync nodes', async () => {
      const first = run('first');
      const second = run('second');
      await store.uploadPredecessorData(syncNode, first, 'm', '"first"');
      await store.uploadPredecessorData(syncNode, second, 'm', '"second"');
      await store.uploadPredecessorData('wf-0_0_1-other:sync:', first, 'm', '"other"');
      expect((await store.getPredecessorData(syncNode, first)).payloads).toEqual(['"first"']);
      expect((await store.getPredecessorData(syncNode, second)).payloads).toEqual(['"second"']);
      expect((await store.getPredecessorData('wf-0_0_1-other:sync:', first)).payloads).toEqual(['"other"']);
    });

    it('marks predecessors: a direct call overwrites, a conditional skip only fills an absent flag', async () => {
      const runId = run('marks');
      const mark = (predecessor: string, directCall: boolean) => store.markPredecessorReached({ predecessor, syncInstance: syncNode, runId, directCall });
      const first = await mark('wf-0_0_1-a:entry_point:0', false);
      expect(first.reached).toEqual([false]);
      expect(first.responseSizeGb).toBeGreaterThan(0);
      expect(first.responseSizeGb).toBeLessThan(1e-5);
      expect(first.consumedWriteCapacity).toBeGreaterThanOrEqual(0);
      expect((await mark('wf-0_0_1-a:entry_point:0', true)).reached).toEqual([true]);
      expect((await mark('wf-0_0_1-a:entry_point:0', false)).reached).toEqual([true]);
      const withSecond = await mark('wf-0_0_1-b:a_0_0:1', false);
      expect([...withSecond.reached].sort()).toEqual([false, true]);
      expect([...(await mark('wf-0_0_1-b:a_0_0:1', false)).reached].sort()).toEqual([false, true]);
      expect((await mark('wf-0_0_1-b:a_0_0:1', true)).reached).toEqual([true, true]);
      const elsewhere = await store.markPredecessorReached({ predecessor: 'p', syncInstance: 'wf-0_0_1-other:sync:', runId, directCall: true });
      expect(elsewhere.reached).toEqual([true]);
    });

    it('lets exactly the last of many concurrent predecessors see the complete set', async () => {
      const runId = run('fanin');
      const predecessors = Array.from({ length: 12 }, (_, index) => `wf-0_0_1-worker:entry_point_0_${index}:${index + 1}`);
      const results = await Promise.all(
        predecessors.map((predecessor) => store.markPredecessorReached({ predecessor, syncInstance: syncNode, runId, directCall: true })),
      );
      const sizes = results.map((result) => result.reached.length).sort((a, b) => a - b);
      expect(sizes).toEqual(predecessors.map((_, index) => index + 1));
      expect(results.find((result) => result.reached.length === predecessors.length)?.reached.every(Boolean)).toBe(true);
    });

    it('grants the invocation claim to exactly one claimant per sync node and run, also under concurrency', async () => {
      const runId = run('claim');
      const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => store.claimInvocation(syncNode, runId, `p${i}#0`)));
      expect(claims.filter(Boolean)).toHaveLength(1);
      const winner = `p${claims.indexOf(true)}#0`;
      expect(await store.claimInvocation(syncNode, runId, 'late#0')).toBe(false);
      // The winner asking again (a retried invocation) keeps its claim.
      expect(await store.claimInvocation(syncNode, runId, winner)).toBe(true);
      expect(await store.claimInvocation('wf-0_0_1-other:sync:', runId, 'late#0')).toBe(true);
      expect(await store.claimInvocation(syncNode, run('claim-other'), 'late#0')).toBe(true);
    });

    it('keeps marks and claims of the same run apart from each other', async () => {
      const runId = run('mixed');
      expect(await store.claimInvocation(syncNode, runId, 'p1#0')).toBe(true);
      expect((await store.markPredecessorReached({ predecessor: 'p1', syncInstance: syncNode, runId, directCall: true })).reached).toEqual([true]);
      expect(await store.claimInvocation(syncNode, runId, 'p2#0')).toBe(false);
    });
  });
}
