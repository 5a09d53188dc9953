import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoDbKeyValueStore, InstallNamespace, listInstallResources, type AwsClients, type InstallResource, type InstallResourceType } from '@caribou/adapter-aws';
import { awsExampleProject, emulatorClients, smallSyncExampleOnAws } from '@caribou/adapter-aws/testing';
import { runCli, type CliResult } from '@caribou/cli/testing';
import { formatTime, Tables } from '@caribou/domain-common';
import type { StagedPlan } from '@caribou/domain-workflow';

const { example: EXAMPLE, home: HOME, movedTo: MOVED_TO, system: SYSTEM, regions: REGIONS, version: VERSION, workflowId: WF, prefix: PREFIX } = smallSyncExampleOnAws('0.7.0');
const aws = (region: string) => ({ provider: 'aws', region });
/** Two installs in one account and region, as issue 13 asks (`CARIBOU_INSTALL=a` and `=b`). */
const INSTALLS = ['a', 'b'] as const;
type Install = (typeof INSTALLS)[number];

/** Every kind of resource the test expects each install to own after deploy, migrate, timers and deploy_remote_cli (zip packaging makes no repository). */
const EXPECTED_TYPES: InstallResourceType[] = ['dynamodb-table', 'event-rule', 'iam-role', 'lambda-function', 'log-group', 'sqs-queue', 'ssm-parameter'];

/** The tags a resource must carry: install and managed-by always; workflow and version on what belongs to the workflow. */
function expectedTags(install: Install, resource: InstallResource): Record<string, string> {
  const belongsToWorkflow = resource.name.includes(PREFIX);
  return {
    'caribou:install': install,
    'caribou:managed-by': 'caribou',
    ...(belongsToWorkflow ? { 'caribou:workflow': 'small_sync_example', 'caribou:version': VERSION } : {}),
  };
}

/*
 * Issue 13: two installs side by side in one account and region on moto, each with the remote
 * framework (and its API key parameter), timers and a workflow deployed and migrated to a
 * second region. Every resource of each carries the tags that apply. Tearing one down leaves
 * every resource of the other as it was, and the other still lists, runs and reaches its
 * remote framework.
 */
describe('two installs in one account and region (moto)', () => {
  const endpoint = inject('awsEndpoint');
  const env = (install: Install): Record<string, string> => ({
    CARIBOU_AWS_ENDPOINT: endpoint,
    CARIBOU_SYSTEM_REGION: SYSTEM,
    CARIBOU_INSTALL: install,
    GOOGLE_API_KEY: `key-of-${install}`,
    ELECTRICITY_MAPS_AUTH_TOKEN: '',
  });
  const cli = async (install: Install, args: string[]): Promise<CliResult> => {
    const result = await runCli(args, { env: env(install) });
    expect(result.code, `${install}: caribou ${args.join(' ')}\n${result.stderr}`).toBe(0);
    return result;
  };
  const clients = {} as Record<Install, AwsClients>;
  const resources = {} as Record<Install, InstallResource[]>;
  let projectDir: string;

  beforeAll(async () => {
    projectDir = awsExampleProject(EXAMPLE, { home: HOME, regions: [MOVED_TO], version: VERSION });
    for (const install of INSTALLS) {
      clients[install] = emulatorClients({ systemRegion: SYSTEM, install });
      await cli(install, ['deploy_remote_cli', '-m', '256', '-t', '60', '-s', '512']);
      await cli(install, ['setup_all_timers', '--provider', 'aws']);
      await cli(install, ['deploy', '-p', projectDir]);
      const staged: StagedPlan = {
        time_keys_to_staging_area_data: { '0': { [`${PREFIX}-initial_function:entry_point:0`]: { provider_region: aws(MOVED_TO) } } },
        deployment_metrics: {},
        expiry_time: formatTime(Date.UTC(2099, 0, 1)),
      };
      await new DynamoDbKeyValueStore(clients[install]).put(Tables.workflowPlacementSolverStagingArea, WF, JSON.stringify(staged));
      const migrate = await cli(install, ['run_deployment_migrator', '--provider', 'aws']);
      expect(migrate.stdout).toContain(`${WF}: migrated`);
      resources[install] = await listInstallResources(clients[install], REGIONS);
    }
    // About a dozen CLI processes, each composing the AWS provider: minutes on a loaded machine.
  }, 1_200_000);

  afterAll(async () => {
    for (const install of INSTALLS) {
      await runCli(['teardown_framework', '--yes', '--provider', 'aws'], { env: env(install) });
      clients[install]?.destroy();
    }
    rmSync(projectDir, { recursive: true, force: true });
  }, 600_000);

  it('each install owns its own function copies (home and migrated), roles, tables, queue, rules and parameter, named by its prefix', () => {
    for (const install of INSTALLS) {
      const mine = resources[install];
      expect([...new Set(mine.map((resource) => resource.type))].sort(), install).toEqual(EXPECTED_TYPES);
      expect(mine.filter((resource) => resource.type === 'log-group').map((resource) => resource.name), install).toContain(`/aws/lambda/${install}_cli`);
      const names = new InstallNamespace(install);
      const functions = mine.filter((resource) => resource.type === 'lambda-function').map((resource) => `${resource.region} ${resource.name}`);
      expect(functions, install).toEqual(
        expect.arrayContaining([`${SYSTEM} ${install}_cli`, `${HOME} ${names.functionName(`${PREFIX}-initial_function_aws-${HOME}`)}`, `${MOVED_TO} ${names.functionName(`${PREFIX}-initial_function_aws-${MOVED_TO}`)}`]),
      );
      expect(mine.filter((resource) => resource.type === 'ssm-parameter').map((resource) => resource.name), install).toEqual([`/${install}/GOOGLE_API_KEY`]);
      expect(mine.filter((resource) => resource.type === 'sqs-queue').map((resource) => resource.name), install).toContain(`${install}_failed_invocations`);
    }
    // Neither list holds anything of the other: the prefixes cannot overlap.
    const keys = (install: Install) => new Set(resources[install].map((resource) => `${resource.type} ${resource.region} ${resource.name}`));
    expect([...keys('a')].filter((key) => keys('b').has(key))).toEqual([]);
  });

  it('every resource carries the tags that apply: install and managed-by, workflow and version on the workflow\'s', () => {
    const untagged = INSTALLS.flatMap((install) =>
      resources[install].flatMap((resource) => {
        const expected = expectedTags(install, resource);
        const missing = Object.entries(expected).filter(([key, value]) => resource.tags[key] !== value);
        return missing.length > 0 ? [`${resource.type} ${resource.region} ${resource.name}: ${missing.map(([key, value]) => `${key}=${value}`).join(', ')} (has ${JSON.stringify(resource.tags)})`] : [];
      }),
    );
    expect(untagged).toEqual([]);
  });

  it('the framework ledger names the install\'s own on-failure queues', async () => {
    for (const install of INSTALLS) {
      const ledger = JSON.parse((await new DynamoDbKeyValueStore(clients[install]).get(Tables.resourceLedger, 'caribou-framework')) ?? '{}') as { resources?: Array<{ kind: string; name: string }> };
      const destinations = (ledger.resources ?? []).filter((entry) => entry.kind === 'failure-destination');
      expect(destinations.length, install).toBeGreaterThan(0);
      expect(new Set(destinations.map((entry) => entry.name)), install).toEqual(new Set([`${install}_failed_invocations`]));
    }
  });

  it('tearing down install a leaves every resource of install b as it was, and b still works', async () => {
    const teardown = await cli('a', ['teardown_framework', '--yes', '--provider', 'aws']);
    expect(teardown.stdout).toContain('Framework teardown attempt has been completed.');
    expect(await listInstallResources(clients.b, REGIONS)).toEqual(resources.b);

    const list = await cli('b', ['list', '--provider', 'aws']);
    expect(list.stdout.split('\n')).toContain(WF);
    const run = await cli('b', ['run', WF, '-a', '{"execute_1": true}', '--provider', 'aws']);
    expect(run.stdout).toMatch(/Run ID for current run: [0-9a-f]{32}/);
    const remote = await cli('b', ['log_sync', '-r', '--provider', 'aws']);
    expect(remote.stdout).toContain('Running log_sync on the remote framework CLI.');
    expect((await cli('b', ['list_timers', '--provider', 'aws'])).stdout).toContain('log_syncer');

    // Nothing of a is left: its sync tables in every region it used and its log groups went with it.
    expect(await listInstallResources(clients.a, REGIONS)).toEqual([]);
  }, 600_000);
});
