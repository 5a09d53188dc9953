import { CaribouError } from '@caribou/domain-common';
import type { RemoteFramework, Scheduler } from '@caribou/ports';

export interface TimerDefinition {
  name: string;
  /** Default EventBridge schedule (UTC). */
  schedule: string;
  /** The event the timer sends to `caribou_cli`. */
  payload: Record<string, unknown>;
}

/** The reference's six timers, in its order, with their default schedules and payloads (spec §1.2). */
export const TIMERS: readonly TimerDefinition[] = [
  { name: 'provider_collector', schedule: 'cron(5 0 1 * ? *)', payload: { action: 'data_collect', collector: 'provider' } },
  { name: 'carbon_collector', schedule: 'cron(30 0 * * ? *)', payload: { action: 'data_collect', collector: 'carbon' } },
  { name: 'performance_collector', schedule: 'cron(30 0 * * ? *)', payload: { action: 'data_collect', collector: 'performance' } },
  { name: 'log_syncer', schedule: 'cron(5 0 * * ? *)', payload: { action: 'log_sync' } },
  { name: 'deployment_manager', schedule: 'cron(0 1 * * ? *)', payload: { action: 'manage_deployments', deployment_metrics_calculator_type: 'simple' } },
  { name: 'deployment_migrator', schedule: 'cron(0 2 * * ? *)', payload: { action: 'run_deployment_migrator' } },
];

export const TIMER_NAMES = TIMERS.map((timer) => timer.name);

export function timerDefinition(name: string): TimerDefinition {
  const timer = TIMERS.find((t) => t.name === name);
  if (!timer) throw new CaribouError(`Unknown timer ${name}; choose one of ${TIMER_NAMES.join(', ')}`);
  return timer;
}

/** EventBridge accepts `cron(<6 fields>)` and `rate(<n> <unit>)`; anything else is refused before any call. */
export function checkScheduleExpression(expression: string): void {
  const cron = /^cron\((.*)\)$/.exec(expression.trim());
  if (cron) {
    if (cron[1]!.trim().split(/\s+/).length !== 6) {
      throw new CaribouError(`Schedule expression ${expression} must have six fields: cron(minutes hours day-of-month month day-of-week year)`);
    }
    return;
  }
  if (/^rate\(\s*\d+\s+(minute|minutes|hour|hours|day|days)\s*\)$/.test(expression.trim())) return;
  throw new CaribouError(`Schedule expression ${expression} is neither cron(...) nor rate(<n> <minutes|hours|days>), e.g. cron(0 1 * * ? *) or rate(1 day)`);
}

const pad = (value: string): string => value.padStart(2, '0');
const isNumber = (field: string): boolean => /^\d+$/.test(field);

/** Plain-English reading of the common AWS cron forms; other forms are shown as written. */
function describeCron(fields: string[]): string | undefined {
  const [minute, hour, dayOfMonth, month, dayOfWeek, year] = fields as [string, string, string, string, string, string];
  let time: string;
  if (isNumber(minute) && isNumber(hour)) time = `At ${pad(hour)}:${pad(minute)} UTC`;
  else if (isNumber(minute) && hour === '*') time = `At minute ${minute} of every hour`;
  else if (/^(\*|0)\/\d+$/.test(minute) && hour === '*') time = `Every ${minute.split('/')[1]} minutes`;
  else return undefined;
  let days: string;
  if (isNumber(dayOfMonth) && (dayOfWeek === '?' || dayOfWeek === '*')) days = `on day ${dayOfMonth} of the month`;
  else if ((dayOfMonth === '*' || dayOfMonth === '?') && (dayOfWeek === '?' || dayOfWeek === '*')) days = 'every day';
  else if (dayOfMonth === '?' && /^[A-Z0-9,-]+$/i.test(dayOfWeek)) days = `on ${dayOfWeek}`;
  else return undefined;
  const months = month === '*' ? '' : `, in month ${month}`;
  const years = year === '*' ? '' : `, in ${year}`;
  return `${time}, ${days}${months}${years}`;
}

/** How list_timers shows a timer (spec §1.2): a description plus the expression, or `Not Configured`. */
export function describeSchedule(expression: string | undefined): string {
  if (!expression) return 'Not Configured';
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) {
    const text = describeCron(cron[1]!.trim().split(/\s+/));
    return text ? `${text} (Cron Expression: ${expression})` : expression;
  }
  const rate = /^rate\((.*)\)$/.exec(expression);
  if (rate) return `Every ${rate[1]!.trim()} (Rate Expression: ${expression})`;
  return expression;
}

export const FRAMEWORK_NOT_DEPLOYED = 'AWS framework is not deployed. Please deploy the framework first.';

/**
 * The timer commands (spec §1.2, §10.4): timers need the deployed framework; a timer that
 * cannot be set up is reported and the others go on.
 */
export class RemoteFrameworkTimers {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly remote: RemoteFramework,
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
   * Creates or updates the timers (all six when `names` is omitted), each with `expression`
   * or its default. Returns false, after reporting it, when the framework is not deployed.
   */
  async setup(report: (line: string) => void, names: readonly string[] = TIMER_NAMES, expression?: string): Promise<{ deployed: boolean; failed: string[] }> {
    const timers = names.map(timerDefinition);
    if (expression !== undefined) checkScheduleExpression(expression);
    if (!(await this.remote.isDeployed()).deployed) {
      report(FRAMEWORK_NOT_DEPLOYED);
      return { deployed: false, failed: [] };
    }
    const failed: string[] = [];
    for (const timer of timers) {
      const schedule = expression ?? timer.schedule;
      try {
        await this.scheduler.putTimer(timer.name, schedule, timer.payload);
        report(`Successfully created timer rule for ${timer.name}, schedule expression: ${schedule} - ${describeSchedule(schedule)}`);
      } catch (error) {
        failed.push(timer.name);
        report(`Could not create timer rule for ${timer.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { deployed: true, failed };
  }

  async remove(report: (line: string) => void, names: readonly string[] = TIMER_NAMES): Promise<void> {
    const timers = names.map(timerDefinition);
    for (const timer of timers) {
      if ((await this.scheduler.getTimer(timer.name)) === undefined) {
        report(`Timer ${timer.name} is not configured`);
        continue;
      }
      await this.scheduler.removeTimer(timer.name);
      report(`Removed timer ${timer.name}`);
    }
  }
}

/** The CLI commands `-r/--remote` runs on the framework, and the timer each one stands for (spec §1.3). */
const REMOTE_COMMANDS: Record<string, { payload: Record<string, unknown>; needsWorkflow?: boolean }> = {
  data_collect: { payload: { action: 'data_collect' } },
  log_sync: { payload: timerDefinition('log_syncer').payload },
  manage_deployments: { payload: timerDefinition('deployment_manager').payload },
  run_deployment_migrator: { payload: timerDefinition('deployment_migrator').payload },
  remove: { payload: { action: 'remove' }, needsWorkflow: true },
};

export const REMOTE_COMMAND_NAMES = Object.keys(REMOTE_COMMANDS);

/**
 * The event `caribou <command> -r` sends to `caribou_cli`: the command's base payload, the
 * command's own keys (`collector`, `workflow_id`). Unknown commands and missing workflow ids
 * are refused with the reference's messages.
 */
export function remoteCommandPayload(command: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const known = REMOTE_COMMANDS[command];
  if (!known) throw new CaribouError(`Invalid or no directly translation action type: ${command}; -r works with ${REMOTE_COMMAND_NAMES.join(', ')}`);
  const defined = Object.fromEntries(Object.entries(extra).filter(([, value]) => value !== undefined && value !== null && value !== ''));
  const needsWorkflow = known.needsWorkflow || (command === 'data_collect' && defined.collector === 'workflow');
  if (needsWorkflow && typeof defined.workflow_id !== 'string') throw new CaribouError('Workflow ID must be provided for this command.');
  return { ...known.payload, ...defined };
}
