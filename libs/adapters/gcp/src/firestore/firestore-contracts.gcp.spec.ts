import { describeExecutionMarkerContract, describeKeyValueStoreContract, describeSyncStoreContract } from '@caribou/ports/contracts';
import { emulatorClients } from '../testing/emulator';
import { FirestoreExecutionMarkerProvider } from './execution-markers';
import { FirestoreKeyValueStore } from './key-value-store';
import { FirestoreSyncStoreProvider } from './sync-store';

describeKeyValueStoreContract('Firestore (system region database, emulator)', async () => {
  const clients = emulatorClients();
  // Small pages make the pagination path run on tables the contract fills.
  return { store: new FirestoreKeyValueStore(clients, { pageSize: 25 }), cleanup: () => clients.close() };
});

describeSyncStoreContract('Firestore (sync node region database, emulator)', async () => {
  const clients = emulatorClients();
  return { provider: new FirestoreSyncStoreProvider(clients), region: { provider: 'gcp', region: 'northamerica-northeast1' }, cleanup: () => clients.close() };
});

describeExecutionMarkerContract('Firestore (instance region database, emulator)', async () => {
  const clients = emulatorClients();
  return { markers: (clock) => new FirestoreExecutionMarkerProvider(clients, clock), region: { provider: 'gcp', region: 'northamerica-northeast1' }, cleanup: () => clients.close() };
});
