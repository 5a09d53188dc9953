import { CaribouError } from '@caribou/domain-common';
import type { RemoteFramework, Scheduler } from '@caribou/ports';
import type { RemoteFrameworkLedger } from './remote-ledger';
import { describeSchedule } from './schedule-description';
import { TIMER_NAMES, TIMERS, timerDefinition } from './timer-definitions';

/**
 * EventBridge accepts `cron(<6 fields>)` and `rate(<n> <unit>)`; anything else, or a field out
 * of range, is refused before any call. The local provider's scheduler reads the same syntax.
 * The cron parser is loaded only here and by `caribou serve`, not with every command.
 */
export async function checkScheduleExpression(expression: string): Promise<void> {
  const { parseSchedule } = await import('@caribou/domain-common/schedule');
  parseSchedule(expression);
}

export const FRAMEWORK_NOT_DEPLOYED = 'AWS framework is not deployed. Please deploy the framework first.';

/**
 * The timer commands (spec §1.2, §10.4): on AWS timers need the deployed framework; on the
 * local provider (no remote framework: `remote` null) they are rows `caribou serve` runs.
 * A timer that cannot be set up is reported and the others go on.
 */
export class RemoteFrameworkTimers {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly remote: RemoteFramework | null,
    /** Where the remote framework's rules are recorded (AWS); the local provider's timers are rows, not resources. */
    private readonly ledger?: RemoteFrameworkLedger,
  ) {}

  async list(): Promise<Array<{ name: string; expression: string | undefined; description: string }>> {
    return Promise.all(
      TIMERS.map(async (timer) => {
        const expression = await this.scheduler.getTimer(timer.name);
        return { name: timer.name, expression, description: describeSchedule(expression) };
      }),
    );
  }

  /**
   * Creates or updates the timers (all six when `names` is omitted), each with its expression
   * in `schedules` or its default (setup_all_timers -prc 'cron(...)' overrides one and resets the
   * others, as in the reference). Every given expression is checked before the first call, so a
   * bad one changes nothing. Returns false, after reporting it, when the framework is not deployed.
   */
  async setup(
    report: (line: string) => void,
    names: readonly string[] = TIMER_NAMES,
    schedules: Readonly<Record<string, string>> = {},
  ): Promise<{ deployed: boolean; failed: string[] }> {
    const timers = names.map(timerDefinition);
    for (const [name, expression] of Object.entries(schedules)) {
      if (!names.includes(timerDefinition(name).name)) throw new CaribouError(`A schedule for ${name} was given, but ${name} is not among the timers to set up`);
      await checkScheduleExpression(expression);
    }
    if (this.remote && !(await this.remote.isDeployed()).deployed) {
      report(FRAMEWORK_NOT_DEPLOYED);
      return { deployed: false, failed: [] };
    }
    const failed: string[] = [];
    for (const timer of timers) {
      const schedule = schedules[timer.name] ?? timer.schedule;
      try {
        // On the ledger before the rule exists: remove_remote_cli and teardown delete what is listed.
        const created = this.remote && this.ledger ? await this.ledger.record({ kind: 'rule', region: this.remote.region, name: timer.name }, 'setup_timer') : undefined;
        await this.scheduler.putTimer(timer.name, schedule, timer.payload);
        await created?.();
        report(`Successfully created timer rule for ${timer.name}, schedule expression: ${schedule} - ${describeSchedule(schedule)}`);
      } catch (error) {
        failed.push(timer.name);
        report(`Could not create timer rule for ${timer.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { deployed: true, failed };
  }

  /** Records the rules that exist but are not on the ledger (set up before rules were recorded), so removal finds them. */
  async adopt(): Promise<void> {
    if (!this.remote || !this.ledger) return;
    for (const timer of TIMERS) {
      if ((await this.scheduler.getTimer(timer.name)) !== undefined) await (await this.ledger.record({ kind: 'rule', region: this.remote.region, name: timer.name }, 'adopted'))();
    }
  }

  /**
   * Removes the named timers (all six when omitted). With a remote framework ledger, exactly the
   * rules it lists; without one (an install set up before rules were recorded), by name.
   * `reportAbsent: false` leaves out the timers that were not there (teardown lists only what it removed).
   */
  async remove(report: (line: string) => void, names: readonly string[] = TIMER_NAMES, options: { reportAbsent?: boolean } = {}): Promise<void> {
    const reportAbsent = options.reportAbsent ?? true;
    const timers = names.map(timerDefinition);
    const ledger = this.remote ? this.ledger : undefined;
    const listed = await ledger?.entries();
    if (ledger && listed) {
      const wanted = new Set(timers.map((timer) => timer.name));
      for (const timer of timers) {
        if (reportAbsent && !listed.some((entry) => entry.kind === 'rule' && entry.name === timer.name)) report(`Timer ${timer.name} is not configured`);
      }
      await ledger.remove((entry) => entry.kind === 'rule' && wanted.has(entry.name), (rule) => this.scheduler.removeTimer(rule.name), report, 'remove_timer');
      return;
    }
    for (const timer of timers) {
      if ((await this.scheduler.getTimer(timer.name)) === undefined) {
        if (reportAbsent) report(`Timer ${timer.name} is not configured`);
        continue;
      }
      await this.scheduler.removeTimer(timer.name);
      report(`Removed timer ${timer.name}`);
    }
  }
}
