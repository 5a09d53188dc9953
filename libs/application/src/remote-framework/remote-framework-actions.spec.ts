import { Tables } from '@caribou/domain-common';
import type { RemoteFramework } from '@caribou/ports';
import { describe, expect, it } from 'vitest';
import type { DataCollectService } from '../data-collect/index';
import { LogSyncService } from '../log-sync/index';
import { FixedClock } from '../log-sync/testing/fixed-clock';
import { RecordedLogSource } from '../log-sync/testing/recorded-log-source';
import { linearWorkflow } from '../log-sync/testing/scenario';
import type { ManageDeploymentsService } from '../manage-deployments/index';
import type { MigrateDeploymentsService } from '../migrate/index';
import type { RunWorkflowService } from '../run/index';
import { InMemoryKeyValueStore } from '../testing/in-memory-key-value-store';
import type { ListWorkflowsService, RemoveWorkflowService } from '../workflows/index';
import { RemoteFrameworkActions } from './remote-framework-actions';

const RUN1_START = Date.UTC(2024, 7, 2, 16, 43, 12, 300);
const NOW = Date.UTC(2024, 7, 2, 17, 15, 0);
const unused = <T>(): T => ({}) as T;

/**
 * sync_workflow inside the remote framework: each log read takes 10 s of the injected clock, so
 * a first sync (30 days of two functions: 60 reads, 600 s) does not fit a 100 s budget.
 */
function setup(timeBudgetSeconds?: number) {
  const store = new InMemoryKeyValueStore();
  const clock = new FixedClock(NOW);
  const logs = new RecordedLogSource();
  const read = logs.getLogsBetween.bind(logs);
  logs.getLogsBetween = async (...args) => {
    clock.nowMs += 10_000;
    return read(...args);
  };
  const invoked: Array<Record<string, unknown>> = [];
  const remote = { invoke: async (payload: Record<string, unknown>) => void invoked.push(payload) } as unknown as RemoteFramework;
  const actions = new RemoteFrameworkActions({
    store,
    remote,
    progress: { step: (_title, work) => work(() => undefined), info: () => undefined, warn: () => undefined },
    run: unused<RunWorkflowService>(),
    list: unused<ListWorkflowsService>(),
    dataCollect: unused<DataCollectService>(),
    logSync: new LogSyncService({ store, logs, clock }),
    manageDeployments: unused<ManageDeploymentsService>(),
    remove: unused<RemoveWorkflowService>(),
    migrate: unused<MigrateDeploymentsService>(),
    clock,
    ...(timeBudgetSeconds !== undefined && { timeBudgetSeconds }),
  });
  return { store, logs, clock, invoked, actions };
}

/** Runs sync_workflow and then every continuation it hands on, as Lambda would; returns the continuations' max_intervals. */
async function syncWithContinuations(context: ReturnType<typeof setup>, workflowId: string): Promise<number[]> {
  const continued: number[] = [];
  await context.actions.syncWorkflow(workflowId);
  while (context.invoked.length > 0) {
    const next = context.invoked.shift() as { type: string; event: { workflow_id: string; max_intervals: number } };
    expect(next).toMatchObject({ action: 'internal_action', type: 'sync_workflow', event: { workflow_id: workflowId } });
    continued.push(next.event.max_intervals);
    await context.actions.syncWorkflow(workflowId, next.event.max_intervals);
  }
  return continued;
}

describe('RemoteFrameworkActions.syncWorkflow within the time budget', () => {
  it('without a budget syncs the 30 days in one invocation and hands nothing on', async () => {
    const context = setup();
    await linearWorkflow(context.store, context.logs, 'wf', [{ runId: 'run1', startMs: RUN1_START }]);
    expect(await syncWithContinuations(context, 'wf')).toEqual([]);
    expect(JSON.parse((await context.store.get(Tables.workflowSummary, 'wf'))!).last_sync_time).toBe('2024-08-02 17:00:00,000000+0000');
  });

  it('a sync that does not fit is handed on in halves, then the rest a few days per event, to the same result', async () => {
    const whole = setup();
    await linearWorkflow(whole.store, whole.logs, 'wf', [{ runId: 'run1', startMs: RUN1_START }]);
    await syncWithContinuations(whole, 'wf');

    const budgeted = setup(100);
    await linearWorkflow(budgeted.store, budgeted.logs, 'wf', [{ runId: 'run1', startMs: RUN1_START }]);
    const continued = await syncWithContinuations(budgeted, 'wf');
    // 30 days (60 reads) and 15 (30) and 7 (14) run out of time; 3 days (6 reads, 60 s) fit, and so on to today.
    // 30 days: 10 syncs of 3, each handing the next 3 on after the first that fit.
    expect(continued).toEqual([15, 7, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]);
    // Every day was synced once: the same run and counts as one whole sync (which ends earlier: time went by meanwhile).
    const summary = JSON.parse((await budgeted.store.get(Tables.workflowSummary, 'wf'))!);
    const reference = JSON.parse((await whole.store.get(Tables.workflowSummary, 'wf'))!);
    expect(summary.last_sync_time >= reference.last_sync_time).toBe(true);
    expect(summary.logs).toEqual(reference.logs);
    expect(summary.daily_invocation_counts).toEqual(reference.daily_invocation_counts);
  });

  it('one day that does not fit fails with the fix instead of handing on forever', async () => {
    const context = setup(5);
    await linearWorkflow(context.store, context.logs, 'wf', [{ runId: 'run1', startMs: RUN1_START }]);
    await expect(context.actions.syncWorkflow('wf', 1)).rejects.toThrow(
      "wf: one day of its logs does not fit the remote framework's time budget (5 s); deploy it with a longer timeout (caribou deploy_remote_cli -t <seconds>, at most 900)",
    );
    expect(context.invoked).toEqual([]);
  });
});
