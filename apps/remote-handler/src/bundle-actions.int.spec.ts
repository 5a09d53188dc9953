import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { awsEntry, createAwsAdapters, inventoryAwsResources, LAMBDA_PROVIDED_PACKAGES, type AwsAdapterSet, type AwsInventory, type PolicyDocument } from '@caribou/adapter-aws';
import { GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { awsExampleProject, emulatorConfig, handlerZipArtifact, startRecordingProxy, unauthorizedCalls, type RecordingProxy, smallSyncExampleOnAws } from '@caribou/adapter-aws/testing';
import { EsbuildPackageBuilder } from '@caribou/adapter-bundler';
import { FileSystemProjectLoader } from '@caribou/adapter-project';
import { DeployWorkflowService, FRAMEWORK_TABLES } from '@caribou/application';
import { FixedClock } from '@caribou/application/testing';
import { formatTime, Tables } from '@caribou/domain-common';
import type { StagedPlan } from '@caribou/domain-workflow';
import type { ProgressReporter } from '@caribou/ports';
import type { RemoteResponse } from './handler';
import { bundledHandler } from './testing/bundled-handler';

const { example: EXAMPLE, home: HOME, movedTo: MOVED_TO, system: SYSTEM, regions: REGIONS, version: VERSION, workflowId: WF, prefix: PREFIX } = smallSyncExampleOnAws('0.4.0');
const aws = (region: string) => ({ provider: 'aws', region });
const quiet: ProgressReporter = { step: (_title, work) => work(() => undefined), info: () => undefined, warn: () => undefined };

/*
 * The remote framework's actions on a deployed workflow, through its bundle
 * (dist/remote-handler/index.mjs) against moto. A proxy in front of moto records the Lambda
 * Invoke requests the bundle sends: to the workflow's entry point (run) and to itself
 * (internal_action fan-out), which the test then runs in this process.
 */
describe('the bundled remote framework on a deployed workflow (moto)', () => {
  let proxy: RecordingProxy;
  let adapters: AwsAdapterSet;
  let handler: (event: unknown) => Promise<RemoteResponse>;
  let projectDir: string;
  let before: AwsInventory;
  const lines: string[] = [];
  const selfInvokes = () => proxy.invokes.filter((invoke) => invoke.functionName.endsWith('caribou_cli')).map((invoke) => invoke.payload as Record<string, unknown>);

  beforeAll(async () => {
    proxy = await startRecordingProxy(inject('awsEndpoint'));
    adapters = createAwsAdapters(emulatorConfig({ systemRegion: SYSTEM }));
    await adapters.store.ensureTables(FRAMEWORK_TABLES);
    // What a region's workflows share (sync tables, the on-failure queue) outlives each workflow.
    for (const region of [HOME, MOVED_TO]) {
      await adapters.syncStores.ensureSyncTables(aws(region));
      await adapters.failureDestinations.ensure(aws(region));
    }
    // The function the framework's self-invocations go to (moto runs none of its code).
    await adapters.remote.deploy({ artifact: handlerZipArtifact(), memoryMb: 256, timeoutSeconds: 60, ephemeralStorageMb: 512, secrets: {} });
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
      clock: new FixedClock(Date.UTC(2026, 11, 3)),
      logs: adapters.logs,
    }).deploy(await new FileSystemProjectLoader().load(projectDir));
    handler = await bundledHandler({ CARIBOU_AWS_ENDPOINT: proxy.endpoint, CARIBOU_SYSTEM_REGION: SYSTEM, CARIBOU_OFFLINE_DATA: '1' }, (line) => lines.push(line));
  });

  afterAll(async () => {
    await adapters.remote.remove();
    adapters.clients.destroy();
    await proxy.close();
    rmSync(projectDir, { recursive: true, force: true });
  });

  it('lists the workflows and runs one with the argument as a JSON value', async () => {
    const listed = (await handler({ action: 'list' })) as { status: number; workflows: string[] };
    expect(listed.status).toBe(200);
    expect(listed.workflows).toContain(WF);
    proxy.invokes.length = 0;
    const started = (await handler({ action: 'run', workflow_id: WF, argument: { execute_1: true } })) as { status: number; run_id: string };
    expect(started.status).toBe(200);
    expect(started.run_id).toMatch(/^[0-9a-f]{32}$/);
    expect(proxy.invokes).toHaveLength(1);
    expect(proxy.invokes[0]!.invocationType).toBe('Event');
    expect(proxy.invokes[0]!.functionName).toContain(`${PREFIX}-initial_function_aws-`);
    const message = proxy.invokes[0]!.payload as { payload: unknown; workflow_placement_decision: { current_instance_name: string; run_id: string } };
    expect(message.payload).toEqual({ execute_1: true });
    expect(message.workflow_placement_decision.current_instance_name).toBe(`${PREFIX}-initial_function:entry_point:0`);
    expect(message.workflow_placement_decision.run_id).toBe(started.run_id);
  });

  it('log_sync starts one sync_workflow per workflow through caribou_cli, and sync_workflow syncs it', async () => {
    proxy.invokes.length = 0;
    expect(await handler({ action: 'log_sync' })).toEqual({ status: 200, message: 'Log sync started' });
    expect(selfInvokes()).toContainEqual({ action: 'internal_action', type: 'sync_workflow', event: { workflow_id: WF } });
    expect(selfInvokes().every((payload) => payload.type === 'sync_workflow')).toBe(true);
    expect(await handler({ action: 'internal_action', type: 'sync_workflow', event: { workflow_id: WF } })).toEqual({ status: 200, message: `Workflow ${WF} synced` });
  });

  it('manage_deployments fans out check_workflow; a workflow without runs is checked and nothing is solved', async () => {
    proxy.invokes.length = 0;
    expect(await handler({ action: 'manage_deployments' })).toEqual({ status: 200, message: 'Deployment check started, using simple calculator' });
    expect(selfInvokes()).toContainEqual({ action: 'internal_action', type: 'check_workflow', event: { workflow_id: WF, deployment_metrics_calculator_type: 'simple' } });
    proxy.invokes.length = 0;
    expect(await handler({ action: 'internal_action', type: 'check_workflow', event: { workflow_id: WF, deployment_metrics_calculator_type: 'simple' } })).toEqual({
      status: 200,
      message: `Workflow ${WF} checked`,
    });
    expect(lines).toContain(`Deployment check of ${WF}: too-few-invocations`);
    expect(selfInvokes()).toEqual([]);
    expect(await adapters.store.has(Tables.workflowPlacementSolverStagingArea, WF)).toBe(false);
  });

  it('data_collect provider fills the region tables from the shipped dataset', async () => {
    const tables = [Tables.availableRegions, Tables.providerRegion, Tables.provider];
    const existing = new Map(await Promise.all(tables.map(async (table) => [table, new Set(await adapters.store.keys(table))] as const)));
    try {
      expect(await handler({ action: 'data_collect', collector: 'provider' })).toEqual({ status: 200, scheduled_collector: 'provider', workflow_id: null });
      expect(await adapters.store.keys(Tables.availableRegions)).toContain(`aws:${HOME}`);
    } finally {
      // moto is shared by the whole integration run: leave the tables as this test found them.
      for (const table of tables) for (const key of await adapters.store.keys(table)) if (!existing.get(table)!.has(key)) await adapters.store.delete(table, key);
    }
  });

  it('run_deployment_migrator starts re_deploy_workflow per staged plan; re_deploy_workflow copies the function and publishes the plan', async () => {
    const staged: StagedPlan = {
      time_keys_to_staging_area_data: { '0': { [`${PREFIX}-initial_function:entry_point:0`]: { provider_region: aws(MOVED_TO) } } },
      deployment_metrics: {},
      expiry_time: formatTime(Date.UTC(2099, 0, 1)),
    };
    await adapters.store.put(Tables.workflowPlacementSolverStagingArea, WF, JSON.stringify(staged));
    proxy.invokes.length = 0;
    expect(await handler({ action: 'run_deployment_migrator' })).toEqual({ status: 200, message: 'Deployment migrator started' });
    expect(selfInvokes()).toEqual([{ action: 'internal_action', type: 're_deploy_workflow', event: { workflow_id: WF } }]);
    expect(await handler(selfInvokes()[0])).toEqual({ status: 200, message: `Workflow ${WF} re-deployed` });
    expect(await adapters.platform.exists(aws(MOVED_TO), `${PREFIX}-initial_function_aws-${MOVED_TO}`)).toBe(true);
    expect(await adapters.store.has(Tables.workflowPlacementSolverStagingArea, WF)).toBe(false);
  });

  it('remove deletes every copy of the workflow: the account is as before its deploy; removing it again is a 404', async () => {
    expect(await handler({ action: 'remove', workflow_id: WF })).toEqual({ status: 200, message: `Workflow ${WF} removal started` });
    expect(await inventoryAwsResources(adapters.clients, REGIONS)).toEqual(before);
    expect(await adapters.store.has(Tables.deploymentManagerResource, WF)).toBe(false);
    expect(await handler({ action: 'remove', workflow_id: WF })).toMatchObject({ status: 404 });
  });

  it('every AWS call the framework made in these actions is allowed by its generated role policy, as stored on moto (issue 13)', async () => {
    const { names } = adapters.clients;
    const stored = await adapters.clients.iam().send(new GetRolePolicyCommand({ RoleName: names.remoteRole, PolicyName: names.remoteRole }));
    const policy = JSON.parse(decodeURIComponent(stored.PolicyDocument ?? '')) as PolicyDocument;
    // The proxy saw only the handler's requests (the test's own setup talks to moto directly).
    const services = new Set(proxy.requests.map((request) => request.service));
    for (const service of ['dynamodb', 'lambda', 'iam', 'logs', 'sqs']) expect(services, service).toContain(service);
    expect(unauthorizedCalls(policy, proxy.requests, await adapters.clients.accountId())).toEqual([]);
  });
});
