import { CreateLogGroupCommand, DeleteLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DeleteRepositoryCommand } from '@aws-sdk/client-ecr';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoDbKeyValueStore } from './dynamodb/key-value-store';
import { DynamoDbSyncStoreProvider } from './dynamodb/sync-store';
import { EcrImageCopier } from './ecr/image-copier';
import { EventBridgeScheduler } from './events/scheduler';
import { IamIdentityManager } from './iam/identity-manager';
import { diffAwsInventories, inventoryAwsResources } from './inventory';
import { LambdaFunctionPlatform } from './lambda/function-platform';
import { emulatorClients, uniqueSuffix } from './testing/emulator';
import { handlerZipArtifact } from './testing/zip';

describe('inventoryAwsResources on moto', () => {
  const clients = emulatorClients({ systemRegion: 'us-west-2' });
  const suffix = uniqueSuffix();
  const home = { provider: 'aws', region: 'us-west-2' };
  const remote = { provider: 'aws', region: 'eu-west-2' };
  const regions = ['us-west-2', 'eu-west-2'];

  afterAll(() => clients.destroy());

  it('sees every kind of resource Caribou creates appear, and the account return to its previous state after removal', async () => {
    const before = await inventoryAwsResources(clients, regions);

    const identity = new IamIdentityManager(clients);
    const platform = new LambdaFunctionPlatform(clients);
    const store = new DynamoDbKeyValueStore(clients);
    const sync = new DynamoDbSyncStoreProvider(clients);
    const images = new EcrImageCopier(clients);
    const scheduler = new EventBridgeScheduler(clients, { functionName: `caribou_cli_${suffix}` });
    const role = `inv-role-${suffix}`;
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }] });
    const { roleIdentifier } = await identity.ensureRole(home, role, policy);
    const fn = (region: typeof home, name: string) =>
      platform.createOrUpdate({ functionName: name, region, artifact: handlerZipArtifact(), handler: 'h', entryPoint: false, environment: {}, memoryMb: 128, timeoutSeconds: 3, roleIdentifier });
    await fn(home, `cli_${suffix}`);
    await fn(remote, `inv-fn-${suffix}`);
    await store.ensureTables([`inv_table_${suffix}`]);
    await sync.ensureSyncTables(remote);
    await images.ensureRepository('eu-west-2', `inv-repo-${suffix}`);
    await clients.logs('eu-west-2').send(new CreateLogGroupCommand({ logGroupName: `/aws/lambda/caribou_inv-fn-${suffix}` }));
    await scheduler.putTimer(`inv_${suffix}`, 'rate(1 day)', { action: 'log_sync' });

    const during = await inventoryAwsResources(clients, regions);
    const { added, removed } = diffAwsInventories(before, during);
    expect(removed).toEqual([]);
    const syncTablesExisted = before.regions['eu-west-2']!.dynamodbTables.includes('caribou_sync_messages_table');
    // Every name the adapters give carries the install's prefix (`caribou_` by default).
    expect(added).toEqual(
      [
        `global iamRoles caribou_${role}`,
        `us-west-2 lambdaFunctions caribou_cli_${suffix}`,
        `us-west-2 dynamodbTables caribou_inv_table_${suffix}`,
        `us-west-2 eventRules caribou_inv_${suffix}-timer-rule`,
        `eu-west-2 lambdaFunctions caribou_inv-fn-${suffix}`,
        `eu-west-2 ecrRepositories inv-repo-${suffix}`,
        `eu-west-2 logGroups /aws/lambda/caribou_inv-fn-${suffix}`,
        ...(syncTablesExisted
          ? []
          : ['eu-west-2 dynamodbTables caribou_execution_marker_table', 'eu-west-2 dynamodbTables caribou_sync_messages_table', 'eu-west-2 dynamodbTables caribou_sync_predecessor_counter_table']),
      ].sort(),
    );

    await scheduler.removeTimer(`inv_${suffix}`);
    await clients.logs('eu-west-2').send(new DeleteLogGroupCommand({ logGroupName: `/aws/lambda/caribou_inv-fn-${suffix}` }));
    await clients.ecr('eu-west-2').send(new DeleteRepositoryCommand({ repositoryName: `inv-repo-${suffix}`, force: true }));
    if (!syncTablesExisted) await sync.removeSyncTables(remote);
    await store.dropTables([`inv_table_${suffix}`]);
    await platform.remove(remote, `inv-fn-${suffix}`);
    await platform.remove(home, `cli_${suffix}`);
    await identity.removeRole(home, role);

    expect(await inventoryAwsResources(clients, regions)).toEqual(before);
  });
});
