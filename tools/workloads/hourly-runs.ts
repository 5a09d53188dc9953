/**
 * One run of a deployed workflow per hour of a day, each started at hh:30 UTC so that it follows
 * time key hh, and the executions that did not run where that hour's staged placement says. Shared
 * by the 100-function acceptance tests (a hand-made day plan, and one manage_deployments solved).
 */
import { RunWorkflowService } from '@caribou/application';
import { regionKey } from '@caribou/domain-common';
import type { StagedPlan } from '@caribou/domain-workflow';
import type { FunctionInvoker, KeyValueStore, RunTracker, TrackedExecution } from '@caribou/ports';

export interface HourlyRun {
  hour: number;
  timeKey: string;
  failed: boolean;
  executions: TrackedExecution[];
  /** Executions whose region differs from the hour's placement of their instance. */
  misplaced: TrackedExecution[];
}

export async function runOncePerHour(options: {
  store: KeyValueStore;
  invoker: FunctionInvoker;
  tracker: RunTracker;
  workflowId: string;
  argument: string;
  staged: StagedPlan;
}): Promise<HourlyRun[]> {
  const { store, invoker, tracker, workflowId, argument, staged } = options;
  const hours = Array.from({ length: 24 }, (_, hour) => hour);
  // All 24 runs at once: the engine executes different runs in parallel.
  const started = await Promise.all(
    hours.map((hour) =>
      new RunWorkflowService({
        store,
        invoker,
        clock: { now: () => Date.UTC(2026, 11, 7, hour, 30) },
        // 0.99 ≥ 0.1 keeps every run off the home-region sample.
        random: { random: () => 0.99, uuid: () => crypto.randomUUID().replace(/-/g, '') },
      }).run(workflowId, argument),
    ),
  );
  const results = await Promise.all(started.map((run) => tracker.waitForRun(run.runId)));
  return hours.map((hour) => {
    const { failed, executions } = results[hour]!;
    const placement = staged.time_keys_to_staging_area_data[String(hour)] ?? {};
    const misplaced = executions.filter((e) => {
      const planned = placement[e.instance_name];
      return !planned || e.region !== regionKey(planned.provider_region);
    });
    return { hour, timeKey: started[hour]!.timeKey, failed, executions, misplaced };
  });
}
