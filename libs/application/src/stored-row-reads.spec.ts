import { describe, expect, it } from 'vitest';
import { Tables } from '@caribou/domain-common';
import { storedRows } from '@caribou/domain-accounting/testing';
import workedExample from './manage-deployments/__fixtures__/worked_example.json';
import { readAvailableRegions } from './data-collect/index';
import { FailedInvocationsService } from './failures/index';
import { ResourceLedger } from './ledger/index';
import { LogSyncService } from './log-sync/log-sync.service';
import { FixedClock } from './log-sync/testing/fixed-clock';
import { RecordedLogSource } from './log-sync/testing/recorded-log-source';
import { ManageDeploymentsService } from './manage-deployments/manage-deployments.service';
import { MigrateDeploymentsService, type MigrateDeploymentsDeps } from './migrate/migrate-deployments.service';
import { PlanReportService } from './plan/plan-report';
import { CarbonReportService } from './report/carbon-report.service';
import { RunWorkflowService } from './run/run-workflow.service';
import { STORED_ROWS, type StoredTable } from './stored-row-schemas';
import { InMemoryKeyValueStore } from './testing/in-memory-key-value-store';
import { WorkflowCollectorService } from './workflow-collector/workflow-collector.service';
import { ShowWorkflowService } from './workflows/show-workflow.service';

/*
 * Issue 17: every read of a stored row goes through its schema. Each reader of each table is
 * given a world where everything else is sound and that one row damaged — not JSON, not an
 * object, or of the wrong shape — and must fail with one line naming the table and the key.
 */

const WF = 'wf-0.0.1';
const ENTRY = 'wf-0_0_1-a:entry_point:0';
const FUNCTION = 'wf-0_0_1-a_aws-us-east-1';
const US_EAST_1 = { provider: 'aws', region: 'us-east-1' };
const NOW = Date.UTC(2026, 11, 7, 12);

/** A deployed one-function workflow with a staged plan: what show, plan, run, migrate and log_sync read. */
function deployedWorld(store: InMemoryKeyValueStore): void {
  const placement = { provider_region: US_EAST_1, identifier: FUNCTION, function_identifier: FUNCTION };
  store.seed(Tables.workflowPlacementDecision, WF, {
    instances: { [ENTRY]: { instance_name: ENTRY, preceding_instances: [], succeeding_instances: [], dependent_sync_predecessors: [] } },
    current_instance_name: ENTRY,
    workflow_placement: { home_deployment: { [ENTRY]: placement } },
  });
  store.seed(Tables.deploymentResources, WF, {
    workflow_id: WF,
    workflow_function_descriptions: '[]',
    deployment_config: '{}',
    deployed_regions: JSON.stringify({ [FUNCTION]: { deploy_region: US_EAST_1, identifier: FUNCTION, function_identifier: FUNCTION } }),
  });
  store.seed(Tables.deploymentManagerResource, WF, { workflow_id: WF, workflow_config: JSON.stringify(workedExample.workflow_config) });
  store.seed(Tables.workflowPlacementSolverStagingArea, WF, {
    time_keys_to_staging_area_data: { '0': { [ENTRY]: { provider_region: US_EAST_1 } } },
    deployment_metrics: {},
    expiry_time: '2099-01-01 00:00:00,000000+0000',
  });
}

/** The worked example as deployed `ex-0.0.1`, with its collected rows: what manage_deployments reads. */
const MANAGED = 'ex-0.0.1';
function managedWorld(store: InMemoryKeyValueStore): void {
  const tables = workedExample.tables as Record<string, Record<string, unknown>>;
  for (const table of [Tables.availableRegions, Tables.providerRegion, Tables.carbonRegion, Tables.performanceRegion, Tables.workflowInstance])
    for (const [key, row] of Object.entries(tables[table]!)) store.seed(table, key, row);
  store.seed(Tables.deploymentManagerResource, MANAGED, { workflow_id: MANAGED, workflow_config: JSON.stringify(workedExample.workflow_config) });
}

/** `wf-1.0` with synced runs, collected rows and a published plan: what `caribou report` reads. */
const REPORTED = 'wf-1.0';
function reportedWorld(store: InMemoryKeyValueStore): void {
  for (const [table, key, row] of storedRows()) store.seed(table, key, row);
}

/** A dependency the read must fail before reaching. */
const unreachable = <T extends object>(name: string): T =>
  new Proxy({} as T, {
    get: (_target, property) => {
      throw new Error(`${name}.${String(property)} was reached: the damaged row was not refused first`);
    },
  });

const clock = new FixedClock(NOW);
/** When the worked example's invocations are recent enough to solve for. */
const MANAGED_AT = new FixedClock(Date.UTC(2025, 0, 16, 1));
const manage = (store: InMemoryKeyValueStore) =>
  new ManageDeploymentsService({ store, clock: MANAGED_AT, refreshWorkflowSummary: async () => undefined, options: { seed: 7 } })
    .check({ workflowId: MANAGED, calculator: 'simple' })
    .then(({ workflows }) => (workflows[0]?.outcome === 'failed' ? workflows[0].error : `not refused: ${JSON.stringify(workflows[0])}`));
const logSync = (store: InMemoryKeyValueStore) =>
  new LogSyncService({ store, logs: new RecordedLogSource(), clock }).syncWorkflow(WF).then((report) => report.message ?? `not refused: ${report.status}`);
const migrate = (store: InMemoryKeyValueStore) => {
  const deps: MigrateDeploymentsDeps = {
    store,
    clock,
    platform: unreachable('platform'),
    identity: unreachable('identity'),
    copier: unreachable('copier'),
    syncStores: unreachable('syncStores'),
    progress: unreachable('progress'),
  };
  return new MigrateDeploymentsService(deps).migrate();
};

type Reader = [name: string, world: (store: InMemoryKeyValueStore) => void, key: string, read: (store: InMemoryKeyValueStore) => Promise<unknown>];

const show: Reader = ['show', deployedWorld, WF, (store) => new ShowWorkflowService(store).show(WF)];
const plan: Reader = ['plan', deployedWorld, WF, (store) => new PlanReportService(store, clock).report(WF)];
const run: Reader = [
  'run',
  deployedWorld,
  WF,
  (store) => new RunWorkflowService({ store, clock, invoker: unreachable('invoker'), random: { random: () => 0.5, uuid: () => 'run' } }).run(WF),
];
const migrator: Reader = ['run_deployment_migrator', deployedWorld, WF, migrate];
const logSyncer: Reader = ['log_sync', deployedWorld, WF, logSync];
const collector: Reader = ['data_collect workflow', deployedWorld, WF, (store) => new WorkflowCollectorService({ store }).collect(WF)];
const manager = (key: string): Reader => ['manage_deployments', managedWorld, key, manage];
const report = (key: string): Reader => ['report', reportedWorld, key, (store) => new CarbonReportService(store).report({ workflowId: REPORTED })];

/** Per table: its readers, and a value that is a JSON object with one field of the wrong type. */
const READERS: Record<StoredTable, { readers: Reader[]; wrongShape: unknown }> = {
  [Tables.workflowPlacementDecision]: {
    readers: [show, plan, run, migrator],
    wrongShape: { instances: {}, current_instance_name: 5, workflow_placement: { home_deployment: {} } },
  },
  [Tables.workflowPlacementSolverStagingArea]: {
    readers: [show, plan, migrator],
    wrongShape: { time_keys_to_staging_area_data: { '0': 5 }, deployment_metrics: {}, expiry_time: '2099-01-01 00:00:00,000000+0000' },
  },
  [Tables.publishedPlan]: {
    readers: [
      // Without a staged plan, `caribou plan` reports the published one.
      ['plan', (store) => (deployedWorld(store), void store.delete(Tables.workflowPlacementSolverStagingArea, WF)), WF, plan[3]],
      report(REPORTED),
    ],
    wrongShape: { time_keys_to_staging_area_data: {}, deployment_metrics: { '0': { average_carbon: 'low' } }, expiry_time: '2099-01-01 00:00:00,000000+0000' },
  },
  [Tables.deploymentResources]: {
    readers: [show, migrator, logSyncer],
    wrongShape: { deployed_regions: JSON.stringify({ [FUNCTION]: { deploy_region: 'us-east-1', identifier: FUNCTION, function_identifier: FUNCTION } }) },
  },
  [Tables.deploymentManagerResource]: { readers: [manager(MANAGED), report(REPORTED)], wrongShape: { workflow_config: JSON.stringify({ workflow_name: 5 }) } },
  [Tables.deploymentManagerWorkflowInfo]: { readers: [manager(MANAGED)], wrongShape: { next_check: 5 } },
  [Tables.resourceLedger]: {
    readers: [
      ['the resource ledger', () => undefined, WF, (store) => new ResourceLedger(store, WF).read()],
      ['the resource ledger (update)', () => undefined, WF, (store) => new ResourceLedger(store, WF).update(() => undefined)],
    ],
    wrongShape: { workflow_id: WF, status: 'gone', resources: [] },
  },
  [Tables.failedInvocations]: {
    readers: [
      ['show --json (failed invocations)', deployedWorld, WF, (store) => new FailedInvocationsService(store, unreachable('destinations')).forWorkflow(WF)],
    ],
    wrongShape: { workflow_id: WF, failures: [{ run_id: 'run', attempts: 'three' }] },
  },
  [Tables.availableRegions]: {
    readers: [manager('aws:ca-central-1'), ['the region collectors', managedWorld, 'aws:ca-central-1', readAvailableRegions]],
    wrongShape: { latitude: 'north', longitude: 1 },
  },
  [Tables.providerRegion]: { readers: [manager('aws:ca-central-1'), report('aws:us-east-1')], wrongShape: { pue: 'high' } },
  [Tables.carbonRegion]: { readers: [manager('aws:us-east-1'), report('aws:us-east-1')], wrongShape: { averages: { overall: { carbon_intensity: 'high' } } } },
  [Tables.performanceRegion]: { readers: [manager('aws:us-west-2'), report('aws:us-east-1')], wrongShape: { relative_performance: 'fast' } },
  [Tables.workflowSummary]: {
    readers: [show, logSyncer, collector, report(REPORTED)],
    wrongShape: { last_sync_time: '2026-12-07 11:00:00,000000+0000', logs: [{ run_id: 5 }] },
  },
  [Tables.workflowInstance]: { readers: [show, manager(MANAGED)], wrongShape: { instance_summary: [] } },
};

/** What the read ended with: its error's message, or the failure its report gives. */
async function failureOf(read: () => Promise<unknown>): Promise<string> {
  try {
    const result = await read();
    return typeof result === 'string' ? result : `not refused: ${JSON.stringify(result)?.slice(0, 200)}`;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const damage = (wrongShape: unknown): Array<[string, string]> => [
  ['not JSON', '{"cut": '],
  ['a list', '[1, 2]'],
  ['a number', '42'],
  ['a field of the wrong type', JSON.stringify(wrongShape)],
];

const cases = Object.entries(READERS).flatMap(([table, { readers, wrongShape }]) =>
  readers.flatMap(([reader, world, key, read]) => damage(wrongShape).map(([what, value]) => ({ table, reader, world, key, read, what, value }))),
);

describe('every stored-row read goes through its schema', () => {
  it('every table with a schema has its readers here', () => {
    expect(Object.keys(READERS).sort()).toEqual(Object.keys(STORED_ROWS).sort());
  });

  it.each(cases)('$reader with $table[$key] as $what: one line naming the table and key', async ({ table, world, key, read, value }) => {
    const store = new InMemoryKeyValueStore();
    world(store);
    await store.put(table, key, value);
    const message = await failureOf(() => read(store));
    expect(message).toContain(`Stored row ${table}[${key}]`);
    expect(message).toMatch(/is damaged \(.+\): \S.*$/);
    expect(message.split('\n')).toHaveLength(1);
  });

  it.each(Object.values(READERS).flatMap(({ readers }) => readers))('%s reads its world without complaint when nothing is damaged', async (_name, world, _key, read) => {
    const store = new InMemoryKeyValueStore();
    world(store);
    expect(await failureOf(() => read(store))).not.toMatch(/Stored row|not refused: .*failed/);
  });
});
