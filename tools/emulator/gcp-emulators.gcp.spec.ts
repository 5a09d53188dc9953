import { describe, expect, it } from 'vitest';
import { groupAlive, startGcpEmulator } from './gcp-emulators';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The launcher the gcp project's globalSetup uses: whatever happens, no Java server outlives it. */
describe('the Google emulator launcher', () => {
  it('stops the Java server itself, not only gcloud\'s wrapper', async () => {
    const emulator = await startGcpEmulator('pubsub');
    expect(emulator.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(emulator.javaPid).toBeTypeOf('number');
    expect(alive(emulator.javaPid!)).toBe(true);
    await emulator.stop();
    expect(alive(emulator.javaPid!)).toBe(false);
    await expect(fetch(`http://${emulator.host}/`)).rejects.toThrow();
  });

  it('leaves nothing of its process group running when the emulator does not serve in time', async () => {
    let group: number | undefined;
    // A readiness check that never passes: the timeout path is taken however fast the JVM starts.
    const neverReady = async (): Promise<boolean> => false;
    await expect(startGcpEmulator('firestore', { timeoutMs: 3000, ready: neverReady, onSpawn: (pgid) => (group = pgid) })).rejects.toThrow(
      /The firestore emulator did not serve on 127\.0\.0\.1:\d+ within 3 s/,
    );
    expect(group).toBeTypeOf('number');
    expect(groupAlive(group!)).toBe(false);
  });

  it('names the missing SDK and how to point at one', async () => {
    await expect(startGcpEmulator('firestore', { gcloud: '/nonexistent/gcloud' })).rejects.toThrow(
      'The Google Cloud SDK (/nonexistent/gcloud) is needed for the gcp tests: install it with its firestore and pubsub emulator components and Java 17+, or set CARIBOU_GCLOUD to its path',
    );
  });
});
