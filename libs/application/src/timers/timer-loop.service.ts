import type { Schedule } from '@caribou/domain-common/schedule';
import type { Clock, SchedulerLock, Sleeper, StoredTimer, TimerStore } from '@caribou/ports';
import { TIMER_NAMES } from '../remote-framework/timer-definitions';
import type { TimerActionOutcome } from './timer-actions';

export interface TimerLoopDeps {
  timers: TimerStore;
  lock: SchedulerLock;
  actions: { run(payload: Record<string, unknown>): Promise<TimerActionOutcome> };
  clock: Clock;
  sleeper: Sleeper;
}

export interface TimerLoopOptions {
  /** How often the timers are read again while none is due, so a `setup_timer` during `serve` is seen (default one minute). */
  pollMs?: number;
  /** A tick run later than this after its instant is reported as a catch-up (default one minute). */
  lateAfterMs?: number;
}

/** One tick of one timer, as run. */
export interface TickOutcome extends TimerActionOutcome {
  timer: string;
  /** The scheduled instant the tick ran for (the latest one when several were missed). */
  tickMs: number;
  ranAtMs: number;
  /** Instants before `tickMs` that were missed (the loop was not running) and not run separately. */
  missedTicks: number;
  catchUp: boolean;
}

export interface ServeRequest {
  /** Aborting ends the loop: a running action completes first, then the lock is released. */
  signal: AbortSignal;
  /** One line per tick outcome, plus the loop's start and problems with a timer. */
  report: (line: string) => void;
  onTick?: (outcome: TickOutcome) => void;
}

const MINUTE = 60_000;
/** Missed ticks counted for the catch-up line, at most (a rate of one minute over a long outage). */
const MISSED_COUNT_LIMIT = 1000;

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const order = (name: string): number => {
  const index = TIMER_NAMES.indexOf(name);
  return index < 0 ? TIMER_NAMES.length : index;
};

/**
 * `caribou serve`: runs the timers set up on this provider at their instants, in the
 * foreground, one loop per framework state (the lock). Each tick runs the timer's action once
 * and then records it, so a tick interrupted by a crash runs again on the next start; ticks
 * missed while nothing was serving are caught up once (the latest of them), not one by one.
 * Time comes from the injected clock and passes through the injected sleeper.
 */
export class TimerLoopService {
  private readonly pollMs: number;
  private readonly lateAfterMs: number;
  /** Expressions already reported as unreadable, per timer (reported once, not every minute). */
  private readonly unreadable = new Map<string, string>();
  private readonly schedules = new Map<string, Schedule>();
  private readonly nextInstants = new Map<string, { key: string; at: number | undefined }>();
  /** The schedule rules, loaded when the loop starts: other commands never load the cron parser. */
  private rules?: typeof import('@caribou/domain-common/schedule');

  constructor(
    private readonly deps: TimerLoopDeps,
    options: TimerLoopOptions = {},
  ) {
    this.pollMs = options.pollMs ?? MINUTE;
    this.lateAfterMs = options.lateAfterMs ?? MINUTE;
  }

  /** Runs until `signal` aborts; returns how many ticks ran. Refuses (CaribouError) when another loop holds the lock. */
  async serve(request: ServeRequest): Promise<{ ticks: number }> {
    this.rules ??= await import('@caribou/domain-common/schedule');
    const lease = await this.deps.lock.acquire();
    let ticks = 0;
    try {
      if (lease.tookOverFrom) request.report(`Took over from a caribou serve that is gone (${lease.tookOverFrom})`);
      let announced = false;
      let saidNoTimers = false;
      while (!request.signal.aborted) {
        const now = this.deps.clock.now();
        const { due, upcoming, configured } = this.plan(await this.deps.timers.list(), now, request.report);
        if (!announced) {
          announced = true;
          const next = upcoming[0];
          request.report(
            `Serving ${configured} timer(s)${due.length > 0 ? `; ${due.length} due now` : ''}${next ? `; next: ${next.name} at ${iso(next.at)}` : ''}`,
          );
        }
        if (configured === 0 && !saidNoTimers) request.report('No timers are set up: run caribou setup_all_timers (timers are read again every minute)');
        saidNoTimers = configured === 0;
        for (const tick of due) {
          if (request.signal.aborted) break;
          const outcome = await this.runTick(tick);
          ticks += 1;
          request.report(describeTick(outcome));
          request.onTick?.(outcome);
        }
        if (due.length > 0) continue; // actions take time: look again before sleeping
        const wake = Math.min(now + this.pollMs, upcoming[0]?.at ?? Infinity);
        await this.deps.sleeper.sleep(Math.max(0, wake - this.deps.clock.now()), request.signal);
      }
    } finally {
      await lease.release();
    }
    return { ticks };
  }

  /** The timers due at `now` (in their instant's order, then the reference's timer order) and the next instant of the others. */
  private plan(
    timers: StoredTimer[],
    now: number,
    report: (line: string) => void,
  ): { due: DueTick[]; upcoming: Array<{ name: string; at: number }>; configured: number } {
    const due: DueTick[] = [];
    const upcoming: Array<{ name: string; at: number }> = [];
    for (const timer of timers) {
      const schedule = this.readSchedule(timer, report);
      if (!schedule) continue;
      const next = this.nextInstant(timer, schedule);
      if (next === undefined) continue; // a cron whose years are over
      if (next <= now) due.push({ timer, schedule, first: next });
      else upcoming.push({ name: timer.name, at: next });
    }
    due.sort((a, b) => a.first - b.first || order(a.timer.name) - order(b.timer.name));
    upcoming.sort((a, b) => a.at - b.at || order(a.name) - order(b.name));
    return { due, upcoming, configured: timers.length };
  }

  /** Computed again only when the timer changes (every pass reads the timers; the cron search is not free). */
  private nextInstant(timer: StoredTimer, schedule: Schedule): number | undefined {
    const key = `${timer.expression}|${timer.anchorMs}|${timer.setUpMs}`;
    const cached = this.nextInstants.get(timer.name);
    if (cached?.key === key) return cached.at;
    const at = this.rules!.nextTick(schedule, timer.anchorMs, timer.setUpMs);
    this.nextInstants.set(timer.name, { key, at });
    return at;
  }

  private readSchedule(timer: StoredTimer, report: (line: string) => void): Schedule | undefined {
    try {
      const schedule = this.schedules.get(timer.expression) ?? this.rules!.parseSchedule(timer.expression);
      this.schedules.set(timer.expression, schedule);
      this.unreadable.delete(timer.name);
      return schedule;
    } catch (error) {
      if (this.unreadable.get(timer.name) !== timer.expression) {
        this.unreadable.set(timer.name, timer.expression);
        report(`${timer.name}: skipped, ${error instanceof Error ? error.message : String(error)}; set it up again with caribou setup_timer ${timer.name} -se '<expression>'`);
      }
      return undefined;
    }
  }

  private async runTick({ timer, schedule, first }: DueTick): Promise<TickOutcome> {
    const { latestTick, nextTick } = this.rules!;
    const now = this.deps.clock.now();
    const tickMs = latestTick(schedule, now, timer.setUpMs) ?? first;
    let missedTicks = 0;
    for (let at: number | undefined = first; at !== undefined && at < tickMs && missedTicks < MISSED_COUNT_LIMIT; at = nextTick(schedule, at, timer.setUpMs)) missedTicks += 1;
    let outcome: TimerActionOutcome;
    try {
      outcome = await this.deps.actions.run(timer.payload);
    } catch (error) {
      outcome = { ok: false, summary: (error instanceof Error ? error.message : String(error)).split('\n')[0]! };
    }
    // Recorded after the action: a crash in between runs the tick again (the actions are idempotent).
    await this.deps.timers.recordTick(timer.name, tickMs);
    return { ...outcome, timer: timer.name, tickMs, ranAtMs: now, missedTicks, catchUp: now - tickMs > this.lateAfterMs || missedTicks > 0 };
  }
}

interface DueTick {
  timer: StoredTimer;
  schedule: Schedule;
  /** The first instant after the timer's anchor: due. */
  first: number;
}

/** `<when> <timer>: ok|failed [catch-up…] — <what it did>`: one line per tick. */
export function describeTick(outcome: TickOutcome): string {
  const missed =
    outcome.missedTicks > 0 ? `, ${outcome.missedTicks >= MISSED_COUNT_LIMIT ? `${MISSED_COUNT_LIMIT}+` : outcome.missedTicks} earlier missed tick(s) not run` : '';
  const catchUp = outcome.catchUp ? ` (catch-up of the tick due ${iso(outcome.tickMs)}${missed})` : '';
  return `${iso(outcome.ranAtMs)} ${outcome.timer}: ${outcome.ok ? 'ok' : 'failed'}${catchUp} — ${outcome.summary}`;
}
