import { readFileSync } from 'node:fs';
import type { LocalDatabase } from './database';

/** A run whose `caribou run` process ended (killed) before the run finished. */
export interface InterruptedRun {
  runId: string;
  /** Simulated time its first message was delivered, epoch ms. */
  startedAtMs: number;
}

interface RunRow extends Record<string, unknown> {
  run_id: string;
  owner: string;
  started_at: number;
}

/** How long a finished run's record is kept (the summary keeps 30 days of runs). */
const KEEP_MS = 30 * 86_400_000;

/**
 * `<pid>:<start time>` of this process. The start time (Linux `/proc/<pid>/stat` field 22)
 * tells a process from a later one that got the same pid.
 */
export function processToken(pid: number = process.pid): string {
  return `${pid}:${processStartTime(pid) ?? ''}`;
}

function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether the process a token names still runs. */
export function processAlive(token: string): boolean {
  const [pidText, startTime] = token.split(':');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return token === processToken();
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = processStartTime(pid);
  return !startTime || now === undefined || now === startTime;
}

/**
 * The durable record of local runs: which runs started (by which process, at what
 * simulated time), which finished and when. It is what lets a log sync that runs while
 * runs are executing, in this or another process, read only what is final, and what lets
 * a later command report the runs a killed process left unfinished.
 */
export class LocalRunJournal {
  constructor(private readonly db: LocalDatabase) {}

  /**
   * Records a run started by this process. Its first delivery is never earlier than what a
   * log sync has already declared settled (a sync may have read up to there while this run
   * was being prepared): returns the delivery time to use.
   */
  started(runId: string, deliverAtMs: number): number {
    return this.db.transaction(() => {
      const settled = Number(this.db.get<{ value: string }>("SELECT value FROM meta WHERE key = 'logs_settled_until'")?.value ?? -Infinity);
      const at = Math.max(deliverAtMs, settled + 1);
      this.db.run(
        "INSERT INTO runs (run_id, owner, started_at, ended_at, status) VALUES (?, ?, ?, NULL, 'running') ON CONFLICT (run_id) DO NOTHING",
        runId,
        processToken(),
        at,
      );
      return at;
    }, { immediate: true });
  }

  /** The run's last invocation ended at simulated `endMs`. */
  finished(runId: string, endMs: number, failed: boolean): void {
    this.db.run("UPDATE runs SET ended_at = ?, status = ? WHERE run_id = ? AND status = 'running'", endMs, failed ? 'failed' : 'succeeded', runId);
  }

  /** Runs of processes that no longer exist become `interrupted`; returns how many did now. */
  recoverInterrupted(): number {
    const running = this.db.all<RunRow>("SELECT run_id, owner, started_at FROM runs WHERE status = 'running'");
    const owners = new Map<string, boolean>();
    const orphans = running.filter((run) => {
      if (!owners.has(run.owner)) owners.set(run.owner, processAlive(run.owner));
      return !owners.get(run.owner);
    });
    if (orphans.length === 0) return 0;
    this.db.transaction(() => {
      // Their logs stop somewhere inside the run: they count as ending where they started.
      for (const run of orphans) this.db.run("UPDATE runs SET status = 'interrupted', ended_at = started_at WHERE run_id = ? AND status = 'running'", run.run_id);
    });
    return orphans.length;
  }

  /**
   * The latest time T (≤ `nowMs` while runs execute) such that every log line stamped before T is written and
   * no run has lines on both sides of T: no unfinished run started before T, and no
   * finished run started before T and ended at or after it. A log sync that reads up to T
   * sees every run whole or not at all. Recorded, so that runs started later begin after it.
   */
  settledUntil(nowMs: number): number {
    this.recoverInterrupted();
    return this.db.transaction(() => {
      const running = this.db.get<{ t: number | null }>("SELECT min(started_at) AS t FROM runs WHERE status = 'running'")?.t;
      // With nothing running every line is written, also those of runs whose simulated time ran
      // past the wall clock (a burst of runs is simulated faster than it takes): settled after the last.
      const lastEnd = this.db.get<{ t: number | null }>("SELECT max(ended_at) AS t FROM runs WHERE status != 'running'")?.t;
      let until = Math.floor(running ?? Math.max(nowMs, lastEnd === null || lastEnd === undefined ? -Infinity : lastEnd + 1));
      for (;;) {
        const straddling = this.db.get<{ t: number | null }>(
          "SELECT min(started_at) AS t FROM runs WHERE status != 'running' AND started_at < ? AND ended_at >= ?",
          until,
          until,
        )?.t;
        if (straddling === null || straddling === undefined) break;
        until = Math.floor(straddling);
      }
      this.db.run(
        `INSERT INTO meta (key, value) VALUES ('logs_settled_until', ?)
         ON CONFLICT (key) DO UPDATE SET value = CASE WHEN CAST(value AS REAL) < CAST(excluded.value AS REAL) THEN excluded.value ELSE value END`,
        String(until),
      );
      return until;
    }, { immediate: true });
  }

  /** Runs still executing (in live processes), for reports. */
  running(): number {
    return this.db.get<{ n: number }>("SELECT count(*) AS n FROM runs WHERE status = 'running'")!.n;
  }

  /** Interrupted runs not yet reported to anyone, oldest first. */
  unreportedInterrupted(): InterruptedRun[] {
    this.recoverInterrupted();
    return this.db
      .all<{ run_id: string; started_at: number }>("SELECT run_id, started_at FROM runs WHERE status = 'interrupted' AND reported = 0 ORDER BY started_at, run_id")
      .map((row) => ({ runId: row.run_id, startedAtMs: row.started_at }));
  }

  /** The runs were reported: later reports leave them out. */
  acknowledge(runIds: readonly string[]): void {
    this.db.transaction(() => {
      for (const runId of runIds) this.db.run("UPDATE runs SET reported = 1 WHERE run_id = ? AND status = 'interrupted'", runId);
    });
  }

  /** Forgets finished runs older than the summaries keep. */
  prune(nowMs: number): void {
    this.db.run("DELETE FROM runs WHERE status != 'running' AND ended_at < ? AND (status != 'interrupted' OR reported = 1)", nowMs - KEEP_MS);
  }
}
