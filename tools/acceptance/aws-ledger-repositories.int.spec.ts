import { afterAll, describe, expect, it } from 'vitest';
import { EcrImageCopier, IamIdentityManager, inventoryAwsResources, LambdaArtifactCopier, LambdaFunctionPlatform } from '@caribou/adapter-aws';
import { emulatorClients, uniqueSuffix } from '@caribou/adapter-aws/testing';
import { recordArtifactStore, RemoveWorkflowService, ResourceLedger } from '@caribou/application';
import { InMemoryKeyValueStore } from '@caribou/application/testing';
import { Tables } from '@caribou/domain-common';

/**
 * Image packages live in ECR repositories that the build (home) and the migrator's image copy
 * (each new region) create. They are on the workflow's ledger, so `remove` (and so
 * `teardown_framework`) deletes them with the functions. moto uploads no image layers, so the
 * repositories are made here as the build and the copy make them.
 */
describe('ECR repositories of image packages are ledger entries (moto)', () => {
  const clients = emulatorClients({ systemRegion: 'us-west-2' });
  afterAll(() => clients.destroy());

  it('the repository of each region an image was built or copied to is recorded once, and remove deletes it', async () => {
    const suffix = uniqueSuffix();
    const workflowId = `imgwf${suffix}-0.1.0`;
    const repository = clients.names.repository(`imgwf${suffix}-0_1_0`);
    const account = await clients.accountId();
    const regions = ['us-east-1', 'eu-west-2'];
    const images = new EcrImageCopier(clients);
    const copier = new LambdaArtifactCopier(clients);
    const store = new InMemoryKeyValueStore();
    const ledger = new ResourceLedger(store, workflowId);
    await ledger.begin();
    // The build's image at home, then the same image copied by a migration (two functions share each).
    for (const region of regions) {
      await images.ensureRepository(region, repository);
      const artifact = { kind: 'image' as const, imageUri: `${account}.dkr.ecr.${region}.amazonaws.com/${repository}:0123456789abcdef` };
      expect(copier.storeOf(artifact)).toEqual({ region: { provider: 'aws', region }, name: repository });
      for (let fn = 0; fn < 2; fn++) await recordArtifactStore(copier, artifact, ledger, region === 'us-east-1' ? 'deploy' : 'migrate');
    }
    // A zip is kept by Lambda itself: nothing to record.
    await recordArtifactStore(copier, { kind: 'zip', path: '/tmp/x.zip', sha256: 'ab' }, ledger, 'deploy');
    expect((await ledger.read())!.resources.map((entry) => [entry.kind, entry.region.region, entry.name, entry.state])).toEqual([
      ['repository', 'us-east-1', repository, 'created'],
      ['repository', 'eu-west-2', repository, 'created'],
    ]);
    const present = async () => Object.entries((await inventoryAwsResources(clients, regions)).regions).filter(([, inventory]) => inventory.ecrRepositories.includes(repository)).map(([region]) => region);
    expect((await present()).sort()).toEqual([...regions].sort());

    await ledger.update((record) => {
      record.status = 'deployed';
    });
    store.seed(Tables.deploymentManagerResource, workflowId, { workflow_id: workflowId, workflow_config: '{}' });
    const lines: string[] = [];
    const removal = await new RemoveWorkflowService({ store, platform: new LambdaFunctionPlatform(clients), identity: new IamIdentityManager(clients), copier }).remove(workflowId, (line) => lines.push(line));
    expect(removal.failures).toEqual([]);
    expect(lines).toContain(`Removed repository ${repository} from provider aws in region eu-west-2`);
    expect(await present()).toEqual([]);
    expect(await ledger.read()).toBeUndefined();
    // A repository already gone is not an error (an interrupted removal resumes).
    await copier.removeStore({ provider: 'aws', region: 'us-east-1' }, repository);
  });
});
