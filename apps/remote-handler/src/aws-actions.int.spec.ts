import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsEntry, createAwsAdapters, inventoryAwsResources, LAMBDA_PROVIDED_PACKAGES, type AwsAdapterSet, type AwsInventory } from '@caribou/adapter-aws';
import { awsExampleProject, emulatorConfig, handlerZipArtifact } from '@caribou/adapter-aws/testing';
import { EsbuildPackageBuilder } from '@caribou/adapter-bundler';
import { FileSystemProjectLoader } from '@caribou/adapter-project';
import { DeployWorkflowService, FRAMEWORK_TABLES } from '@caribou/application';
import { formatTime, Tables } from '@caribou/domain-common';
import type { StagedPlan } from '@caribou/domain-workflow';
import type { FunctionInvoker, ProgressReporter, RemoteFramework } from '@caribou/ports';
import { createDeploymentManager } from './deployment-manager';
import { createAwsRemoteActions, type DeploymentManagerActions } from './aws-actions';
import { createRemoteHandler } from './handler';

const EXAMPLE = join(import.meta.dirname, '../../../examples/small_sync_example');
const HOME = 'us-east-1';
const MOVED_TO = 'ca-central-1';
const SYSTEM = 'us-west-2';
const REGIONS = [HOME, MOVED_TO, SYSTEM];
const VERSION = '0.4.0';
const WF = `small_sync_example-${VERSION}`;
const PREFIX = `small_sync_example-${VERSION.replace(/\./g, '_')}`;
const aws = (region: string) => ({ provider: 'aws', region });
const quiet: ProgressReporter = { step: (_title, work) => work(() => undefined), info: () => undefined, warn: () => undefined };

describe('the remote framework handler on the AWS adapters (moto)', () => {
  let adapters: AwsAdapterSet;
  let projectDir: string;
  let before: AwsInventory;
  const selfInvokes: Array<Record<string, unknown>> = [];
  const clientMessages: string[] = [];
  const solves: unknown[][] = [];

  /** The real caribou_cli self-invocation (Lambda Invoke, Event, on moto), remembered. */
  const recordingRemote = (real: RemoteFramework): RemoteFramework => ({
    isDeployed: () => real.isDeployed(),
    async invoke(payload, mode) {
      const result = await real.invoke(payload, mode);
      selfInvokes.push(payload);
      return result;
    },
  });
  const recordingInvoker = (real: FunctionInvoker): FunctionInvoker => ({
    async invokeAsync(region, identifier, message) {
      await real.invokeAsync(region, identifier, message);
      clientMessages.push(message);
    },
  });
  /** Stands in for the deployment manager this build does not compose yet: decides to solve hours 0 and 12. */
  const manager: DeploymentManagerActions = {
    checkWorkflow: async (_workflowId, _calculator, startSolve) => startSolve(['0', '12'], 15),
    runDeploymentAlgorithm: async (...args) => void solves.push(args),
  };

  const handlerWith = (deploymentManager?: DeploymentManagerActions) =>
    createRemoteHandler(
      createAwsRemoteActions({
        adapters: { ...adapters, invoker: recordingInvoker(adapters.invoker) } as AwsAdapterSet,
        remote: recordingRemote(adapters.remote),
        clock: { now: () => Date.now() },
        random: { random: () => 0.5, uuid: () => 'f'.repeat(32) },
        progress: quiet,
        log: () => undefined,
        env: { CARIBOU_OFFLINE_DATA: '1' },
        ...(deploymentManager ? { deploymentManager } : {}),
      }),
      () => undefined,
    );

  beforeAll(async () => {
    adapters = createAwsAdapters(emulatorConfig({ systemRegion: SYSTEM }));
    await adapters.store.ensureTables(FRAMEWORK_TABLES);
    for (const region of [HOME, MOVED_TO]) await adapters.syncStores.ensureSyncTables(aws(region));
    // The function self-invocations go to (moto runs none of its code).
    await adapters.remote.deploy({ artifact: handlerZipArtifact(), memoryMb: 256, timeoutSeconds: 60, ephemeralStorageMb: 512, environment: {} });
    before = await inventoryAwsResources(adapters.clients, REGIONS);
    projectDir = awsExampleProject(EXAMPLE, { home: HOME, regions: [MOVED_TO], version: VERSION });
    const builder = new EsbuildPackageBuilder({ entries: { aws: awsEntry }, zipFor: ['aws'], external: { aws: LAMBDA_PROVIDED_PACKAGES } });
    await new DeployWorkflowService({
      store: adapters.store,
      platform: adapters.platform,
      identity: adapters.identity,
      packages: {
        async build(request) {
          const artifact = await builder.build(request);
          // As the CLI does: the framework then copies this package instead of downloading it from moto's fake code URL.
          adapters.copier.registerLocalArtifact(artifact);
          return artifact;
        },
      },
      syncStores: adapters.syncStores,
      progress: quiet,
      logs: adapters.logs,
    }).deploy(await new FileSystemProjectLoader().load(projectDir));
  });

  afterAll(async () => {
    await adapters.remote.remove();
    adapters.clients.destroy();
    rmSync(projectDir, { recursive: true, force: true });
  });

  it('lists the workflows and runs one with the argument as a JSON value', async () => {
    const handler = handlerWith();
    const listed = (await handler({ action: 'list' })) as { status: number; workflows: string[] };
    expect(listed.status).toBe(200);
    expect(listed.workflows).toContain(WF);
    expect(await handler({ action: 'run', workflow_id: WF, argument: { execute_1: true } })).toEqual({ status: 200, run_id: 'f'.repeat(32) });
    const message = JSON.parse(clientMessages.at(-1)!) as { payload: unknown; workflow_placement_decision: { current_instance_name: string } };
    expect(message.payload).toEqual({ execute_1: true });
    expect(message.workflow_placement_decision.current_instance_name).toBe(`${PREFIX}-initial_function:entry_point:0`);
  });

  it('log_sync starts one sync_workflow per workflow through caribou_cli, and sync_workflow syncs it', async () => {
    const handler = handlerWith();
    selfInvokes.length = 0;
    expect(await handler({ action: 'log_sync' })).toEqual({ status: 200, message: 'Log sync started' });
    expect(selfInvokes).toContainEqual({ action: 'internal_action', type: 'sync_workflow', event: { workflow_id: WF } });
    expect(selfInvokes.every((payload) => payload.type === 'sync_workflow')).toBe(true);
    expect(await handler({ action: 'internal_action', type: 'sync_workflow', event: { workflow_id: WF } })).toEqual({ status: 200, message: `Workflow ${WF} synced` });
  });

  it('manage_deployments fans out check_workflow, which chains run_deployment_algorithm; without a deployment manager it says so', async () => {
    await expect(handlerWith()({ action: 'manage_deployments' })).rejects.toThrow('manage_deployments is not available in this remote framework build');
    const handler = handlerWith(manager);
    selfInvokes.length = 0;
    expect(await handler({ action: 'manage_deployments', deployment_metrics_calculator_type: 'simple' })).toEqual({
      status: 200,
      message: 'Deployment check started, using simple calculator',
    });
    expect(selfInvokes).toContainEqual({ action: 'internal_action', type: 'check_workflow', event: { workflow_id: WF, deployment_metrics_calculator_type: 'simple' } });
    selfInvokes.length = 0;
    await handler({ action: 'internal_action', type: 'check_workflow', event: { workflow_id: WF, deployment_metrics_calculator_type: 'simple' } });
    const chained = { workflow_id: WF, deployment_metrics_calculator_type: 'simple', solve_hours: ['0', '12'], leftover_tokens: 15 };
    expect(selfInvokes).toEqual([{ action: 'internal_action', type: 'run_deployment_algorithm', event: chained }]);
    await handler(selfInvokes[0]);
    expect(solves).toEqual([[WF, 'simple', ['0', '12'], 15]]);
  });

  it('the composed deployment manager checks a workflow on the real tables (no runs yet: nothing to solve)', async () => {
    const lines: string[] = [];
    const handler = handlerWith(createDeploymentManager({ store: adapters.store, clock: { now: () => Date.now() }, log: (line) => lines.push(line) }));
    const event = { action: 'internal_action', type: 'check_workflow', event: { workflow_id: WF, deployment_metrics_calculator_type: 'simple' } };
    expect(await handler(event)).toEqual({ status: 200, message: `Workflow ${WF} checked` });
    expect(lines).toContain(`Deployment check of ${WF}: too-few-invocations`);
    expect(await adapters.store.has(Tables.workflowPlacementSolverStagingArea, WF)).toBe(false);
  });

  it('data_collect provider fills the region tables from the shipped dataset', async () => {
    const tables = [Tables.availableRegions, Tables.providerRegion, Tables.provider];
    const existing = new Map(await Promise.all(tables.map(async (table) => [table, new Set(await adapters.store.keys(table))] as const)));
    try {
      expect(await handlerWith()({ action: 'data_collect', collector: 'provider' })).toEqual({ status: 200, scheduled_collector: 'provider', workflow_id: null });
      expect(await adapters.store.keys(Tables.availableRegions)).toContain(`aws:${HOME}`);
    } finally {
      // moto is shared by the whole integration run: leave the tables as this test found them.
      for (const table of tables) for (const key of await adapters.store.keys(table)) if (!existing.get(table)!.has(key)) await adapters.store.delete(table, key);
    }
  });

  it('run_deployment_migrator starts re_deploy_workflow per staged plan; re_deploy_workflow copies the function and publishes the plan', async () => {
    const handler = handlerWith();
    const staged: StagedPlan = {
      time_keys_to_staging_area_data: { '0': { [`${PREFIX}-initial_function:entry_point:0`]: { provider_region: aws(MOVED_TO) } } },
      deployment_metrics: {},
      expiry_time: formatTime(Date.UTC(2099, 0, 1)),
    };
    await adapters.store.put(Tables.workflowPlacementSolverStagingArea, WF, JSON.stringify(staged));
    selfInvokes.length = 0;
    expect(await handler({ action: 'run_deployment_migrator' })).toEqual({ status: 200, message: 'Deployment migrator started' });
    expect(selfInvokes).toEqual([{ action: 'internal_action', type: 're_deploy_workflow', event: { workflow_id: WF } }]);
    expect(await handler(selfInvokes[0])).toEqual({ status: 200, message: `Workflow ${WF} re-deployed` });
    expect(await adapters.platform.exists(aws(MOVED_TO), `${PREFIX}-initial_function_aws-${MOVED_TO}`)).toBe(true);
    expect(await adapters.store.has(Tables.workflowPlacementSolverStagingArea, WF)).toBe(false);
  });

  it('remove deletes every copy of the workflow: the account is as before its deploy', async () => {
    expect(await handlerWith()({ action: 'remove', workflow_id: WF })).toEqual({ status: 200, message: `Workflow ${WF} removal started` });
    expect(await inventoryAwsResources(adapters.clients, REGIONS)).toEqual(before);
    expect(await adapters.store.has(Tables.deploymentManagerResource, WF)).toBe(false);
  });
});
