import { Timestamp } from '@google-cloud/firestore';
import { SyncTables } from '@caribou/domain-common';
import { afterAll, describe, expect, it } from 'vitest';
import { emulatorClients, uniqueSuffix } from '../testing/emulator';
import { FirestoreKeyValueStore } from './key-value-store';
import { FirestoreSyncStoreProvider } from './sync-store';

describe('FirestoreKeyValueStore documents', () => {
  const clients = emulatorClients({ systemRegion: 'us-west1' });
  const store = new FirestoreKeyValueStore(clients);
  const table = `kv_layout_${uniqueSuffix()}`;
  const raw = async (id: string) => (await clients.firestore('us-west1').collection(table).doc(id).get()).data();

  afterAll(async () => {
    await store.dropTables([table]);
    await clients.close();
  });

  it('keeps text as a string, compressed values as bytes and timestamps in a map, in the system region database', async () => {
    expect(clients.databaseId()).toBe('caribou-us-west1');
    await store.put(table, 'plain', '{"a":1}');
    await store.put(table, 'packed', 'x'.repeat(10_000), { compress: true });
    await store.setNumericAttributes(table, 'plain', { provider_collector: 1706909825.0010574 });
    expect(await raw('plain')).toEqual({ key: 'plain', value: '{"a":1}', has_value: true, numbers: { provider_collector: 1706909825.0010574 } });
    const packed = await raw('packed');
    expect(Buffer.isBuffer(packed?.value)).toBe(true);
    expect((packed!.value as Buffer).byteLength).toBeLessThan(100);
  });

  it('escapes keys Firestore cannot use as ids, and keeps them apart', async () => {
    const keys = ['a/b', 'a%2Fb', '..', '__name__', 'aws:eu-south-1'];
    for (const [index, key] of keys.entries()) await store.put(table, key, `v${index}`);
    for (const [index, key] of keys.entries()) expect(await store.get(table, key)).toBe(`v${index}`);
    expect(await raw('a%2Fb')).toMatchObject({ key: 'a/b' });
    expect(await raw('a%252Fb')).toMatchObject({ key: 'a%2Fb' });
    expect(await raw('%..')).toMatchObject({ key: '..' });
    await expect(store.put(table, '', 'v')).rejects.toThrow('an empty key cannot name a Firestore document');
  });

  it('hides documents that only carry numeric attributes, as the other stores do', async () => {
    await store.setNumericAttributes(table, 'only-numbers', { carbon_collector: 5 });
    expect(await store.has(table, 'only-numbers')).toBe(false);
    expect(await store.get(table, 'only-numbers')).toBeUndefined();
    expect(await store.keys(table)).not.toContain('only-numbers');
    expect(await store.putIfAbsent(table, 'only-numbers', 'now a value')).toBe(true);
    expect(await store.getNumericAttributes(table, 'only-numbers')).toEqual({ carbon_collector: 5 });
  });

  it('refuses a table name that cannot be a collection, naming it', async () => {
    await expect(store.get('bad/table', 'k')).rejects.toThrow('Table name "bad/table" cannot be a Firestore collection id');
  });
});

describe('FirestoreSyncStoreProvider documents', () => {
  const region = { provider: 'gcp', region: 'europe-north1' };
  const clients = emulatorClients();
  const nowMs = 1_760_000_000_000;
  const provider = new FirestoreSyncStoreProvider(clients, { now: () => nowMs });
  const db = clients.firestore(region.region);
  const run = `run${uniqueSuffix()}`;

  afterAll(async () => {
    await provider.removeSyncTables(region);
    await clients.close();
  });

  it('writes payloads per message id with a 24 h TTL timestamp, flags per predecessor and the claim, in the region database', async () => {
    expect(clients.databaseId(region.region)).toBe('caribou-europe-north1');
    const store = provider.forRegion(region);
    await store.uploadPredecessorData('wf-0_0_1-join:sync:', run, 'msg-a', '{"same":1}');
    await store.uploadPredecessorData('wf-0_0_1-join:sync:', run, 'msg-b', '{"same":1}');
    await store.markPredecessorReached({ predecessor: 'wf-0_0_1-a:entry_point:0', syncInstance: 'wf-0_0_1-join:sync:', runId: run, directCall: true });
    expect(await store.claimInvocation('wf-0_0_1-join:sync:', run, 'p1#0')).toBe(true);
    const expiry = Timestamp.fromMillis(nowMs + 86_400_000);
    const messages = (await db.collection(SyncTables.messages).doc(`wf-0_0_1-join:sync::${run}`).get()).data();
    expect(messages).toEqual({
      message: { 'msg-a': '{"same":1}', 'msg-b': '{"same":1}' },
      message_order: ['msg-a', 'msg-b'],
      cb_ttl_expiration_time: expiry,
    });
    const counter = (await db.collection(SyncTables.predecessorCounter).doc(run).get()).data();
    expect(counter).toEqual({
      predecessors: { 'wf-0_0_1-join:sync:': { 'wf-0_0_1-a:entry_point:0': true } },
      invoked: { 'wf-0_0_1-join:sync:': 'p1#0' },
      cb_ttl_expiration_time: expiry,
    });
    // Another region's database holds none of it.
    const elsewhere = await clients.firestore('us-west1').collection(SyncTables.predecessorCounter).doc(run).get();
    expect(elsewhere.exists).toBe(false);
  });

  it('removes the region\'s fan-in documents', async () => {
    const other = { provider: 'gcp', region: 'asia-east1' };
    await provider.forRegion(other).markPredecessorReached({ predecessor: 'p', syncInstance: 's:sync:', runId: run, directCall: true });
    await provider.removeSyncTables(other);
    expect((await clients.firestore(other.region).collection(SyncTables.predecessorCounter).doc(run).get()).exists).toBe(false);
    expect((await db.collection(SyncTables.predecessorCounter).doc(run).get()).exists).toBe(true);
  });
});
