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
