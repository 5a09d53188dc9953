import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from './free-port';

export type GcpEmulatorKind = 'firestore' | 'pubsub';

export interface RunningGcpEmulator {
  kind: GcpEmulatorKind;
  /** `127.0.0.1:<port>`, the form FIRESTORE_EMULATOR_HOST / PUBSUB_EMULATOR_HOST take. */
  host: string;
  /** The Java server's process id (gcloud execs a shell that execs or forks Java). */
  javaPid: number | undefined;
  stop(): Promise<void>;
}

/** The gcloud command line of each emulator (TOOLCHAIN.md: Pub/Sub is on the beta track). */
const COMMANDS: Record<GcpEmulatorKind, string[]> = {
  firestore: ['emulators', 'firestore', 'start'],
  pubsub: ['beta', 'emulators', 'pubsub', 'start'],
};

/** Readiness: Firestore answers `Ok` on `/`; Pub/Sub says so in its log (it has no health route). */
const READY: Record<GcpEmulatorKind, (host: string, log: string) => Promise<boolean>> = {
  firestore: async (host) => {
    try {
      const response = await fetch(`http://${host}/`);
      return response.ok && (await response.text()).trim() === 'Ok';
    } catch {
      return false;
    }
  },
  pubsub: async (host, log) => log.includes(`Server started, listening on ${host.split(':')[1]}`),
};

export interface StartGcpEmulatorOptions {
  /** How long to wait for readiness; the JVMs take 20–40 s on a loaded 2-core machine. */
  timeoutMs?: number;
  gcloud?: string;
  /** Told the process group of the started emulator (gcloud, its launcher and Java), e.g. to check it is gone. */
  onSpawn?: (processGroup: number) => void;
  /** Readiness check in place of the emulator's own (tests pass one that never succeeds to exercise the timeout). */
  ready?: (host: string, log: string) => Promise<boolean>;
}

/** True while any process of the group is alive (signal 0 only checks). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Processes in a process group, read from /proc (Linux); empty elsewhere. */
function processesOfGroup(pgid: number): Array<{ pid: number; command: string }> {
  const found: Array<{ pid: number; command: string }> = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return found;
  }
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command: state ppid pgrp ...
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(after[2]) !== pgid) continue;
      found.push({ pid: Number(entry), command: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ') });
    } catch {
      /* the process ended while we looked */
    }
  }
  return found;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stops every process of the emulator's group: gcloud's Python wrapper, the launcher script
 * and the Java server. Killing only the wrapper leaves Java running (TOOLCHAIN.md), so the
 * whole group is signalled and we wait until none of it is left.
 */
async function stopGroup(pgid: number, graceMs = 10_000): Promise<void> {
  if (!groupAlive(pgid)) return;
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(100);
  if (groupAlive(pgid)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* gone in between */
    }
    while (groupAlive(pgid)) await sleep(50);
  }
}

/** Synchronous last resort for a test runner that exits without calling teardown. */
const groupsToKillOnExit = new Set<number>();
let exitHookInstalled = false;
function killOnExit(pgid: number): void {
  groupsToKillOnExit.add(pgid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const group of groupsToKillOnExit) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
}

function checkGcloud(gcloud: string): void {
  const probe = spawnSync(gcloud, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `The Google Cloud SDK (${gcloud}) is needed for the gcp tests: install it with its firestore and pubsub emulator components and Java 17+, or set CARIBOU_GCLOUD to its path`,
    );
  }
}

/**
 * Starts one Google emulator on a free loopback port in its own process group and waits
 * until it serves. Whatever happens (timeout, early exit), nothing is left running.
 */
export async function startGcpEmulator(kind: GcpEmulatorKind, options: StartGcpEmulatorOptions = {}): Promise<RunningGcpEmulator> {
  const gcloud = options.gcloud ?? process.env.CARIBOU_GCLOUD ?? 'gcloud';
  const port = await freeLoopbackPort();
  const host = `127.0.0.1:${port}`;
  const logDir = mkdtempSync(join(tmpdir(), `caribou-${kind}-emulator-`));
  const logPath = join(logDir, 'emulator.log');
  const logFd = openSync(logPath, 'w');
  const child = spawn(gcloud, [...COMMANDS[kind], `--host-port=${host}`], {
    // Its own process group, so the group can be stopped as one (see stopGroup).
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: { ...process.env, CLOUDSDK_CORE_DISABLE_PROMPTS: '1' },
  });
  closeSync(logFd);
  const pgid = child.pid;
  let spawnError: Error | undefined;
  child.on('error', (error) => (spawnError = error));
  if (pgid !== undefined) {
    killOnExit(pgid);
    options.onSpawn?.(pgid);
  }
  const readLog = (): string => {
    try {
      return readFileSync(logPath, 'utf8');
    } catch {
      return '';
    }
  };
  const cleanUp = async (): Promise<void> => {
    if (pgid !== undefined) {
      await stopGroup(pgid);
      groupsToKillOnExit.delete(pgid);
    }
    rmSync(logDir, { recursive: true, force: true });
  };
  const timeoutMs = options.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (spawnError) {
        checkGcloud(gcloud);
        throw spawnError;
      }
      if (child.exitCode !== null) {
        checkGcloud(gcloud);
        throw new Error(`The ${kind} emulator exited with code ${child.exitCode} before it served on ${host}:\n${readLog().slice(-3000)}`);
      }
      if (await (options.ready ?? READY[kind])(host, readLog())) break;
      if (Date.now() > deadline) throw new Error(`The ${kind} emulator did not serve on ${host} within ${timeoutMs / 1000} s:\n${readLog().slice(-3000)}`);
      await sleep(250);
    }
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const java = pgid === undefined ? undefined : processesOfGroup(pgid).find((process) => /(^|\/)java\s/.test(process.command));
  let stopped: Promise<void> | undefined;
  return {
    kind,
    host,
    javaPid: java?.pid,
    stop: () => (stopped ??= cleanUp()),
  };
}

/** Both emulators, started side by side; if one fails the other is stopped too. */
export async function startGcpEmulators(options: StartGcpEmulatorOptions = {}): Promise<{ firestore: RunningGcpEmulator; pubsub: RunningGcpEmulator; stop(): Promise<void> }> {
  const [firestore, pubsub] = await Promise.allSettled([startGcpEmulator('firestore', options), startGcpEmulator('pubsub', options)]);
  if (firestore.status === 'rejected' || pubsub.status === 'rejected') {
    await Promise.all([firestore, pubsub].map((started) => (started.status === 'fulfilled' ? started.value.stop() : undefined)));
    throw (firestore.status === 'rejected' ? firestore.reason : (pubsub as PromiseRejectedResult).reason) as Error;
  }
  return {
    firestore: firestore.value,
    pubsub: pubsub.value,
    stop: async () => {
      await Promise.all([firestore.value.stop(), pubsub.value.stop()]);
    },
  };
}
