import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../key-value-store.port';

export interface KeyValueStoreHarness {
  store: KeyValueStore;
  /** Releases what makeStore opened (clients, files); tables are dropped by the suite. */
  cleanup(): Promise<void>;
}

/** Pseudo-random but reproducible text, so compression has real work to do. */
export function contractText(bytes: number, seed = 1): string {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  const records: string[] = [];
  let length = 2;
  for (let index = 0; length < bytes; index += 1) {
    const record = JSON.stringify({ run: index, region: `aws:eu-west-${Math.floor(next() * 3) + 1}`, latency_s: next(), size_gb: next() / 1e6, note: 'é✓' });
    records.push(record);
    length += Buffer.byteLength(record) + 1;
  }
  return `[${records.join(',')}]`;
}

/**
 * Behaviour every KeyValueStore must have (DESIGN.md §3). Table names are unique per
 * run so the suite can share a server with other suites.
 */
export function describeKeyValueStoreContract(name: string, makeStore: () => Promise<KeyValueStoreHarness>): void {
  describe(`KeyValueStore contract: ${name}`, () => {
    const suffix = `${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
    const table = `contract_kv_${suffix}`;
    const other = `contract_kv_other_${suffix}`;
    const large = `contract_kv_large_${suffix}`;
    const missing = `contract_kv_missing_${suffix}`;
    let harness: KeyValueStoreHarness;
    let store: KeyValueStore;

    beforeAll(async () => {
      harness = await makeStore();
      store = harness.store;
      await store.ensureTables([table, other, large]);
    });

    afterAll(async () => {
      try {
        await store?.dropTables([table, other, large]);
      } finally {
        await harness?.cleanup();
      }
    });

    it('reads undefined for a missing key and for a missing table', async () => {
      expect(await store.get(table, 'never-written')).toBeUndefined();
      expect(await store.get(missing, 'never-written')).toBeUndefined();
      expect(await store.has(table, 'never-written')).toBe(false);
      expect(await store.keys(missing)).toEqual([]);
      const withCapacity = await store.getWithCapacity(table, 'never-written');
      expect(withCapacity.value).toBeUndefined();
      expect(withCapacity.consumedReadCapacity).toBeGreaterThanOrEqual(0);
    });

    it('puts, replaces and reads values, unicode included, per table', async () => {
      await store.put(table, 'wf-0_0_1', '{"a":1}');
      expect(await store.get(table, 'wf-0_0_1')).toBe('{"a":1}');
      await store.put(table, 'wf-0_0_1', '{"a":"ünïcødé ✓ 🌍"}');
      expect(await store.get(table, 'wf-0_0_1')).toBe('{"a":"ünïcødé ✓ 🌍"}');
      expect(await store.has(table, 'wf-0_0_1')).toBe(true);
      expect(await store.get(other, 'wf-0_0_1')).toBeUndefined();
      const read = await store.getWithCapacity(table, 'wf-0_0_1');
      expect(read.value).toBe('{"a":"ünïcødé ✓ 🌍"}');
      expect(read.consumedReadCapacity).toBeGreaterThanOrEqual(0);
    });

    it('round-trips a 300 KB value stored compressed, and switches between compressed and plain', async () => {
      const summary = contractText(300 * 1024, 7);
      await store.put(table, 'summary', summary, { compress: true });
      expect(await store.get(table, 'summary')).toBe(summary);
      expect((await store.getWithCapacity(table, 'summary')).value).toBe(summary);
      expect(new Map(await store.entries(table)).get('summary')).toBe(summary);
      await store.put(table, 'summary', 'plain');
      expect(await store.get(table, 'summary')).toBe('plain');
      await store.put(table, 'summary', summary, { compress: true });
      expect(await store.get(table, 'summary')).toBe(summary);
    });

    it('putIfAbsent writes once, also when callers race', async () => {
      expect(await store.putIfAbsent(table, 'once', 'first')).toBe(true);
      expect(await store.putIfAbsent(table, 'once', 'second')).toBe(false);
      expect(await store.get(table, 'once')).toBe('first');
      const contenders = Array.from({ length: 8 }, (_, index) => `contender-${index}`);
      const results = await Promise.all(contenders.map((value) => store.putIfAbsent(table, 'raced', value)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.get(table, 'raced')).toBe(contenders[results.indexOf(true)]);
    });

    it('compareAndSet swaps only from the expected value (undefined = absent), with one winner per race', async () => {
      expect(await store.compareAndSet(table, 'cas', undefined, 'v1')).toBe(true);
      expect(await store.compareAndSet(table, 'cas', undefined, 'v2')).toBe(false);
      expect(await store.compareAndSet(table, 'cas', 'wrong', 'v2')).toBe(false);
      expect(await store.get(table, 'cas')).toBe('v1');
      expect(await store.compareAndSet(table, 'cas', 'v1', 'v2')).toBe(true);
      expect(await store.get(table, 'cas')).toBe('v2');
      const results = await Promise.all(Array.from({ length: 6 }, (_, index) => store.compareAndSet(table, 'cas', 'v2', `v3-${index}`)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.get(table, 'cas')).toBe(`v3-${results.indexOf(true)}`);
    });

    it('compareAndSet compares the text of a compressed value', async () => {
      await store.put(table, 'cas-compressed', 'tokens: 5', { compress: true });
      expect(await store.compareAndSet(table, 'cas-compressed', 'tokens: 4', 'tokens: 3')).toBe(false);
      expect(await store.compareAndSet(table, 'cas-compressed', 'tokens: 5', 'tokens: 4')).toBe(true);
      expect(await store.get(table, 'cas-compressed')).toBe('tokens: 4');
    });

    it('deletes keys; deleting a missing key or in a missing table is fine', async () => {
      await store.put(table, 'doomed', 'x');
      await store.delete(table, 'doomed');
      expect(await store.get(table, 'doomed')).toBeUndefined();
      expect(await store.has(table, 'doomed')).toBe(false);
      await expect(store.delete(table, 'doomed')).resolves.toBeUndefined();
      await expect(store.delete(missing, 'doomed')).resolves.toBeUndefined();
    });

    it('lists every key and entry of a table beyond one page (> 1 MB, many items)', async () => {
      const big = Array.from({ length: 4 }, (_, index) => [`big-${index}`, contractText(300 * 1024, 100 + index)] as const);
      const small = Array.from({ length: 130 }, (_, index) => [`small-${String(index).padStart(3, '0')}`, `{"index":${index}}`] as const);
      for (const [key, value] of big) await store.put(large, key, value);
      for (let start = 0; start < small.length; start += 20) {
        await Promise.all(small.slice(start, start + 20).map(([key, value]) => store.put(large, key, value)));
      }
      const expected = new Map<string, string>([...big, ...small]);
      const keys = await store.keys(large);
      expect(keys).toHaveLength(expected.size);
      expect(new Set(keys)).toEqual(new Set(expected.keys()));
      const entries = await store.entries(large);
      expect(entries.map(([key]) => key)).toEqual(keys);
      expect(new Map(entries)).toEqual(expected);
    });

    it('keeps numeric attributes next to the value', async () => {
      await store.put(table, 'aws:eu-south-1', '{"name":"Europe (Milan)"}');
      await store.setNumericAttributes(table, 'aws:eu-south-1', { provider_collector: 1706909825.0010574, carbon_collector: 5 });
      expect(await store.getNumericAttributes(table, 'aws:eu-south-1')).toEqual({ provider_collector: 1706909825.0010574, carbon_collector: 5 });
      await store.setNumericAttributes(table, 'aws:eu-south-1', { carbon_collector: 6.5 });
      expect(await store.getNumericAttributes(table, 'aws:eu-south-1')).toEqual({ provider_collector: 1706909825.0010574, carbon_collector: 6.5 });
      await store.put(table, 'aws:eu-south-1', '{"name":"Milan"}');
      expect(await store.get(table, 'aws:eu-south-1')).toBe('{"name":"Milan"}');
      expect(await store.getNumericAttributes(table, 'aws:eu-south-1')).toEqual({ provider_collector: 1706909825.0010574, carbon_collector: 6.5 });
      expect(await store.getNumericAttributes(table, 'aws:nowhere-1')).toEqual({});
    });

    it('ensureTables and dropTables are idempotent; a dropped table comes back empty', async () => {
      const scratch = `contract_kv_scratch_${suffix}`;
      await store.ensureTables([scratch]);
      await store.ensureTables([scratch]);
      await store.put(scratch, 'k', 'v');
      await store.ensureTables([scratch]);
      expect(await store.get(scratch, 'k')).toBe('v');
      await store.dropTables([scratch]);
      await store.dropTables([scratch]);
      expect(await store.get(scratch, 'k')).toBeUndefined();
      await store.ensureTables([scratch]);
      expect(await store.keys(scratch)).toEqual([]);
      await store.dropTables([scratch]);
    });
  });
}
