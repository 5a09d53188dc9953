import { rmSync } from 'node:fs';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_TOKENS, inventoryAwsResources, type AwsAdapterSet, type AwsClients, type AwsInventory } from '@caribou/adapter-aws';
import { awsExampleProject, emulatorClients, smallSyncExampleOnAws } from '@caribou/adapter-aws/testing';
import { FileSystemProjectLoader } from '@caribou/adapter-project';
import { DeployWorkflowService, FRAMEWORK_TABLES, type MigrateDeploymentsService, type RemoveWorkflowService, type DeployableProject } from '@caribou/application';
import { FixedClock } from '@caribou/application/testing';
import { createContainer, SERVICES, type CaribouContainer } from '@caribou/cli/composition';
import { DEFAULT_LAMBDA_RUNTIME, formatTime, Tables, type ProviderRegion } from '@caribou/domain-common';
import { parsePlacementDecision, type StagedPlan } from '@caribou/domain-workflow';
import { TOKENS, type FunctionPlatform, type IdentityManager, type KeyValueStore, type PackageBuilder, type ProgressReporter } from '@caribou/ports';
import { inject } from 'vitest';

type Adapters = Pick<AwsAdapterSet, 'store' | 'syncStores' | 'platform' | 'identity' | 'logs' | 'failureDestinations'>;

/** The adapters the aws container bound (the concrete AWS classes behind the port tokens). */
function boundAdapters(container: CaribouContainer): Adapters {
  return container.get(AWS_TOKENS.Adapters);
}

const { example: EXAMPLE, home: HOME, movedTo: MOVED_TO, system: SYSTEM, regions: REGIONS, version: VERSION, workflowId: WF, prefix: PREFIX, instances: { entry: E, sync: S, secondSync: T } } = smallSyncExampleOnAws('0.1.0');
const FUNCTIONS = ['initial_function', 'syncFunction', 'secondSyncFunction'].map((fn) => `${PREFIX}-${fn}_aws-${HOME}`);
const aws = (region: string): ProviderRegion => ({ provider: 'aws', region });

/**
 * The framework's own shared tables: the system tables (setup_tables / the first deploy)
 * and each region's two sync tables (created with the first function there, kept for
 * every workflow; spec §5.3 leaves them to TTL). They exist before the "before" inventory.
 */
async function provisionSharedTables(adapters: Adapters): Promise<void> {
  await adapters.store.ensureTables(FRAMEWORK_TABLES);
  for (const region of [HOME, MOVED_TO]) {
    await adapters.syncStores.ensureSyncTables(aws(region));
    // Each region's on-failure queue is shared the same way (remove keeps it, teardown_framework deletes it).
    await adapters.failureDestinations.ensure(aws(region));
  }
}

async function workflowRows(store: KeyValueStore): Promise<string[]> {
  const rows: string[] = [];
  for (const table of FRAMEWORK_TABLES) for (const key of await store.keys(table)) if (key.startsWith('small_sync_example')) rows.push(`${table}[${key}]`);
  return rows;
}

const quiet: ProgressReporter = { step: (_title, work) => work(() => undefined), info: () => undefined, warn: () => undefined };

describe('the aws provider on moto: deploy, migrate, remove (small_sync_example)', () => {
  let container: CaribouContainer;
  let adapters: Adapters;
  let clients: AwsClients;
  let project: DeployableProject;
  let projectDir: string;
  let before: AwsInventory;
  let account: string;

  beforeAll(async () => {
    container = await createContainer('aws', { ...process.env, CARIBOU_AWS_ENDPOINT: inject('awsEndpoint'), CARIBOU_SYSTEM_REGION: SYSTEM });
    adapters = boundAdapters(container);
    clients = emulatorClients({ systemRegion: SYSTEM });
    account = await clients.accountId();
    projectDir = awsExampleProject(EXAMPLE, { home: HOME, regions: [MOVED_TO], version: VERSION });
    project = await new FileSystemProjectLoader().load(projectDir);
    await provisionSharedTables(adapters);
    before = await inventoryAwsResources(clients, REGIONS);
  });

  afterAll(async () => {
    await container.close();
    clients.destroy();
    rmSync(projectDir, { recursive: true, force: true });
  });

  it('deploys three zip functions with roles in the home region and records them', async () => {
    const result = await container.get<DeployWorkflowService>(SERVICES.Deploy).deploy(project);
    expect(result.functions.map((f) => f.name).sort()).toEqual([...FUNCTIONS].sort());
    for (const fn of result.functions) expect(fn.identifier).toBe(`arn:aws:lambda:${HOME}:${account}:function:${clients.names.functionName(fn.name)}:caribou`);
    const configuration = await adapters.platform.getConfiguration(aws(HOME), FUNCTIONS[0]!);
    expect(configuration).toMatchObject({
      packageType: 'Zip',
      runtime: DEFAULT_LAMBDA_RUNTIME,
      handler: 'index.handler',
      memoryMb: 128,
      timeoutSeconds: 60,
      environment: { CARIBOU_WORKFLOW_FUNCTION: 'initial_function', CARIBOU_ENTRY_POINT: 'true', CARIBOU_SYSTEM_REGION: SYSTEM, CARIBOU_INSTALL: 'caribou' },
    });
    // One role per function, shared by its region copies.
    for (const fn of ['initial_function', 'syncFunction', 'secondSyncFunction']) expect(await adapters.identity.roleExists(aws(HOME), `${PREFIX}-${fn}-role`)).toBe(true);
    const store = adapters.store;
    const ledger = JSON.parse((await store.get(Tables.resourceLedger, WF))!) as { status: string; resources: unknown[] };
    expect(ledger.status).toBe('deployed');
    // Per function: its role, its log group (created first, with a retention) and the function.
    expect((ledger.resources as Array<{ kind: string }>).map((entry) => entry.kind).sort()).toEqual([...Array(3).fill('function'), ...Array(3).fill('log-group'), ...Array(3).fill('role')]);
    const wpd = parsePlacementDecision((await store.get(Tables.workflowPlacementDecision, WF))!, WF);
    expect(wpd.current_instance_name).toBe(E);
    expect(await store.has(Tables.deploymentManagerResource, WF)).toBe(true);
  });

  it('migrates the entry point to ca-central-1 from a staged plan: copy with the function role, sync tables, published plan', async () => {
    const store = adapters.store;
    const at = (region: string) => ({ provider_region: aws(region) });
    const staged: StagedPlan = {
      time_keys_to_staging_area_data: { '0': { [E]: at(MOVED_TO), [S]: at(HOME), [T]: at(HOME) } },
      deployment_metrics: {},
      expiry_time: formatTime(Date.UTC(2099, 0, 1)),
    };
    await store.put(Tables.workflowPlacementSolverStagingArea, WF, JSON.stringify(staged));
    const [report] = await container.get<MigrateDeploymentsService>(SERVICES.Migrate).migrate();
    expect(report!.actions.map((a) => a.kind)).toEqual(['copy-function', 'publish-plan']);
    const moved = `${PREFIX}-initial_function_aws-${MOVED_TO}`;
    const copy = await clients.lambda(MOVED_TO).send(new GetFunctionCommand({ FunctionName: clients.names.functionName(moved) }));
    const original = await clients.lambda(HOME).send(new GetFunctionCommand({ FunctionName: clients.names.functionName(FUNCTIONS[0]!) }));
    // The same package, uploaded from the deploy's own build (registered with the copier), not downloaded.
    expect(copy.Configuration?.CodeSha256).toBe(original.Configuration?.CodeSha256);
    expect(copy.Configuration?.Environment?.Variables).toMatchObject({ CARIBOU_WORKFLOW_FUNCTION: 'initial_function', CARIBOU_ENTRY_POINT: 'true' });
    // The copy runs as its function's role: no role per copy.
    expect(copy.Configuration?.Role).toBe(original.Configuration?.Role);
    expect(await adapters.identity.roleExists(aws(MOVED_TO), `${moved}-role`)).toBe(false);
    const wpd = parsePlacementDecision((await store.get(Tables.workflowPlacementDecision, WF))!, WF);
    const plan = wpd.workflow_placement.current_deployment!;
    expect(plan.time_keys).toEqual(['0']);
    expect(plan.instances['0']![E]).toMatchObject({ provider_region: aws(MOVED_TO), identifier: `arn:aws:lambda:${MOVED_TO}:${account}:function:${clients.names.functionName(moved)}:caribou` });
    expect(await store.has(Tables.workflowPlacementSolverStagingArea, WF)).toBe(false);
  });

  it('removes every region copy, role and row: the account is as it was before the deploy', async () => {
    const lines: string[] = [];
    const result = await container.get<RemoveWorkflowService>(SERVICES.Remove).remove(WF, (line) => lines.push(line));
    expect(result.failures).toEqual([]);
    expect(lines).toContain(`Removed function ${PREFIX}-initial_function_aws-${MOVED_TO} from provider aws in region ${MOVED_TO}`);
    expect(lines.at(-1)).toBe(`Removed workflow ${WF}`);
    expect(await inventoryAwsResources(clients, REGIONS)).toEqual(before);
    expect(await workflowRows(adapters.store)).toEqual([]);
  });

  describe('a failure at any deploy step leaves nothing behind', () => {
    class InjectedFailure extends Error {}

    /** The real adapter, except that the chosen call fails (before or after the real call). */
    function failing<T extends object>(target: T, method: keyof T & string, shouldFail: (args: unknown[], call: number) => 'before' | 'after' | undefined): T {
      let calls = 0;
      return new Proxy(target, {
        get(object, property, receiver) {
          const value = Reflect.get(object, property, receiver) as unknown;
          if (property !== method || typeof value !== 'function') return typeof value === 'function' ? value.bind(object) : value;
          return async (...args: unknown[]) => {
            calls += 1;
            const when = shouldFail(args, calls);
            if (when === 'before') throw new InjectedFailure(`injected failure before ${method} #${calls}`);
            const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(object, args);
            if (when === 'after') throw new InjectedFailure(`injected failure after ${method} #${calls}`);
            return result;
          };
        },
      });
    }

    type Injection = { store?: KeyValueStore; identity?: IdentityManager; platform?: FunctionPlatform };
    const injections: Array<[string, (a: Adapters) => Injection]> = [
      ...[1, 2, 3].map((n): [string, (a: Adapters) => Injection] => [
        `creating role ${n} of 3`,
        (a) => ({ identity: failing(a.identity, 'ensureRole', (_args, call) => (call === n ? 'before' : undefined)) }),
      ]),
      [
        'creating role 3 of 3 (it exists, then the call fails)',
        (a) => ({ identity: failing(a.identity, 'ensureRole', (_args, call) => (call === 3 ? 'after' : undefined)) }),
      ],
      ...[1, 2, 3].map((n): [string, (a: Adapters) => Injection] => [
        `creating function ${n} of 3 (the call fails)`,
        (a) => ({ platform: failing(a.platform, 'createOrUpdate', (_args, call) => (call === n ? 'before' : undefined)) }),
      ]),
      ...[1, 2, 3].map((n): [string, (a: Adapters) => Injection] => [
        `creating function ${n} of 3 (it exists, then the wait fails)`,
        (a) => ({ platform: failing(a.platform, 'createOrUpdate', (_args, call) => (call === n ? 'after' : undefined)) }),
      ]),
      ...[Tables.deploymentResources, Tables.workflowPlacementDecision, Tables.deploymentManagerResource].map((table): [string, (a: Adapters) => Injection] => [
        `writing ${table}`,
        (a) => ({ store: failing(a.store, 'put', (args) => (args[0] === table ? 'before' : undefined)) }),
      ]),
    ];

    it.each(injections)('%s', async (_label, inject) => {
      const injected = inject(adapters);
      const store = injected.store ?? adapters.store;
      const deploy = new DeployWorkflowService({
        store,
        platform: injected.platform ?? adapters.platform,
        identity: injected.identity ?? adapters.identity,
        packages: container.get<PackageBuilder>(TOKENS.PackageBuilder),
        syncStores: adapters.syncStores,
        progress: quiet,
        clock: new FixedClock(Date.UTC(2026, 11, 3)),
        logs: adapters.logs,
      });
      await expect(deploy.deploy(project)).rejects.toThrow(`Deploy of ${WF} failed and was rolled back: injected failure`);
      expect(await inventoryAwsResources(clients, REGIONS)).toEqual(before);
      expect(await adapters.store.has(Tables.resourceLedger, WF)).toBe(false);
      expect(await workflowRows(adapters.store)).toEqual([]);
    });
  });
});
