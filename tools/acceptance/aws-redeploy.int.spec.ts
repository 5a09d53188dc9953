import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { diffAwsInventories, DynamoDbKeyValueStore, DynamoDbSyncStoreProvider, inventoryAwsResources, LambdaFunctionPlatform, lambdaLogGroup, SqsFailureDestinations, type AwsClients, type AwsInventory } from '@caribou/adapter-aws';
import { awsExampleProject, emulatorClients, smallSyncExampleOnAws } from '@caribou/adapter-aws/testing';
import { FRAMEWORK_TABLES, type DeployChange } from '@caribou/application';
import { runCli, type CliResult } from '@caribou/cli/testing';
import { formatTime, Tables } from '@caribou/domain-common';
import type { StagedPlan } from '@caribou/domain-workflow';

const { example: EXAMPLE, home: HOME, movedTo: MOVED_TO, system: SYSTEM, regions: REGIONS, version: VERSION, workflowId: WF, prefix: PREFIX } = smallSyncExampleOnAws('0.5.0');
const aws = (region: string) => ({ provider: 'aws', region });
const COPIES = [
  { region: HOME, name: `${PREFIX}-initial_function_aws-${HOME}` },
  { region: HOME, name: `${PREFIX}-syncFunction_aws-${HOME}` },
  { region: HOME, name: `${PREFIX}-secondSyncFunction_aws-${HOME}` },
  { region: MOVED_TO, name: `${PREFIX}-initial_function_aws-${MOVED_TO}` },
];

interface DeployJson {
  workflow_id: string;
  outcome: string;
  changes: DeployChange[];
}

describe('deploy of a deployed workflow on moto: update in place, unchanged, --dry-run, rollback', () => {
  const endpoint = inject('awsEndpoint');
  const env = { CARIBOU_AWS_ENDPOINT: endpoint, CARIBOU_SYSTEM_REGION: SYSTEM, GOOGLE_API_KEY: '', ELECTRICITY_MAPS_AUTH_TOKEN: '' };
  const cli = (args: string[]): Promise<CliResult> => runCli(args, { env });
  const deployJson = async (...extra: string[]): Promise<DeployJson> => {
    const result = await cli(['deploy', '-p', projectDir, '--json', ...extra]);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as DeployJson;
  };
  let clients: AwsClients;
  let platform: LambdaFunctionPlatform;
  let projectDir: string;
  let empty: AwsInventory;
  /** What each copy runs: the CodeSha256 of the version its release alias points at. */
  const running = async () => Object.fromEntries(await Promise.all(COPIES.map(async (c) => [c.name, await platform.activeCodeSha256(aws(c.region), c.name)] as const)));
  const inventory = () => inventoryAwsResources(clients, REGIONS);

  beforeAll(async () => {
    clients = emulatorClients({ systemRegion: SYSTEM });
    platform = new LambdaFunctionPlatform(clients);
    const store = new DynamoDbKeyValueStore(clients);
    await store.ensureTables(FRAMEWORK_TABLES);
    const sync = new DynamoDbSyncStoreProvider(clients);
    // What a region's workflows share (sync tables, the on-failure queue) outlives each workflow.
    const queues = new SqsFailureDestinations(clients);
    for (const region of [HOME, MOVED_TO]) {
      await sync.ensureSyncTables(aws(region));
      await queues.ensure(aws(region));
    }
    projectDir = awsExampleProject(EXAMPLE, { home: HOME, regions: [MOVED_TO], version: VERSION });
    empty = await inventory();
  });

  afterAll(async () => {
    await cli(['remove', WF, '--provider', 'aws']);
    clients.destroy();
    rmSync(projectDir, { recursive: true, force: true });
  });

  it('a first deploy: --dry-run lists the roles and functions deploy then creates, and creates nothing itself', async () => {
    const planned = await deployJson('--dry-run');
    expect(planned.outcome).toBe('planned');
    expect(await inventory()).toEqual(empty);
    const deployed = await deployJson();
    expect(deployed.outcome).toBe('deployed');
    expect(deployed.changes).toEqual(planned.changes);
    const { added, removed } = diffAwsInventories(empty, await inventory());
    expect(removed).toEqual([]);
    const created = (kind: string) => added.filter((line) => line.split(' ')[1] === kind).map((line) => line.split(' ')[2]).sort();
    // AWS names carry the install's prefix.
    expect(created('lambdaFunctions')).toEqual(planned.changes.filter((c) => c.kind === 'function').map((c) => clients.names.functionName(c.name)).sort());
    expect(created('iamRoles')).toEqual(planned.changes.filter((c) => c.kind === 'role').map((c) => clients.names.roleName(c.name)).sort());

    // A migrated copy, so that updates and rollbacks are shown to reach every region.
    const staged: StagedPlan = {
      time_keys_to_staging_area_data: { '0': { [`${PREFIX}-initial_function:entry_point:0`]: { provider_region: aws(MOVED_TO) } } },
      deployment_metrics: {},
      expiry_time: formatTime(Date.UTC(2099, 0, 1)),
    };
    await new DynamoDbKeyValueStore(clients).put(Tables.workflowPlacementSolverStagingArea, WF, JSON.stringify(staged));
    const migrate = await cli(['run_deployment_migrator', '--provider', 'aws']);
    expect(migrate.code, migrate.stderr).toBe(0);
    for (const copy of COPIES) {
      expect(await platform.activeCodeSha256(aws(copy.region), copy.name), copy.name).toBeDefined();
      // Runs invoke the alias: its asynchronous retries and on-failure destination are the function's.
      const lambda = clients.lambda(copy.region);
      const FunctionName = clients.names.functionName(copy.name);
      const onFunction = await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName }));
      const onAlias = await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName, Qualifier: 'caribou' }));
      expect(onAlias.DestinationConfig?.OnFailure?.Destination, copy.name).toBe(onFunction.DestinationConfig?.OnFailure?.Destination);
      expect(onAlias.MaximumRetryAttempts, copy.name).toBe(onFunction.MaximumRetryAttempts);
    }
  });

  let firstRelease: Record<string, string | undefined>;
  let beforeUpdate: AwsInventory;

  it('deploy again without a change says unchanged and changes nothing', async () => {
    firstRelease = await running();
    beforeUpdate = await inventory();
    const again = await cli(['deploy', '-p', projectDir]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(`Workflow ${WF} is unchanged: nothing to update (deployed release kept)\n`);
    expect(await running()).toEqual(firstRelease);
    expect(await inventory()).toEqual(beforeUpdate);
  });

  it('after editing src/app.ts: --dry-run changes nothing and lists exactly what deploy then does; every copy runs new code', async () => {
    const appPath = join(projectDir, 'src', 'app.ts');
    const app = readFileSync(appPath, 'utf8');
    const marker = 'function readFlags(event: unknown): Flags {\n';
    expect(app).toContain(marker);
    writeFileSync(appPath, app.replace(marker, `${marker}  if (event === 'release-2') return {};\n`));

    const planned = await deployJson('--dry-run');
    expect(planned.outcome).toBe('planned');
    expect([...planned.changes].sort(byName)).toEqual(COPIES.map((c): DeployChange => ({ action: 'update', kind: 'function', region: `aws:${c.region}`, name: c.name })).sort(byName));
    expect(await inventory()).toEqual(beforeUpdate);
    expect(await running()).toEqual(firstRelease);

    const updated = await deployJson();
    expect(updated.outcome).toBe('updated');
    expect([...updated.changes].sort(byName)).toEqual([...planned.changes].sort(byName));
    // What the deploy did: nothing created or deleted, the code of exactly the listed copies replaced.
    expect(diffAwsInventories(beforeUpdate, await inventory())).toEqual({ added: [], removed: [] });
    const now = await running();
    const changed = COPIES.filter((c) => now[c.name] !== firstRelease[c.name]).map((c) => c.name).sort();
    expect(changed).toEqual(planned.changes.filter((c) => c.kind === 'function').map((c) => c.name).sort());
    // One package for every copy, home and migrated.
    expect(new Set(Object.values(now)).size).toBe(1);

    const again = await cli(['deploy', '-p', projectDir]);
    expect(again.stdout).toBe(`Workflow ${WF} is unchanged: nothing to update (deployed release kept)\n`);
    expect(await running()).toEqual(now);
  });

  it('rollback makes every copy run the previous code again; with no earlier release it says so in one line', async () => {
    const rollback = await cli(['rollback', WF, '--provider', 'aws']);
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(rollback.stdout.split('\n')[0]).toBe(`Workflow ${WF} runs release 1 again: ${COPIES.length} copies switched back`);
    expect(await running()).toEqual(firstRelease);
    expect(diffAwsInventories(beforeUpdate, await inventory())).toEqual({ added: [], removed: [] });

    const none = await cli(['rollback', WF, '--provider', 'aws']);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(`Error: ${WF} has no earlier release to roll back to (deploy keeps the last 3; each deploy that changed something is one)\n`);
  });

  it('every copy has a log group kept 30 days; setting log_retention_days and deploying again applies it to every copy, home and migrated', async () => {
    const retention = async () =>
      Object.fromEntries(
        await Promise.all(
          COPIES.map(async (c) => {
            const name = lambdaLogGroup(clients.names.functionName(c.name));
            const groups = await clients.logs(c.region).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
            return [c.name, groups.logGroups?.find((group) => group.logGroupName === name)?.retentionInDays] as const;
          }),
        ),
      );
    expect(Object.values(await retention())).toEqual(COPIES.map(() => 30));
    const configPath = join(projectDir, '.caribou', 'config.yml');
    const config = readFileSync(configPath, 'utf8');
    writeFileSync(configPath, config.replace('      config:\n', '      config:\n        log_retention_days: 7\n'));
    const updated = await deployJson();
    expect(updated.outcome).toBe('updated');
    expect(Object.values(await retention())).toEqual(COPIES.map(() => 7));
  });
});

const byName = (a: DeployChange, b: DeployChange): number => a.name.localeCompare(b.name) || a.kind.localeCompare(b.kind);
