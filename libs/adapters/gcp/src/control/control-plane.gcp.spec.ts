import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createZip } from '@caribou/adapter-archive';
import { failedInvocationOf } from '@caribou/domain-routing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GcpClients } from '../config';
import { googleFunctionId, serviceAccountId } from '../names';
import { PubSubFunctionInvoker } from '../pubsub/function-invoker';
import { PubSubFunctionTopics } from '../pubsub/function-topics';
import { GoogleControlPlaneFake } from '../testing/control-plane-fake';
import { emulatorConfig, uniqueSuffix } from '../testing/emulator';
import { CloudRunArtifactCopier } from './artifact-copier';
import { PubSubFailureDestinations } from './failure-destinations';
import { CloudRunFunctionPlatform, FUNCTION_NAME_VARIABLE } from './function-platform';
import { FirestoreAdminSetup } from './firestore-admin';
import { FUNCTION_ROLES, ServiceAccountIdentityManager } from './identity-manager';
import { CloudLoggingLogSource } from './log-source';
import { GoogleRestClient } from './rest-client';

const gcp = (region: string) => ({ provider: 'gcp', region });
const sleeper = { sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 20))) };
/** Today's date for the runtime check: Google's schedule is checked against the day it runs. */
const clock = { now: () => Date.now() };

describe('the gcp control plane on the REST fake and the emulators', () => {
  const fake = new GoogleControlPlaneFake();
  const suffix = uniqueSuffix();
  const functionName = `cwf-0_0_1-entryFunction${suffix}_gcp-us-east4`;
  const roleName = `cwf-0_0_1-entryFunction${suffix}-role`;
  let clients: GcpClients;
  let rest: GoogleRestClient;
  let topics: PubSubFunctionTopics;
  let platform: CloudRunFunctionPlatform;
  let identity: ServiceAccountIdentityManager;
  let dir: string;
  const zip = createZip([{ name: 'index.mjs', data: Buffer.from('export const caribou = () => {};\n') }]);
  const zipSha = createHash('sha256').update(zip).digest('hex');
  let zipPath: string;

  beforeAll(async () => {
    const apiEndpoint = await fake.start();
    clients = new GcpClients(emulatorConfig({ apiEndpoint }));
    rest = new GoogleRestClient({ ...clients.restEndpoints, sleeper });
    topics = new PubSubFunctionTopics(clients);
    platform = new CloudRunFunctionPlatform(clients, rest, topics, clock);
    identity = new ServiceAccountIdentityManager(clients, rest);
    dir = mkdtempSync(join(tmpdir(), 'caribou-gcp-control-'));
    zipPath = join(dir, 'function.zip');
    writeFileSync(zipPath, zip);
  });

  afterAll(async () => {
    await clients.close();
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const spec = (overrides: Record<string, unknown> = {}) => ({
    functionName,
    region: gcp('us-east4'),
    artifact: { kind: 'zip' as const, path: zipPath, sha256: zipSha },
    handler: 'entryFunction',
    entryPoint: true,
    environment: { USER_VARIABLE: 'one' },
    memoryMb: 256,
    timeoutSeconds: 30,
    roleIdentifier: '',
    runtime: 'nodejs24',
    ...overrides,
  });

  it('ensureRole creates one service account per role, its id mapped to IAM\'s rules, holding the generated roles plus the user\'s', async () => {
    const policy = await identity.rolePolicy({ workflowName: 'cwf', workflowVersion: '0.0.1', workflowId: 'cwf-0.0.1', regions: 'any', userPolicy: { roles: ['roles/storage.objectViewer'] } });
    expect(JSON.parse(policy)).toEqual({ roles: [...FUNCTION_ROLES, 'roles/storage.objectViewer'] });
    expect(await identity.roleExists(gcp('us-east4'), roleName)).toBe(false);
    const { roleIdentifier } = await identity.ensureRole(gcp('us-east4'), roleName, policy);
    expect(roleIdentifier).toBe(`${serviceAccountId(roleName)}@demo-caribou.iam.gserviceaccount.com`);
    expect(fake.serviceAccounts.has(roleIdentifier)).toBe(true);
    expect(await identity.roleExists(gcp('us-east4'), roleName)).toBe(true);
    const held = fake.policyBindings().filter((binding) => binding.members.includes(`serviceAccount:${roleIdentifier}`)).map((binding) => binding.role);
    expect(held.sort()).toEqual([...FUNCTION_ROLES, 'roles/storage.objectViewer'].sort());
    // Ensuring again with fewer roles takes the others away (idempotent, no second account).
    await identity.ensureRole(gcp('us-east4'), roleName, JSON.stringify({ roles: [...FUNCTION_ROLES] }));
    expect(fake.policyBindings().filter((b) => b.members.includes(`serviceAccount:${roleIdentifier}`)).map((b) => b.role).sort()).toEqual([...FUNCTION_ROLES].sort());
    expect([...fake.serviceAccounts.keys()].filter((email) => email === roleIdentifier)).toHaveLength(1);
  });

  it('the user\'s gcp policy must list role names: anything else is refused naming the field', async () => {
    await expect(identity.rolePolicy({ workflowName: 'cwf', workflowVersion: '0.0.1', workflowId: 'cwf-0.0.1', regions: 'any', userPolicy: { roles: ['storage.admin'] } })).rejects.toThrow(
      '.caribou/iam_policy.json: gcp.roles must be a list of IAM role names like "roles/storage.objectViewer"',
    );
  });

  it('createOrUpdate uploads the zip, creates the function with nodejs24 as its service account, and its push subscription reaches the function URL', async () => {
    const email = `${serviceAccountId(roleName)}@demo-caribou.iam.gserviceaccount.com`;
    const deployed = await platform.createOrUpdate(spec({ roleIdentifier: email }));
    const id = googleFunctionId(functionName);
    expect(deployed.functionIdentifier).toBe(`projects/demo-caribou/locations/us-east4/functions/${id}`);
    const stored = fake.functions.get(deployed.functionIdentifier)!;
    expect(stored.buildConfig.runtime).toBe('nodejs24');
    expect(stored.buildConfig.entryPoint).toBe('caribou');
    expect(fake.uploads.get(`${stored.buildConfig.source.storageSource.bucket}/${stored.buildConfig.source.storageSource.object}`)).toEqual(zip);
    expect(stored.serviceConfig).toMatchObject({ availableMemory: '256Mi', timeoutSeconds: 30, serviceAccountEmail: email });
    expect(stored.serviceConfig.environmentVariables).toMatchObject({ USER_VARIABLE: 'one', CARIBOU_WORKFLOW_FUNCTION: 'entryFunction', CARIBOU_GCP_REGION: 'us-east4', [FUNCTION_NAME_VARIABLE]: functionName });
    expect(await platform.exists(gcp('us-east4'), functionName)).toBe(true);
    expect(await platform.list(gcp('us-east4'))).toEqual([functionName]);
    expect(await platform.list(gcp('europe-west1'))).toEqual([]);
    // A run's message, published to the function's topic, is pushed by the emulator to the function's URL.
    await new PubSubFunctionInvoker(clients).invokeAsync(gcp('us-east4'), deployed.functionIdentifier, JSON.stringify({ hello: suffix }));
    for (let waited = 0; !fake.pushes.some((push) => push.functionId === id) && waited < 30_000; waited += 200) await new Promise((resolve) => setTimeout(resolve, 200));
    const push = fake.pushes.find((candidate) => candidate.functionId === id)!;
    expect(Buffer.from((JSON.parse(push.body) as { message: { data: string } }).message.data, 'base64').toString('utf8')).toBe(JSON.stringify({ hello: suffix }));
  });

  it('an update patches the same function (memory, timeout, environment); the fake refuses what Google refuses', async () => {
    const email = `${serviceAccountId(roleName)}@demo-caribou.iam.gserviceaccount.com`;
    await platform.createOrUpdate(spec({ roleIdentifier: email, memoryMb: 512, timeoutSeconds: 120, environment: { USER_VARIABLE: 'two' } }));
    const stored = [...fake.functions.values()].filter((fn) => fn.name.endsWith(googleFunctionId(functionName)));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.serviceConfig).toMatchObject({ availableMemory: '512Mi', timeoutSeconds: 120 });
    expect(stored[0]!.serviceConfig.environmentVariables?.['USER_VARIABLE']).toBe('two');
    // Node.js 20 is decommissioned: the platform refuses it before calling Google, and so does the fake.
    await expect(platform.createOrUpdate(spec({ roleIdentifier: email, functionName: `other${suffix}`, runtime: 'nodejs20' }))).rejects.toThrow('nodejs20 is decommissioned by Google Cloud since 2026-10-30');
    const direct = (path: string, body: unknown) => rest.request('functions', 'POST', path, body);
    const parent = '/v2/projects/demo-caribou/locations/us-east4/functions';
    const { storageSource } = await direct(`${parent}:generateUploadUrl`, {}) as { storageSource: unknown };
    await expect(direct(`${parent}?functionId=Bad_Id`, {})).rejects.toThrow('INVALID_ARGUMENT: Invalid function id Bad_Id');
    await expect(direct(`${parent}?functionId=good-id`, { buildConfig: { runtime: 'nodejs20', entryPoint: 'caribou', source: { storageSource } } })).rejects.toThrow('Invalid value specified for runtime: nodejs20');
    await expect(direct(`${parent}?functionId=good-id`, { buildConfig: { runtime: 'nodejs24', source: { storageSource } } })).rejects.toThrow('buildConfig.entryPoint is required');
    await expect(direct(`${parent}?functionId=good-id`, { buildConfig: { runtime: 'nodejs24', entryPoint: 'caribou', source: { storageSource } } })).rejects.toThrow('does not exist; upload the archive');
    await expect(rest.request('iam', 'POST', '/v1/projects/demo-caribou/serviceAccounts', { accountId: 'short' })).rejects.toThrow('it must be 6 to 30 characters');
  });

  it('the copier re-deploys the stored source: the archive of the deployed copy, byte for byte', async () => {
    const copied = await new CloudRunArtifactCopier(clients, rest, { cacheDir: join(dir, 'cache') }).copyToRegion({ region: gcp('us-east4'), functionName }, gcp('northamerica-northeast1'));
    expect(copied).toMatchObject({ kind: 'zip', sha256: zipSha });
    await expect(new CloudRunArtifactCopier(clients, rest).copyToRegion({ region: gcp('us-east4'), functionName: 'missing_fn' }, gcp('us-west1'))).rejects.toThrow(
      'Cannot copy missing_fn: it does not exist in us-east4; deploy the workflow again',
    );
  });

  it('the log source reads a function\'s lines from Cloud Logging in time order across pages, within [start, end)', async () => {
    const id = googleFunctionId(functionName);
    const start = Date.UTC(2026, 11, 7, 10, 0, 0);
    const entries = Array.from({ length: 2_345 }, (_, index) => ({
      logName: 'projects/demo-caribou/logs/run.googleapis.com%2Fstdout',
      resource: { type: 'cloud_run_revision', labels: { service_name: id, location: 'us-east4' } },
      timestamp: new Date(start + index * 10).toISOString(),
      textPayload: `[CARIBOU] line ${index}`,
    }));
    // Another function's and another region's lines are not read.
    entries.push({ ...entries[0]!, resource: { type: 'cloud_run_revision', labels: { service_name: 'other', location: 'us-east4' } }, textPayload: 'other function' });
    entries.push({ ...entries[0]!, resource: { type: 'cloud_run_revision', labels: { service_name: id, location: 'us-west1' } }, textPayload: 'other region' });
    await rest.request('logging', 'POST', '/v2/entries:write', { entries: entries.reverse() });
    const lines = await new CloudLoggingLogSource(clients, rest).getLogsBetween(gcp('us-east4'), functionName, start + 10, start + 2_300 * 10);
    expect(lines).toHaveLength(2_299);
    expect(lines[0]).toBe('[CARIBOU] line 1');
    expect(lines.at(-1)).toBe('[CARIBOU] line 2299');
    expect(fake.requests.filter((request) => request === 'POST /v2/entries:list')).toHaveLength(3);
  });

  it('failed invocations: a dead-lettered message becomes an invocation record naming the function copy, gone once acknowledged', async () => {
    const destinations = new PubSubFailureDestinations(topics, rest, () => platform.copies(), () => identity.ensurePubSubAgentRoles());
    const topic = await destinations.ensure(gcp('us-east4'));
    expect(topic).toBe('projects/demo-caribou/topics/caribou-failed-invocations');
    // Pub/Sub's service agent may publish the dead letters and acknowledge what it forwards; a second ensure changes nothing.
    const agent = (await rest.request<{ projectNumber: string }>('resourceManager', 'GET', '/v1/projects/demo-caribou')).projectNumber;
    const agentRoles = () => fake.policyBindings().filter((b) => b.members.includes(`serviceAccount:service-${agent}@gcp-sa-pubsub.iam.gserviceaccount.com`)).map((b) => b.role).sort();
    expect(agentRoles()).toEqual(['roles/pubsub.publisher', 'roles/pubsub.subscriber']);
    const policyWrites = fake.requests.filter((request) => request.endsWith(':setIamPolicy')).length;
    await destinations.ensure(gcp('europe-west1'));
    expect(fake.requests.filter((request) => request.endsWith(':setIamPolicy')).length).toBe(policyWrites);
    const id = googleFunctionId(functionName);
    await clients.pubsub().topic(topic).publishMessage({
      data: Buffer.from(JSON.stringify({ payload: 'x' })),
      attributes: { CloudPubSubDeadLetterSourceSubscription: `projects/demo-caribou/subscriptions/${id}`, CloudPubSubDeadLetterSourceDeliveryCount: '5' },
    });
    let messages: Awaited<ReturnType<typeof destinations.receive>> = [];
    // One topic for the project: any region's receive gets it, the record names the copy's own region.
    for (let attempt = 0; messages.length === 0 && attempt < 40; attempt += 1) {
      messages = await destinations.receive(gcp('europe-west1'), 10);
      if (messages.length === 0) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(messages).toHaveLength(1);
    const failure = failedInvocationOf(messages[0]!.body);
    expect(failure).toMatchObject({ function_name: functionName, region: 'gcp:us-east4', attempts: 5, condition: 'RetriesExhausted' });
    await destinations.acknowledge(gcp('us-east4'), messages.map((message) => message.receipt));
    expect(await destinations.receive(gcp('us-east4'), 10)).toEqual([]);
  });

  it('Firestore setup creates a region\'s database in that region and the TTL policies once; the fake refuses a bad database id', async () => {
    const setup = new FirestoreAdminSetup('demo-caribou', rest);
    await setup.ensureDatabase('europe-west1', `caribou-europe-west1`);
    await new FirestoreAdminSetup('demo-caribou', rest).ensureDatabase('europe-west1', `caribou-europe-west1`);
    expect(fake.databases.get('projects/demo-caribou/databases/caribou-europe-west1')).toMatchObject({ locationId: 'europe-west1', type: 'FIRESTORE_NATIVE' });
    const field = 'projects/demo-caribou/databases/caribou-europe-west1/collectionGroups/sync_messages_table/fields/cb_ttl_expiration_time';
    await setup.ensureTtlPolicy('caribou-europe-west1', 'sync_messages_table', 'cb_ttl_expiration_time');
    await setup.ensureTtlPolicy('caribou-europe-west1', 'sync_messages_table', 'cb_ttl_expiration_time');
    expect(fake.ttlFields.has(field)).toBe(true);
    expect(fake.requests.filter((request) => request === `PATCH /v1/${field}`)).toHaveLength(1);
    await expect(setup.ensureDatabase('europe-west1', 'Caribou_EU')).rejects.toThrow("INVALID_ARGUMENT: Database ID 'Caribou_EU' is not valid");
  });

  it('remove deletes the function, its topic and push subscription, then the service account and its bindings: 404 after, removing again is fine', async () => {
    const deployedName = `projects/demo-caribou/locations/us-east4/functions/${googleFunctionId(functionName)}`;
    await platform.remove(gcp('us-east4'), functionName);
    expect(fake.functions.has(deployedName)).toBe(false);
    expect(await platform.exists(gcp('us-east4'), functionName)).toBe(false);
    await expect(rest.request('functions', 'GET', `/v2/${deployedName}`)).rejects.toThrow('NOT_FOUND');
    expect(await topics.listTopicIds(googleFunctionId(functionName))).toEqual([]);
    await platform.remove(gcp('us-east4'), functionName);
    const email = `${serviceAccountId(roleName)}@demo-caribou.iam.gserviceaccount.com`;
    await identity.removeRole(gcp('us-east4'), roleName);
    expect(fake.serviceAccounts.has(email)).toBe(false);
    expect(fake.policyBindings().some((binding) => binding.members.includes(`serviceAccount:${email}`))).toBe(false);
    await identity.removeRole(gcp('us-east4'), roleName);
  });
});
