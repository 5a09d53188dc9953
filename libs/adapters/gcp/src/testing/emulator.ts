import { inject } from 'vitest';
import { GcpClients, type GcpAdapterConfig } from '../config';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `127.0.0.1:<port>` of the Firestore emulator the gcp project's globalSetup started. */
    firestoreEmulatorHost: string;
    /** `127.0.0.1:<port>` of the Pub/Sub emulator. */
    pubsubEmulatorHost: string;
  }
}

/** Test support: the configuration that points the adapter at the gcp project's emulators. */
export function emulatorConfig(overrides: GcpAdapterConfig = {}): GcpAdapterConfig {
  return {
    firestoreEmulatorHost: inject('firestoreEmulatorHost'),
    pubsubEmulatorHost: inject('pubsubEmulatorHost'),
    ...overrides,
  };
}

export function emulatorClients(overrides: GcpAdapterConfig = {}): GcpClients {
  return new GcpClients(emulatorConfig(overrides));
}

/** The variables a process (a function server) needs to use the same emulators. */
export function emulatorEnvironment(): Record<string, string> {
  return {
    FIRESTORE_EMULATOR_HOST: inject('firestoreEmulatorHost'),
    PUBSUB_EMULATOR_HOST: inject('pubsubEmulatorHost'),
    // No metadata server on loopback: do not let google-auth probe for one.
    METADATA_SERVER_DETECTION: 'none',
  };
}

/** Unique, valid resource-name suffix for one test file run. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}
