import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AwsEnabledRegions, DynamoDbKeyValueStore, inventoryAwsResources, type AwsClients, type AwsInventory } from '@caribou/adapter-aws';
import { awsExampleProject, emulatorClients, smallSyncExampleOnAws } from '@caribou/adapter-aws/testing';
import { runCli, type CliResult } from '@caribou/cli/testing';
import { formatTime, Tables } from '@caribou/domain-common';
import { parsePlacementDecision, type StagedPlan } from '@caribou/domain-workflow';

const { example: EXAMPLE, home: HOME, movedTo: ENABLED, system: SYSTEM, version: VERSION, workflowId: WF, instances: { entry: E } } = smallSyncExampleOnAws('0.5.0');
/** An opt-in region: moto's DescribeRegions reports it `not-opted-in`, as AWS does for an account that has not opted in. */
const OPT_IN = 'ca-west-1';
const aws = (region: string) => ({ provider: 'aws', region });
const NOT_ENABLED = `aws:${OPT_IN} is not enabled for this AWS account (an opt-in region it has not opted into; enable it in the account's Regions settings)`;

describe('regions the account has not enabled (EC2 DescribeRegions on moto)', () => {
  const env = { CARIBOU_AWS_ENDPOINT: inject('awsEndpoint'), CARIBOU_SYSTEM_REGION: SYSTEM, GOOGLE_API_KEY: '', ELECTRICITY_MAPS_AUTH_TOKEN: '' };
  const cli = (args: string[]): Promise<CliResult> => runCli(args, { env });
  let clients: AwsClients;
  let store: DynamoDbKeyValueStore;
  const projects: string[] = [];
  const project = (home: string, regions: string[]) => {
    const dir = awsExampleProject(EXAMPLE, { home, regions, version: VERSION });
    projects.push(dir);
    return dir;
  };
  let optInBefore: AwsInventory;

  beforeAll(async () => {
    clients = emulatorClients({ systemRegion: SYSTEM });
    store = new DynamoDbKeyValueStore(clients);
    optInBefore = await inventoryAwsResources(clients, [OPT_IN]);
  });

  afterAll(() => {
    clients.destroy();
    for (const dir of projects) rmSync(dir, { recursive: true, force: true });
  });

  it('moto reports the opt-in region as not enabled and the others as enabled', async () => {
    const enabled = await new AwsEnabledRegions(clients).list();
    expect([enabled.has(HOME), enabled.has(ENABLED), enabled.has(SYSTEM), enabled.has(OPT_IN)]).toEqual([true, true, true, false]);
  });

  it('deploy refuses a home region the account has not enabled, in one line, creating nothing', async () => {
    const deploy = await cli(['deploy', '-p', project(OPT_IN, [ENABLED])]);
    expect(deploy.code).toBe(1);
    expect(deploy.stderr).toBe(`Error: home_region: ${NOT_ENABLED}; choose another home region\n`);
    expect(await inventoryAwsResources(clients, [OPT_IN])).toEqual(optInBefore);
    expect(await store.has(Tables.deploymentManagerResource, WF)).toBe(false);
  });

  it('deploy notes an allowed region that is not enabled; a staged plan placing a function there is never migrated to', async () => {
    const deploy = await cli(['deploy', '-p', project(HOME, [ENABLED, OPT_IN])]);
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(deploy.stderr).toContain(`regions_and_providers.allowed_regions: ${NOT_ENABLED}; plans leave it out\n`);
    const decisionBefore = await store.get(Tables.workflowPlacementDecision, WF);

    const stage = async (region: string) => {
      const staged: StagedPlan = {
        time_keys_to_staging_area_data: { '0': { [E]: { provider_region: aws(region) } } },
        deployment_metrics: {},
        expiry_time: formatTime(Date.UTC(2099, 0, 1)),
      };
      await store.put(Tables.workflowPlacementSolverStagingArea, WF, JSON.stringify(staged));
    };
    await stage(OPT_IN);
    for (const dryRun of [['--dry-run'], []]) {
      const migrate = await cli(['run_deployment_migrator', '--provider', 'aws', ...dryRun]);
      expect(migrate.code, dryRun.join(' ')).toBe(1);
      expect(migrate.stderr.trim().split('\n').filter((line) => line.startsWith('Error'))).toEqual([
        `Error: Migration failed for ${WF}: The plan staged for ${WF} is not applied: it places functions in ${NOT_ENABLED}; caribou manage_deployments plans without it`,
      ]);
    }
    // Nothing in the region (IAM is global: the deploy's roles are there, as they were before the migration).
    expect((await inventoryAwsResources(clients, [OPT_IN])).regions[OPT_IN]).toEqual(optInBefore.regions[OPT_IN]);
    expect(await store.get(Tables.workflowPlacementDecision, WF)).toBe(decisionBefore);

    // The same plan to an enabled region is applied: it was the region that was refused.
    await stage(ENABLED);
    const migrate = await cli(['run_deployment_migrator', '--provider', 'aws']);
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(parsePlacementDecision((await store.get(Tables.workflowPlacementDecision, WF))!, WF).workflow_placement.current_deployment?.time_keys).toEqual(['0']);

    const removed = await cli(['remove', WF, '--provider', 'aws']);
    expect(removed.code, removed.stderr).toBe(0);
  });
});
