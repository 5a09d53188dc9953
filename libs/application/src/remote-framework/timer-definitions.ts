import { CaribouError } from '@caribou/domain-common';

export interface TimerDefinition {
  name: string;
  /** Default EventBridge schedule (UTC). */
  schedule: string;
  /** The event the timer sends to `caribou_cli`. */
  payload: Record<string, unknown>;
}

/**
 * The reference's six timers, in its order, with their default schedules and payloads (spec §1.2).
 * Pure data and checks: the CLI reads the names at start-up for its argument options.
 */
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
