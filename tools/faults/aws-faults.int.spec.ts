import { rmSync } from 'node:fs';
import { CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoDbKeyValueStore, DynamoDbSyncStoreProvider, inventoryAwsResources, isAwsError, SqsFailureDestinations, type AwsClients, type AwsInventory } from '@caribou/adapter-aws';
import { awsExampleProject, emulatorClients, seededFaults, smallSyncExampleOnAws, startFaultProxy, type FaultProxy, type ProxiedRequest } from '@caribou/adapter-aws/testing';
import { FRAMEWORK_TABLES } from '@caribou/application';
import { FUNCTION_A, FUNCTION_B, linearRunLines, US_EAST_1 } from '@caribou/application/testing';
import { runCli, type CliResult } from '@caribou/cli/testing';
import { formatTime, Tables } from '@caribou/domain-common';
import { parsePlacementDecision, type StagedPlan } from '@caribou/domain-workflow';

import { emptyFigures, errorLinesOf, formatFigures, isCleanMessage, saveFigures, type FaultFigures } from './figures';

/*
 * Issue 22: throttling and 5xx answers injected into the AWS clients at 10 %. The real CLI
 * talks to moto through a loopback proxy that answers a seeded tenth of all requests with a
 * throttling error, a 500/503 before the service sees the request, or a 500 after moto did
 * the work (the answer lost on the way back). deploy, run, log_sync, run_deployment_migrator
 * and remove must each complete, or fail in one line having rolled back; the account and the
 * stored rows are then checked directly on moto, past the proxy.
 */

const SEED = Number(process.env.FAULT_SEED ?? 22);
const RATE = Number(process.env.FAULT_AWS_RATE ?? 0.1);
// A system region of its own: the framework tables hold only this file's workflows.
const { example: EXAMPLE, home: HOME, movedTo: MOVED_TO, system: SYSTEM, regions: REGIONS, version: VERSION, workflowId: WF, prefix: PREFIX } = smallSyncExampleOnAws('0.22.0', { system: 'eu-west-1' });
/** The linear workflow A → B whose log lines (golden fixture A) the functions "wrote" two hours ago. */
const LOGGED_WF = 'wf-0.0.1';
const LOGGED_RUNS = 60;
const RUNS = 20;
/** Attempts per command: a command that fails cleanly may simply be run again. */
const ATTEMPTS = 3;

interface CommandFigures {
  command: string;
  attempts: number;
  completed: boolean;
  cleanFailures: number;
  uncleanFailures: string[];
}

describe('fault suite: AWS throttling and 5xx at 10 % (real CLI, moto behind a fault-injecting proxy)', () => {
  const endpoint = inject('awsEndpoint');
  let proxy: FaultProxy;
  let clients: AwsClients;
  let store: DynamoDbKeyValueStore;
  let projectDir: string;
  let before: AwsInventory;
  const commands: CommandFigures[] = [];
  const figures: FaultFigures = emptyFigures();
  /** Requests that fail with a 503 every time, outlasting the SDK's retries (on top of the seeded faults). */
  let persistent: (request: ProxiedRequest) => boolean = () => false;
  /** Commands made to fail by a persistent fault: each must fail in one line having rolled back. */
  const forcedFailures: Array<{ command: string; clean: boolean; detail: string }> = [];
  const cliEnv = () => ({ CARIBOU_AWS_ENDPOINT: proxy.endpoint, CARIBOU_SYSTEM_REGION: SYSTEM, GOOGLE_API_KEY: '', ELECTRICITY_MAPS_AUTH_TOKEN: '' });
  const isCreateFunction = (request: ProxiedRequest) => request.operation === 'POST /2015-03-31/functions';

  /** Runs a command once while `fail` requests always get a 503: it must exit non-zero with one clean line. */
  async function underPersistentFault(args: string[], fail: (request: ProxiedRequest) => boolean): Promise<void> {
    persistent = fail;
    try {
      const result = await runCli([...args, '--provider', 'aws'], { env: cliEnv() });
      const errorLines = errorLinesOf(result.stderr);
      const clean = result.code !== 0 && errorLines.length === 1 && isCleanMessage(errorLines[0]!);
      forcedFailures.push({ command: args[0]!, clean, detail: `exit ${result.code}: ${JSON.stringify(errorLines).slice(0, 600)}` });
    } finally {
      persistent = () => false;
    }
  }

  /** Runs a command through the proxy until it completes (at most ATTEMPTS times); every failure must be one clean line. */
  async function throughFaults(args: string[], afterCleanFailure: () => Promise<void> = async () => undefined): Promise<CliResult> {
    const entry: CommandFigures = { command: args[0]!, attempts: 0, completed: false, cleanFailures: 0, uncleanFailures: [] };
    commands.push(entry);
    let result: CliResult | undefined;
    while (entry.attempts < ATTEMPTS) {
      entry.attempts += 1;
      result = await runCli([...args, '--provider', 'aws'], { env: cliEnv() });
      if (result.code === 0) {
        entry.completed = true;
        return result;
      }
      const errorLines = errorLinesOf(result.stderr);
      if (errorLines.length === 1 && isCleanMessage(errorLines[0]!)) entry.cleanFailures += 1;
      else entry.uncleanFailures.push(result.stderr.slice(0, 400));
      await afterCleanFailure();
    }
    return result!;
  }

  beforeAll(async () => {
    clients = emulatorClients({ systemRegion: SYSTEM });
    store = new DynamoDbKeyValueStore(clients);
    await store.ensureTables(FRAMEWORK_TABLES);
    const sync = new DynamoDbSyncStoreProvider(clients);
    // Each region's on-failure queue is shared by the install's workflows: remove keeps it, like the sync tables.
    const queues = new SqsFailureDestinations(clients);
    for (const region of [HOME, MOVED_TO]) {
      await sync.ensureSyncTables({ provider: 'aws', region });
      await queues.ensure({ provider: 'aws', region });
    }
    projectDir = awsExampleProject(EXAMPLE, { home: HOME, regions: [MOVED_TO], version: VERSION });

    // A second workflow, registered as deploy registers it, whose functions logged 60 runs two hours ago.
    await store.put(Tables.deploymentManagerResource, LOGGED_WF, JSON.stringify({ workflow_id: LOGGED_WF, workflow_config: '{}' }));
    const deployedRegions = Object.fromEntries([FUNCTION_A, FUNCTION_B].map((name) => [name, { deploy_region: US_EAST_1, identifier: name, function_identifier: name }]));
    await store.put(
      Tables.deploymentResources,
      LOGGED_WF,
      JSON.stringify({ workflow_id: LOGGED_WF, workflow_function_descriptions: '[]', deployment_config: '{}', deployed_regions: JSON.stringify(deployedRegions) }),
    );
    const logs = clients.logs(HOME);
    const start = Date.now() - 2 * 3_600_000;
    const perFunction: Record<string, string[]> = { [FUNCTION_A]: [], [FUNCTION_B]: [] };
    for (let run = 0; run < LOGGED_RUNS; run++) {
      const lines = linearRunLines(`run${String(run).padStart(4, '0')}`, start + run * 20_000);
      perFunction[FUNCTION_A]!.push(...lines.linesA);
      perFunction[FUNCTION_B]!.push(...lines.linesB);
    }
    for (const [fn, lines] of Object.entries(perFunction)) {
      await logs.send(new DeleteLogGroupCommand({ logGroupName: clients.names.logGroup(fn) })).catch(() => undefined);
      await logs.send(new CreateLogGroupCommand({ logGroupName: clients.names.logGroup(fn) })).catch((error: unknown) => {
        if (!isAwsError(error, 'ResourceAlreadyExistsException')) throw error;
      });
      await logs.send(new CreateLogStreamCommand({ logGroupName: clients.names.logGroup(fn), logStreamName: 'stream' }));
      let last = 0;
      const events = lines.map((message) => {
        const iso = message.startsWith('[CARIBOU]') ? Date.parse(message.split('\t')[1]!) : Number.NaN;
        last = Number.isNaN(iso) ? last + 1 : iso;
        return { timestamp: last, message };
      });
      events.sort((x, y) => x.timestamp - y.timestamp);
      for (let i = 0; i < events.length; i += 500) {
        await logs.send(new PutLogEventsCommand({ logGroupName: clients.names.logGroup(fn), logStreamName: 'stream', logEvents: events.slice(i, i + 500) }));
      }
    }
    before = await inventoryAwsResources(clients, REGIONS);
    const seeded = seededFaults(RATE, SEED);
    proxy = await startFaultProxy(endpoint, (request) => (persistent(request) ? 'server-error' : seeded(request)));
  });

  afterAll(async () => {
    // Past the proxy: whatever a failed test left behind.
    await runCli(['remove', WF, '--provider', 'aws'], { env: { CARIBOU_AWS_ENDPOINT: endpoint, CARIBOU_SYSTEM_REGION: SYSTEM } });
    for (const table of FRAMEWORK_TABLES) for (const key of await store.keys(table)) await store.delete(table, key);
    for (const fn of [FUNCTION_A, FUNCTION_B]) await clients.logs(HOME).send(new DeleteLogGroupCommand({ logGroupName: clients.names.logGroup(fn) })).catch(() => undefined);
    clients.destroy();
    await proxy?.close();
    rmSync(projectDir, { recursive: true, force: true });
  });

  it('a deploy whose second function cannot be created (503 past every SDK retry) fails in one line and rolls back: the account is as before', async () => {
    let creates = 0;
    await underPersistentFault(['deploy', '-p', projectDir], (request) => isCreateFunction(request) && ++creates > 1);
    expect(forcedFailures.at(-1), forcedFailures.at(-1)?.detail).toMatchObject({ clean: true });
    expect(creates).toBeGreaterThan(1);
    expect(await inventoryAwsResources(clients, REGIONS)).toEqual(before);
    expect(await store.has(Tables.deploymentManagerResource, WF)).toBe(false);
  }, 600_000);

  it('deploy completes, or fails in one line with nothing left behind', async () => {
    const deploy = await throughFaults(['deploy', '-p', projectDir], async () => {
      // A failed deploy rolls back: the account is as before (it never needs a `remove`).
      expect(await inventoryAwsResources(clients, REGIONS)).toEqual(before);
    });
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(deploy.stdout).toContain(`Workflow id: ${WF}`);
    // AWS names carry the install's prefix.
    const functions = (await inventoryAwsResources(clients, [HOME])).regions[HOME]!.lambdaFunctions.filter((name) => name.startsWith(clients.names.functionName(PREFIX)));
    expect(functions).toHaveLength(3);
    expect(parsePlacementDecision((await store.get(Tables.workflowPlacementDecision, WF))!, WF).instances).toBeDefined();
  }, 600_000);

  it(`run --times ${RUNS}: every run id printed reached Lambda`, async () => {
    const invokesBefore = proxy.acceptedInvokes.length;
    const run = await throughFaults(['run', WF, '-a', '{"execute_1": true}', '--times', String(RUNS)]);
    expect(run.code, run.stderr).toBe(0);
    const runIds = [...run.stdout.matchAll(/Run ID: ([0-9a-f]{32})/g)].map((match) => match[1]!);
    expect(new Set(runIds).size).toBe(RUNS);
    const delivered = proxy.acceptedInvokes.slice(invokesBefore).map((invoke) => invoke.payload);
    const reached = runIds.filter((id) => delivered.some((payload) => payload.includes(id)));
    figures.runsStarted += runIds.length;
    figures.runsLost += runIds.length - reached.length;
    expect(reached).toEqual(runIds);
  }, 600_000);

  it(`log_sync: the ${LOGGED_RUNS} logged runs are synced, each once`, async () => {
    const sync = await throughFaults(['log_sync']);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout).toContain(`${LOGGED_WF}: ${LOGGED_RUNS} runs synced`);
    const summary = JSON.parse((await store.get(Tables.workflowSummary, LOGGED_WF))!) as { logs: Array<{ run_id: string }> };
    const ids = summary.logs.map((log) => log.run_id);
    figures.runsStarted += LOGGED_RUNS;
    figures.runsLost += LOGGED_RUNS - new Set(ids).size;
    figures.runsDuplicated += ids.length - new Set(ids).size;
    expect(ids.length).toBe(LOGGED_RUNS);
    expect(new Set(ids).size).toBe(LOGGED_RUNS);
  }, 600_000);

  /** Stages a plan that moves the entry point to MOVED_TO from hour 0 (far from expiring). */
  async function stageEntryPointMove(): Promise<void> {
    const entry = `${PREFIX}-initial_function:entry_point:0`;
    const staged: StagedPlan = {
      time_keys_to_staging_area_data: { '0': { [entry]: { provider_region: { provider: 'aws', region: MOVED_TO } } } },
      deployment_metrics: {},
      expiry_time: formatTime(Date.UTC(2099, 0, 1)),
    };
    await store.put(Tables.workflowPlacementSolverStagingArea, WF, JSON.stringify(staged));
  }

  it('a migration whose copy cannot be created fails in one line: the published decision and the other region are untouched', async () => {
    await stageEntryPointMove();
    const decisionBefore = await store.get(Tables.workflowPlacementDecision, WF);
    await underPersistentFault(['run_deployment_migrator'], isCreateFunction);
    expect(forcedFailures.at(-1), forcedFailures.at(-1)?.detail).toMatchObject({ clean: true });
    expect(await store.get(Tables.workflowPlacementDecision, WF)).toBe(decisionBefore);
    expect((await inventoryAwsResources(clients, [MOVED_TO])).regions[MOVED_TO]).toEqual(before.regions[MOVED_TO]);
  }, 600_000);

  it('run_deployment_migrator applies a staged plan: the copy exists and the decision names it', async () => {
    await stageEntryPointMove();
    const migrate = await throughFaults(['run_deployment_migrator'], async () => {
      // Not applied: the published decision has no plan yet.
      expect(parsePlacementDecision((await store.get(Tables.workflowPlacementDecision, WF))!, WF).workflow_placement.current_deployment).toBeFalsy();
    });
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stdout).toContain(`${WF}: migrated`);
    expect((await inventoryAwsResources(clients, [MOVED_TO])).regions[MOVED_TO]!.lambdaFunctions).toContain(clients.names.functionName(`${PREFIX}-initial_function_aws-${MOVED_TO}`));
    expect(parsePlacementDecision((await store.get(Tables.workflowPlacementDecision, WF))!, WF).workflow_placement.current_deployment?.time_keys).toEqual(['0']);
  }, 600_000);

  it('remove: the account is as it was before the deploy', async () => {
    const removed = await throughFaults(['remove', WF]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(await inventoryAwsResources(clients, REGIONS)).toEqual(before);
  }, 600_000);

  it('the figures: faults injected at about 10 %, every command completed, every failure clean, no run lost or duplicated', () => {
    const { faults } = proxy;
    figures.inputsTried = faults.requests;
    figures.badInputs = faults.throttled + faults.serverErrors + faults.lostAnswers;
    // A fault is handled cleanly when the command it hit still completed, or failed in one line.
    const unclean = [...commands.flatMap((c) => c.uncleanFailures), ...forcedFailures.filter((f) => !f.clean).map((f) => `${f.command} under a persistent fault: ${f.detail}`)];
    // Commands made to fail on purpose count as bad inputs too: refused cleanly when they failed in one line and rolled back.
    figures.badInputs += forcedFailures.length;
    figures.cleanRefusals = figures.badInputs - unclean.length;
    figures.unclean = unclean.slice(0, 5);
    const name = 'AWS throttling and 5xx at 10 % on moto';
    console.log(
      `${formatFigures(name, figures)}; requests ${faults.requests}: ${faults.throttled} throttled, ${faults.serverErrors} 5xx, ${faults.lostAnswers} 5xx after the work; ` +
        commands.map((c) => `${c.command} ${c.completed ? 'completed' : 'did not complete'} in ${c.attempts} attempt(s)`).join(', ') +
        `; made to fail past the retries: ${forcedFailures.map((f) => `${f.command} ${f.clean ? 'failed in one line and rolled back' : 'failed uncleanly'}`).join(', ')}`,
    );
    saveFigures(name, figures);
    expect(faults.requests).toBeGreaterThan(100);
    expect(figures.badInputs / faults.requests).toBeGreaterThan(0.05);
    expect(unclean).toEqual([]);
    expect(commands.every((c) => c.completed)).toBe(true);
    expect(figures.runsLost).toBe(0);
    expect(figures.runsDuplicated).toBe(0);
  });
});
