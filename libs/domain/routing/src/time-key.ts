import { parseTime } from '@caribou/domain-common';
import type { CurrentDeployment, WorkflowPlacementDecision } from '@caribou/domain-workflow';

export const NO_TIME_KEY = 'N/A';

/**
 * The plan of the hour group a run belongs to: the largest time key not after the
 * current UTC hour. Keys are compared as numbers — the reference compares strings
 * (reference-system §12.2 #1), so at 13:00 with keys 0/6/12/18 it picks "6"; we pick "12".
 */
export function selectTimeKey(timeKeys: readonly string[], utcHour: number): string {
  let best: string | undefined;
  for (const key of timeKeys) {
    const hour = Number(key);
    if (!Number.isInteger(hour) || hour > utcHour) continue;
    if (best === undefined || hour > Number(best)) best = key;
  }
  // The solver always plans hour "0", so this only happens with hand-edited plans.
  return best ?? NO_TIME_KEY;
}

export function isExpired(deployment: CurrentDeployment, nowMs: number): boolean {
  return deployment.expiry_time === null || deployment.expiry_time === undefined || nowMs > parseTime(deployment.expiry_time);
}

/**
 * Decides once per run which plan it follows. Expiry is checked here, at the start of the
 * run, and the answer travels in the time key: an expired or missing plan gives "N/A",
 * so every function of the run uses the home deployment. (The reference checks expiry
 * only at the entry point and lets successors follow the expired plan, §12.2 #2.)
 */
export function timeKeyForRun(wpd: WorkflowPlacementDecision, nowMs: number): string {
  if (wpd.time_key !== undefined) return wpd.time_key;
  const current = wpd.workflow_placement.current_deployment;
  if (!current || isExpired(current, nowMs)) return NO_TIME_KEY;
  return selectTimeKey(current.time_keys, new Date(Math.floor(nowMs)).getUTCHours());
}
