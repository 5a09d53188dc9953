import { rmSync } from 'node:fs';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterEach, describe, expect, it } from 'vitest';
import { allAwsRegions, AwsClients, DynamoDbKeyValueStore, inventoryAwsResources, inventoryLines, lambdaLogGroup } from '@caribou/adapter-aws';
import { awsExampleProject, smallSyncExampleOnAws, startFaultProxy, type FaultProxy } from '@caribou/adapter-aws/testing';
import { REMOTE_FRAMEWORK_LEDGER_KEY, TIMERS } from '@caribou/application';
import { runCli, type CliResult } from '@caribou/cli/testing';
import { formatTime, Tables } from '@caribou/domain-common';
import { parsePlacementDecision, type StagedPlan } from '@caribou/domain-workflow';
import { startMoto, type RunningEmulator } from '../emulator/aws-emulator';

const { example: EXAMPLE, home: HOME, version: VERSION, workflowId: WF } = smallSyncExampleOnAws('0.4.0');
/** The two regions the staged plan migrates to. */
const TARGETS = ['ca-central-1', 'eu-west-2'];
const aws = (region: string) => ({ provider: 'aws', region });

interface Settings {
  systemRegion?: string;
  install?: string;
}

/**
 * The whole lifecycle on a moto server of its own (the inventory must see every region empty,
 * which the suite's shared emulator is not): deploy → migrate to two regions → remote framework
 * and timers → `teardown_framework -y`, then an inventory over every region the emulator serves.
 */
describe('teardown_framework on moto leaves nothing in any region', () => {
  let moto: RunningEmulator | undefined;
  let proxy: FaultProxy | undefined;
  let clients: AwsClients | undefined;
  let projectDir: string | undefined;

  afterEach(async () => {
    clients?.destroy();
    await proxy?.close();
    await moto?.stop();
    if (projectDir) rmSync(projectDir, { recursive: true, force: true });
  });

  /** A fresh moto, clients of the install, the CLI's environment, and every region moto serves (all empty). */
  const start = async (settings: Settings) => {
    moto = await startMoto();
    const env: Record<string, string> = { CARIBOU_AWS_ENDPOINT: moto.endpoint, GOOGLE_API_KEY: '', ELECTRICITY_MAPS_AUTH_TOKEN: '' };
    if (settings.systemRegion) env.CARIBOU_SYSTEM_REGION = settings.systemRegion;
    if (settings.install) env.CARIBOU_INSTALL = settings.install;
    clients = new AwsClients({
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'caribou-test', secretAccessKey: 'caribou-test' },
      ...(settings.systemRegion ? { systemRegion: settings.systemRegion } : {}),
      ...(settings.install ? { install: settings.install } : {}),
    });
    const regions = await allAwsRegions(clients);
    expect(regions).toEqual(expect.arrayContaining([HOME, ...TARGETS, settings.systemRegion ?? 'us-west-2']));
    expect(inventoryLines(await inventoryAwsResources(clients, regions))).toEqual([]);
    const cli = (args: string[], extra: Record<string, string> = {}): Promise<CliResult> => runCli(args, { env: { ...env, ...extra } });
    const ok = async (args: string[], extra: Record<string, string> = {}): Promise<CliResult> => {
      const result = await cli(args, extra);
      expect(result.code, `caribou ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
      return result;
    };
    projectDir = awsExampleProject(EXAMPLE, { home: HOME, regions: TARGETS, version: VERSION });
    return { clients, regions, cli, ok, projectDir, endpoint: moto.endpoint };
  };

  const lifecycle = async (settings: Settings) => {
    const { clients, regions, ok, projectDir } = await start(settings);
    await ok(['deploy', '-p', projectDir]);
    const store = new DynamoDbKeyValueStore(clients);
    const wpd = parsePlacementDecision((await store.get(Tables.workflowPlacementDecision, WF))!, WF);
    const instances = Object.keys(wpd.workflow_placement.home_deployment).sort();
    // Every instance leaves home, alternating between the two target regions.
    const staged: StagedPlan = {
      time_keys_to_staging_area_data: { '0': Object.fromEntries(instances.map((instance, i) => [instance, { provider_region: aws(TARGETS[i % 2]!) }])) },
      deployment_metrics: {},
      expiry_time: formatTime(Date.UTC(2099, 0, 1)),
    };
    await store.put(Tables.workflowPlacementSolverStagingArea, WF, JSON.stringify(staged));
    const migrated = await ok(['run_deployment_migrator', '--provider', 'aws']);
    expect(migrated.stdout).toContain(`${WF}: migrated`);
    // An API key set when the remote framework is deployed becomes an SSM parameter of the install.
    await ok(['deploy_remote_cli'], { GOOGLE_API_KEY: 'teardown-test-key' });
    await ok(['setup_all_timers', '--provider', 'aws']);

    const during = inventoryLines(await inventoryAwsResources(clients, regions));
    const names = clients.names;
    // What the lifecycle created, in every kind the inventory sees (so it would see a leftover).
    for (const region of [HOME, ...TARGETS]) {
      expect(during).toContain(`${region} dynamodbTables ${names.table('sync_messages_table')}`);
      expect(during.some((line) => line.startsWith(`${region} sqsQueues `) && line.endsWith(`/${names.failureQueue}`))).toBe(true);
      expect(during.some((line) => line.startsWith(`${region} lambdaFunctions ${names.prefix}small_sync_example-`))).toBe(true);
    }
    expect(during).toContain(`global iamRoles ${names.remoteRole}`);
    expect(during).toContain(`${settings.systemRegion ?? 'us-west-2'} ssmParameters ${names.parameter('GOOGLE_API_KEY')}`);
    expect(during).toContain(`${settings.systemRegion ?? 'us-west-2'} lambdaFunctions ${names.remoteFunction}`);
    expect(during.filter((line) => line.includes(' eventRules '))).toHaveLength(6);
    // The remote framework's resources are on its ledger row, which teardown deletes exactly.
    const remoteLedger = JSON.parse((await store.get(Tables.resourceLedger, REMOTE_FRAMEWORK_LEDGER_KEY)) ?? '{"resources":[]}') as { resources: Array<{ kind: string; name: string }> };
    expect(remoteLedger.resources.map((entry) => `${entry.kind} ${entry.name}`).sort()).toEqual(
      [
        ...TIMERS.map((timer) => `rule ${timer.name}`),
        `function ${names.remoteFunction}`,
        `log-group ${lambdaLogGroup(names.remoteFunction)}`,
        `parameter ${names.parameter('GOOGLE_API_KEY')}`,
        `role ${names.remoteRole}`,
      ].sort(),
    );
    // Each copy's log group exists before its first run, with the default retention of 30 days.
    for (const region of [HOME, ...TARGETS]) {
      const groups = await clients.logs(region).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: lambdaLogGroup(`${names.prefix}small_sync_example-`) }));
      expect(groups.logGroups?.length, region).toBeGreaterThan(0);
      for (const group of groups.logGroups ?? []) expect([group.logGroupName, group.retentionInDays]).toEqual([group.logGroupName, 30]);
    }

    const teardown = await ok(['teardown_framework', '-y', '--provider', 'aws']);
    // What it deleted of the remote framework is listed, as for the workflows.
    const lines = teardown.stdout.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        ...TIMERS.map((timer) => `Removed timer ${timer.name}`),
        `Deleted function ${names.remoteFunction}`,
        `Deleted log group ${lambdaLogGroup(names.remoteFunction)}`,
        `Deleted parameter ${names.parameter('GOOGLE_API_KEY')}`,
        `Deleted role ${names.remoteRole}`,
      ]),
    );
    expect(teardown.stdout).toContain(`Removed workflow ${WF}`);
    expect(teardown.stdout).toContain('Framework teardown attempt has been completed.');
    expect(inventoryLines(await inventoryAwsResources(clients, regions))).toEqual([]);
  };

  it('default install and system region (us-west-2)', async () => {
    await lifecycle({});
  });

  it('CARIBOU_SYSTEM_REGION=eu-west-1 and CARIBOU_INSTALL=staging2', async () => {
    await lifecycle({ systemRegion: 'eu-west-1', install: 'staging2' });
  });

  it('what could not be removed is listed with the command that retries; the retry leaves nothing', async () => {
    const { clients, regions, cli, ok, projectDir, endpoint } = await start({ install: 'faulty' });
    await ok(['deploy', '-p', projectDir]);
    // SQS refuses every queue deletion (a 500 through a proxy in front of moto).
    proxy = await startFaultProxy(endpoint, (request) => (request.operation === 'DeleteQueue' ? 'server-error' : undefined));
    const failed = await cli(['teardown_framework', '-y', '--provider', 'aws'], { CARIBOU_AWS_ENDPOINT: proxy.endpoint });
    expect(failed.code).toBe(1);
    // No remote framework was deployed: teardown names none of its parts, nor timers that never were.
    expect(failed.stdout).not.toMatch(/timer/i);
    expect(failed.stdout).not.toContain(clients.names.remoteFunction);
    expect(failed.stdout).toContain(`Removed workflow ${WF}`);
    expect(failed.stdout).toContain(`Not removed (the ledgers keep them for the next attempt):\n  Could not remove failure-destination faulty_failed_invocations in aws:${HOME}: `);
    expect(failed.stderr).toBe(`Error: 1 resource(s) could not be removed; retry with: CARIBOU_AWS_ENDPOINT=${proxy.endpoint} caribou teardown_framework --yes --provider aws --install faulty\n`);
    // The queue is all that is left, and the framework tables (system region) that remember it.
    const left = inventoryLines(await inventoryAwsResources(clients, regions));
    expect(left.filter((line) => !line.startsWith('us-west-2 dynamodbTables faulty_'))).toEqual([
      expect.stringMatching(new RegExp(`^${HOME} sqsQueues .*/faulty_failed_invocations$`)),
    ]);

    await ok(['teardown_framework', '-y', '--provider', 'aws']);
    expect(inventoryLines(await inventoryAwsResources(clients, regions))).toEqual([]);
  });
});
