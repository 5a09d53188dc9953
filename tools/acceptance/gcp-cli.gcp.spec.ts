import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirestoreKeyValueStore, googleFunctionId, type GcpClients } from '@caribou/adapter-gcp';
import { formatRequestLines } from '@caribou/adapter-gcp/functions-runtime';
import { emulatorClients, emulatorEnvironment, gcpExampleProject, GoogleControlPlaneFake } from '@caribou/adapter-gcp/testing';
import { runCli, type CliResult } from '@caribou/cli/testing';
import { formatTime, Tables } from '@caribou/domain-common';
import { formatCaribouLine, LogMessages } from '@caribou/domain-telemetry';
import { parsePlacementDecision, type StagedPlan } from '@caribou/domain-workflow';

const EXAMPLES = join(import.meta.dirname, '../../examples');
const HOME = 'us-east4';
const MOVED_TO = 'northamerica-northeast1';
const SYSTEM = 'us-west1';
/** Distinct from the other gcp suites' workflow ids: the emulators are shared by the whole project. */
const VERSION = '0.21.0';
const WF = `small_sync_example-${VERSION}`;
const PREFIX = `small_sync_example-${VERSION.replace(/\./g, '_')}`;
const gcp = (region: string) => ({ provider: 'gcp', region });
/** Cloud Run function ids and IAM service account ids as Google's reference pages define them. */
const FUNCTION_ID = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const ACCOUNT_ID = /^[a-z]([-a-z0-9]*[a-z0-9])$/;

/**
 * The caribou CLI with provider gcp, end to end as a user runs it: the control plane on the
 * local REST fake of Cloud Functions v2 / IAM / Resource Manager / Cloud Logging, the data
 * plane on Google's Firestore and Pub/Sub emulators. Functions are not executed (the fake
 * builds nothing); a run's message reaches the entry function's URL through Pub/Sub push.
 */
describe('the caribou CLI with the gcp provider (REST fake + emulators)', () => {
  const fake = new GoogleControlPlaneFake();
  let env: Record<string, string>;
  let clients: GcpClients;
  let store: FirestoreKeyValueStore;
  const projects: string[] = [];
  const cli = (args: string[]): Promise<CliResult> => runCli(args, { env });

  beforeAll(async () => {
    const apiEndpoint = await fake.start();
    // No API keys or ambient Google project from the machine running the tests.
    env = { ...emulatorEnvironment(), CARIBOU_GCP_API_ENDPOINT: apiEndpoint, CARIBOU_SYSTEM_REGION: SYSTEM, CARIBOU_GCP_PROJECT: '', GOOGLE_CLOUD_PROJECT: '', GOOGLE_API_KEY: '', ELECTRICITY_MAPS_AUTH_TOKEN: '' };
    clients = emulatorClients({ systemRegion: SYSTEM });
    store = new FirestoreKeyValueStore(clients);
  });

  afterAll(async () => {
    await clients.close();
    await fake.stop();
    for (const dir of projects) rmSync(dir, { recursive: true, force: true });
  });

  it('deploy → run, run --wait → logs, log_sync, manage_deployments → migrate one function to another region → remove: the fake holds the copies after the migration and nothing after remove', async () => {
    const projectDir = gcpExampleProject(join(EXAMPLES, 'small_sync_example'), { home: HOME, regions: [MOVED_TO], version: VERSION });
    projects.push(projectDir);
    const deploy = await cli(['deploy', '-p', projectDir]);
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(deploy.stdout).toContain(`Workflow id: ${WF}`);
    const home = ['initial_function', 'syncFunction', 'secondSyncFunction'].map((fn) => `projects/demo-caribou/locations/${HOME}/functions/${googleFunctionId(`${PREFIX}-${fn}_gcp-${HOME}`)}`);
    expect(fake.functionNames()).toEqual([...home].sort());
    for (const fn of fake.functions.values()) {
      expect(fn.buildConfig.runtime).toBe('nodejs24');
      expect(fn.serviceConfig).toMatchObject({ availableMemory: '256Mi', timeoutSeconds: 60 });
      expect(fake.serviceAccounts.has(fn.serviceConfig.serviceAccountEmail!)).toBe(true);
    }

    // The framework tables' database and the home region's fan-in database, each in its region, with the TTL policies.
    const database = (region: string) => fake.databases.get(`projects/demo-caribou/databases/caribou-${region}`);
    expect(database(SYSTEM)).toMatchObject({ locationId: SYSTEM });
    expect(database(HOME)).toMatchObject({ locationId: HOME });
    expect([...fake.ttlFields].filter((field) => field.includes(`caribou-${HOME}/`)).map((field) => field.split('/')[5]).sort()).toEqual(
      ['execution_marker_table', 'sync_messages_table', 'sync_predecessor_counter_table'],
    );

    const list = await cli(['list', '--provider', 'gcp']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.split('\n')).toContain(WF);

    // A run publishes to the entry function's topic; Pub/Sub's push reaches the function's URL.
    const run = await cli(['run', WF, '--provider', 'gcp', '-a', '"hello"']);
    expect(run.code, run.stderr).toBe(0);
    const entryId = googleFunctionId(`${PREFIX}-initial_function_gcp-${HOME}`);
    for (let waited = 0; !fake.pushes.some((push) => push.functionId === entryId) && waited < 30_000; waited += 250) await new Promise((resolve) => setTimeout(resolve, 250));
    const pushed = fake.pushes.filter((push) => push.functionId === entryId);
    expect(pushed).toHaveLength(1);
    const runId = /Run ID for current run: ([0-9a-f]{32})/.exec(run.stdout)![1]!;

    // What the entry function would write to Cloud Logging for this run (the fake runs no code):
    // its [CARIBOU] line, under the message id Pub/Sub pushed, and a line of another run.
    const messageId = (JSON.parse(pushed[0]!.body) as { message: { messageId: string } }).message.messageId;
    const at = Date.now() - 60_000;
    const instance = `${PREFIX}-initial_function:entry_point:0`;
    const entry = (time: number, requestId: string, id: string) => ({
      logName: 'projects/demo-caribou/logs/run.googleapis.com%2Fstdout',
      resource: { type: 'cloud_run_revision', labels: { service_name: entryId, location: HOME } },
      timestamp: new Date(time).toISOString(),
      textPayload: formatCaribouLine(time, requestId, id, LogMessages.invoked({ instance, taint: null, hops: 1 })),
    });
    // And the user's own console.log line, as the functions-framework entry prefixes it (request-console.ts).
    const userLine = (time: number, requestId: string, text: string) => ({
      ...entry(time, requestId, runId),
      textPayload: formatRequestLines(time, requestId, 'INFO', text).trimEnd(),
    });
    await fetch(`${fake.url}/v2/entries:write`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        entries: [entry(at, 'other-message', 'e'.repeat(32)), userLine(at + 10, 'other-message', 'not this run'), entry(at + 1000, messageId, runId), userLine(at + 1010, messageId, 'gcp marker line')],
      }),
    });
    const user = await cli(['logs', WF, '--run', runId, '--provider', 'gcp']);
    expect(user.code, user.stderr).toBe(0);
    expect(user.stdout).toMatch(new RegExp(`gcp:${HOME}  ${instance.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}  run ${runId}  INFO  gcp marker line`));
    expect(user.stdout).not.toContain('not this run');
    expect(user.stdout).not.toContain('[CARIBOU]');
    const shown = await cli(['logs', WF, '--run', runId, '--system', '--json', '--provider', 'gcp']);
    expect(shown.code, shown.stderr).toBe(0);
    const lines = JSON.parse(shown.stdout) as Array<Record<string, unknown>>;
    expect(lines.map((line) => [line.region, line.instance, line.run_id, line.request_id, line.system])).toEqual([
      [`gcp:${HOME}`, instance, runId, messageId, true],
      [`gcp:${HOME}`, instance, runId, messageId, false],
    ]);

    // run --wait reads the run's [CARIBOU] lines from Cloud Logging, as on AWS from CloudWatch.
    // The fake runs no code: the test writes what the entry function would log once its push arrives.
    const writeEntries = async (entries: unknown[]) => {
      const written = await fetch(`${fake.url}/v2/entries:write`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ entries }) });
      expect(written.status).toBe(200);
    };
    /** The run id and message id of the entry function's next push (the run decision travels in the message). */
    const nextEntryPush = async () => {
      const seen = fake.pushes.filter((push) => push.functionId === entryId).length;
      for (let waited = 0; fake.pushes.filter((push) => push.functionId === entryId).length <= seen && waited < 30_000; waited += 250) await new Promise((resolve) => setTimeout(resolve, 250));
      const push = fake.pushes.filter((candidate) => candidate.functionId === entryId)[seen];
      expect(push, 'the run reached the entry function').toBeDefined();
      const message = (JSON.parse(push!.body) as { message: { messageId: string; data: string } }).message;
      const runIdOfPush = /run_id\W+([0-9a-f]{32})/.exec(Buffer.from(message.data, 'base64').toString('utf8'))![1]!;
      return { runId: runIdOfPush, messageId: message.messageId };
    };
    const caribouEntry = (requestId: string, id: string, message: string) => {
      const time = Date.now();
      return { ...entry(time, requestId, id), textPayload: formatCaribouLine(time, requestId, id, message) };
    };
    const waitedRun = cli(['run', WF, '--wait', '--provider', 'gcp', '-a', '"hello"']);
    const succeeded = await nextEntryPush();
    await writeEntries([
      caribouEntry(succeeded.messageId, succeeded.runId, LogMessages.invoked({ instance, taint: null, hops: 1 })),
      caribouEntry(succeeded.messageId, succeeded.runId, LogMessages.executed({ instance, userExecutionTimeS: 0.01, totalExecutionTimeS: 0.02 })),
    ]);
    const waited = await waitedRun;
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stdout).toContain(`Run ID for current run: ${succeeded.runId}`);
    expect(waited.stdout.split('\n')).toContain(`  ${instance}  gcp:${HOME}  succeeded`);

    // A function's exception fails the command in one line, as on AWS.
    const failingRun = cli(['run', WF, '--wait', '--json', '--provider', 'gcp', '-a', '"hello"']);
    const failing = await nextEntryPush();
    await writeEntries([caribouEntry(failing.messageId, failing.runId, LogMessages.clientCodeException({ instance, error: 'TypeError: boom' }))]);
    const failed = await failingRun;
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ run_id: failing.runId, executions: [{ instance_name: instance, region: `gcp:${HOME}`, status: 'failed', error: 'TypeError: boom' }] });
    expect(failed.stderr).toContain(`1 of 1 run(s) failed; run ${failing.runId} failed in ${instance}: TypeError: boom`);

    // Nothing logged within CARIBOU_RUN_WAIT_TIMEOUT: one line that says where to look.
    const silent = await runCli(['run', WF, '--wait', '--provider', 'gcp', '-a', '"hello"'], { env: { ...env, CARIBOU_RUN_WAIT_TIMEOUT: '2' } });
    expect(silent.code).toBe(1);
    const silentRunId = /Run ID for current run: ([0-9a-f]{32})/.exec(silent.stdout)![1]!;
    const errorLines = silent.stderr.trim().split('\n').filter((line) => line.startsWith('Error'));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(new RegExp(`^Error: No log lines of run ${silentRunId} arrived within 2 s \\(read the logs of \\d+ function copies\\); .*check Cloud Logging, resource.type="cloud_run_revision" of project demo-caribou`));
    expect(silent.stderr).not.toMatch(/\n\s+at /);

    const sync = await cli(['log_sync', '--provider', 'gcp']);
    expect(sync.code, sync.stderr).toBe(0);
    const manage = await cli(['manage_deployments', '--provider', 'gcp']);
    expect(manage.code, manage.stderr).toBe(0);

    const E = `${PREFIX}-initial_function:entry_point:0`;
    const staged: StagedPlan = {
      time_keys_to_staging_area_data: { '0': { [E]: { provider_region: gcp(MOVED_TO) } } },
      deployment_metrics: {},
      expiry_time: formatTime(Date.UTC(2099, 0, 1)),
    };
    await store.put(Tables.workflowPlacementSolverStagingArea, WF, JSON.stringify(staged));
    const migrate = await cli(['run_deployment_migrator', '--provider', 'gcp']);
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stdout).toContain(`${WF}: migrated`);
    const moved = `projects/demo-caribou/locations/${MOVED_TO}/functions/${googleFunctionId(`${PREFIX}-initial_function_gcp-${MOVED_TO}`)}`;
    expect(fake.functionNames()).toEqual([...home, moved].sort());
    expect(database(MOVED_TO)).toMatchObject({ locationId: MOVED_TO });
    // The copy is built from the home copy's stored source, byte for byte, with the same runtime.
    const source = (name: string) => {
      const { bucket, object } = fake.functions.get(name)!.buildConfig.source.storageSource;
      return fake.uploads.get(`${bucket}/${object}`);
    };
    expect(source(moved)).toEqual(source(home[0]!));
    expect(fake.functions.get(moved)!.buildConfig.runtime).toBe('nodejs24');
    const wpd = parsePlacementDecision((await store.get(Tables.workflowPlacementDecision, WF))!, WF);
    expect(wpd.workflow_placement.current_deployment?.time_keys).toEqual(['0']);
    expect(JSON.stringify(wpd.workflow_placement.current_deployment)).toContain(moved);

    const removed = await cli(['remove', WF, '--provider', 'gcp']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain(`Removed workflow ${WF}`);
    expect(fake.functionNames()).toEqual([]);
    expect([...fake.serviceAccounts.keys()]).toEqual([]);
    // Only Pub/Sub's service agent keeps its project roles (the dead-letter topic outlives workflows).
    expect(fake.policyBindings().flatMap((binding) => binding.members).every((member) => member.includes('@gcp-sa-pubsub.'))).toBe(true);
    const topics = (await clients.pubsub().getTopics())[0].map((topic) => topic.name.split('/').pop()!);
    expect(topics.filter((id) => id.startsWith(PREFIX.replace(/_/g, '-')))).toEqual([]);
    const after = await cli(['list', '--provider', 'gcp']);
    expect(after.stdout.split('\n')).not.toContain(WF);
  });

  it('both examples deploy through the fake with their names mapped to valid Google ids (map_reduce without a gcp policy key: no extra roles)', async () => {
    const small = gcpExampleProject(join(EXAMPLES, 'small_sync_example'), { home: HOME, version: '0.21.1' });
    const mapReduce = gcpExampleProject(join(EXAMPLES, 'map_reduce'), { home: HOME, version: '0.21.1', withoutGcpPolicy: true });
    projects.push(small, mapReduce);
    for (const dir of [small, mapReduce]) {
      const deploy = await cli(['deploy', '-p', dir]);
      expect(deploy.code, deploy.stderr).toBe(0);
    }
    const ids = fake.functionNames().map((name) => name.split('/').pop()!);
    expect(ids.length).toBeGreaterThan(3);
    for (const id of ids) {
      expect(id).toMatch(FUNCTION_ID);
      expect(id.length).toBeLessThanOrEqual(63);
    }
    for (const email of fake.serviceAccounts.keys()) {
      const id = email.split('@')[0]!;
      expect(id).toMatch(ACCOUNT_ID);
      expect(id.length).toBeGreaterThanOrEqual(6);
      expect(id.length).toBeLessThanOrEqual(30);
    }
    expect(new Set(ids).size).toBe(ids.length);
    // Every function of map_reduce runs as its own account holding exactly the generated roles.
    const mapAccounts = [...fake.serviceAccounts.keys()].filter((email) => email.startsWith('map-reduce-'));
    expect(mapAccounts.length).toBeGreaterThan(0);
    for (const email of mapAccounts) {
      const roles = fake.policyBindings().filter((binding) => binding.members.includes(`serviceAccount:${email}`)).map((binding) => binding.role);
      expect(roles.sort()).toEqual(['roles/datastore.user', 'roles/pubsub.publisher', 'roles/run.invoker']);
    }
    for (const id of ['small_sync_example-0.21.1', 'map_reduce-0.21.1']) {
      const removed = await cli(['remove', id, '--provider', 'gcp']);
      expect(removed.code, removed.stderr).toBe(0);
    }
    expect(fake.functionNames()).toEqual([]);
  });

  it('deploy refuses a decommissioned runtime and a project that is not the environment\'s, in one line, creating nothing', async () => {
    const dir = gcpExampleProject(join(EXAMPLES, 'small_sync_example'), { home: HOME, version: '0.21.2', project: 'other-project' });
    projects.push(dir);
    const wrongProject = await runCli(['deploy', '-p', dir], { env: { ...env, CARIBOU_GCP_PROJECT: 'demo-caribou' } });
    expect(wrongProject.code).toBe(1);
    expect(wrongProject.stderr.trim()).toBe(
      'Error: regions_and_providers.providers.gcp.config.project is other-project but CARIBOU_GCP_PROJECT (or GOOGLE_CLOUD_PROJECT) is demo-caribou; make them the same: run, list and remove use the environment\'s',
    );
    const YAML = (await import('yaml')).default;
    const { readFileSync, writeFileSync } = await import('node:fs');
    const configPath = join(dir, '.caribou', 'config.yml');
    const config = YAML.parse(readFileSync(configPath, 'utf8')) as { regions_and_providers: { providers: { gcp: { config: Record<string, unknown> } } } };
    delete config.regions_and_providers.providers.gcp.config['project'];
    config.regions_and_providers.providers.gcp.config['runtime'] = 'nodejs20';
    writeFileSync(configPath, YAML.stringify(config));
    const oldRuntime = await cli(['deploy', '-p', dir]);
    expect(oldRuntime.code).toBe(1);
    expect(oldRuntime.stderr).toContain('regions_and_providers.providers.gcp.config.runtime: nodejs20 is decommissioned by Google Cloud since 2026-10-30');
    expect(fake.functionNames()).toEqual([]);
  });
});
