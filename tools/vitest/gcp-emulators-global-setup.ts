import type { TestProject } from 'vitest/node';
import { startGcpEmulators } from '../emulator/gcp-emulators';

let emulators: Awaited<ReturnType<typeof startGcpEmulators>> | undefined;

/**
 * Starts Google's Firestore and Pub/Sub emulators once for the gcp project, on free
 * loopback ports, and shares their hosts. Teardown stops both process groups (the Java
 * servers included); a failed start leaves nothing running either.
 */
export async function setup(project: TestProject): Promise<void> {
  emulators = await startGcpEmulators();
  project.provide('firestoreEmulatorHost', emulators.firestore.host);
  project.provide('pubsubEmulatorHost', emulators.pubsub.host);
}

export async function teardown(): Promise<void> {
  await emulators?.stop();
  emulators = undefined;
}
