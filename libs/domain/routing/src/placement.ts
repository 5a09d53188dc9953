import { CaribouError } from '@caribou/domain-common';
import type { InstancePlacement, WorkflowPlacementDecision } from '@caribou/domain-workflow';
import { NO_TIME_KEY } from './time-key';

/**
 * Where `instance` runs in this run: the home deployment when the run was sent home
 * (10 % of runs keep home data fresh), when there is no usable plan, or when the plan
 * does not place the instance; otherwise the plan of the run's time key.
 */
export function resolvePlacement(wpd: WorkflowPlacementDecision, instance: string): InstancePlacement {
  const home = wpd.workflow_placement.home_deployment[instance];
  const current = wpd.workflow_placement.current_deployment;
  const timeKey = wpd.time_key ?? NO_TIME_KEY;
  if (!wpd.send_to_home_region && current && timeKey !== NO_TIME_KEY) {
    const planned = current.instances[timeKey]?.[instance];
    if (planned) return planned;
  }
  if (!home) throw new CaribouError(`placement decision has no home deployment for instance ${instance}`);
  return home;
}
