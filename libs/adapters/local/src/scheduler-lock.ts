import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { CaribouError } from '@caribou/domain-common';
import type { SchedulerLock } from '@caribou/ports';
import type { LocalDatabase } from './database';

const LOCK_KEY = 'scheduler_lock';

/** Who holds the lock: a process of a host, told apart from a later process with the same pid by its start time. */
interface Holder {
  pid: number;
  host: string;
  /** Linux: the process's start time in clock ticks since boot (`/proc/<pid>/stat`); null elsewhere. */
  processStart: string | null;
  since: number;
}

/**
 * One `caribou serve` per CARIBOU_HOME: the holder is a row of `meta`, taken in a write
 * transaction (of two serves starting together, one wins). A holder whose process is gone
 * (killed, machine restarted) is taken over; one on another host is never second-guessed.
 */
export class LocalSchedulerLock implements SchedulerLock {
  constructor(
    private readonly db: LocalDatabase,
    /** CARIBOU_HOME, for the message. */
    private readonly home: string,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async acquire(): Promise<{ tookOverFrom?: string; release(): Promise<void> }> {
    const me: Holder = { pid: process.pid, host: hostname(), processStart: processStart(process.pid), since: this.now() };
    const value = JSON.stringify(me);
    const previous = this.db.transaction(
      () => {
        const row = this.db.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', LOCK_KEY);
        const holder = row ? parseHolder(row.value) : undefined;
        if (holder && isRunning(holder)) {
          throw new CaribouError(
            `Another caribou serve (pid ${holder.pid} on ${holder.host}, since ${isoSeconds(holder.since)}) runs the timers of CARIBOU_HOME=${this.home}: stop it first (kill ${holder.pid}) or point CARIBOU_HOME at another directory`,
          );
        }
        this.db.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', LOCK_KEY, value);
        return holder;
      },
      { immediate: true },
    );
    return {
      ...(previous ? { tookOverFrom: `pid ${previous.pid} on ${previous.host}, since ${isoSeconds(previous.since)}` } : {}),
      release: async () => {
        this.db.run('DELETE FROM meta WHERE key = ? AND value = ?', LOCK_KEY, value);
      },
    };
  }
}

function parseHolder(text: string): Holder | undefined {
  try {
    const value = JSON.parse(text) as Partial<Holder>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return undefined;
    return { pid: value.pid, host: value.host, processStart: typeof value.processStart === 'string' ? value.processStart : null, since: Number(value.since) || 0 };
  } catch {
    return undefined; // a damaged row holds nothing
  }
}

function isRunning(holder: Holder): boolean {
  // A process of another machine sharing this home cannot be checked from here.
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // The pid may have been reused by a later process since the holder died.
  const start = processStart(holder.pid);
  return holder.processStart === null || start === null || start === holder.processStart;
}

/** Field 22 of /proc/<pid>/stat (after the parenthesised command name, which may contain spaces). */
function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
