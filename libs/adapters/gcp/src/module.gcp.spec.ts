import { Timestamp } from '@google-cloud/firestore';
import { Container, ContainerModule } from 'inversify';
import { SyncTables } from '@caribou/domain-common';
import { TOKENS } from '@caribou/ports';
import { afterAll, describe, expect, it } from 'vitest';
import { FirestoreKeyValueStore } from './firestore/key-value-store';
import { FirestoreSyncStoreProvider } from './firestore/sync-store';
import { GCP_TOKENS, gcpModule } from './module';
import { PubSubFunctionInvoker } from './pubsub/function-invoker';
import { PubSubFunctionTopics } from './pubsub/function-topics';
import { emulatorEnvironment, uniqueSuffix } from './testing/emulator';

describe('the gcp ContainerModule (emulators)', () => {
  const nowMs = 1_760_000_000_000;
  const container = new Container();
  container.load(
    new ContainerModule(({ bind }) => {
      bind(TOKENS.Clock).toConstantValue({ now: () => nowMs });
    }),
    gcpModule({ env: { ...emulatorEnvironment(), CARIBOU_SYSTEM_REGION: 'europe-west1' } }),
  );
  afterAll(() => container.get(GCP_TOKENS.Clients).close());

  it('binds the data plane ports to the Firestore and Pub/Sub adapters on one set of clients', () => {
    expect(container.get(TOKENS.KeyValueStore)).toBeInstanceOf(FirestoreKeyValueStore);
    expect(container.get(TOKENS.SyncStoreProvider)).toBeInstanceOf(FirestoreSyncStoreProvider);
    expect(container.get(TOKENS.FunctionInvoker)).toBeInstanceOf(PubSubFunctionInvoker);
    expect(container.get(GCP_TOKENS.FunctionTopics)).toBeInstanceOf(PubSubFunctionTopics);
    expect(container.get(TOKENS.KeyValueStore)).toBe(container.get(TOKENS.KeyValueStore));
    const clients = container.get(GCP_TOKENS.Clients);
    expect([clients.projectId, clients.systemRegion, clients.databaseId()]).toEqual(['demo-caribou', 'europe-west1', 'caribou-europe-west1']);
  });

  it('gives working adapters: the store in the system region database, fan-in state stamped by the container\'s clock', async () => {
    const table = `module_${uniqueSuffix()}`;
    const store = container.get(TOKENS.KeyValueStore);
    await store.put(table, 'k', 'v');
    const clients = container.get(GCP_TOKENS.Clients);
    expect((await clients.firestore('europe-west1').collection(table).doc('k').get()).get('value')).toBe('v');
    await store.dropTables([table]);
    const region = { provider: 'gcp', region: 'europe-west1' };
    const run = `run${uniqueSuffix()}`;
    await container.get(TOKENS.SyncStoreProvider).forRegion(region).markPredecessorReached({ predecessor: 'p', syncInstance: 's:sync:', runId: run, directCall: true });
    const counter = await clients.firestore('europe-west1').collection(SyncTables.predecessorCounter).doc(run).get();
    expect(counter.get('cb_ttl_expiration_time')).toEqual(Timestamp.fromMillis(nowMs + 86_400_000));
  });
});
