import { describeKeyValueStoreContract } from '@caribou/ports/contracts';
import { InMemoryKeyValueStore } from './in-memory-key-value-store';

// The test double must behave like the real stores, or use-case tests would prove nothing.
describeKeyValueStoreContract('InMemoryKeyValueStore (test double)', async () => ({ store: new InMemoryKeyValueStore(), cleanup: async () => {} }));
