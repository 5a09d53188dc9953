import { rmSync } from 'node:fs';
import { CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListTargetsByRuleCommand, DescribeRuleCommand, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  DynamoDbKeyValueStore,
  DynamoDbSyncStoreProvider,
  inventoryAwsResources,
  LambdaFunctionPlatform,
  lambdaLogGroup,
  SqsFailureDestinations,
  timerRuleName,
  type AwsClients,
  type AwsInventory,
} from '@caribou/adapter-aws';
import { awsExampleProject, emulatorClients, notMoto, smallSyncExampleOnAws } from '@caribou/adapter-aws/testing';
import { FRAMEWORK_TABLES, REMOTE_FRAMEWORK_LEDGER_KEY, TIMERS } from '@caribou/application';
import { runCli, type CliResult } from '@caribou/cli/testing';
import { DEFAULT_LAMBDA_RUNTIME, formatTime, supportedLambdaRuntimes, Tables } from '@caribou/domain-common';
import { formatCaribouLine, formatReportLine, LogMessages } from '@caribou/domain-telemetry';
import { parsePlacementDecision, type StagedPlan } from '@caribou/domain-workflow';

const { example: EXAMPLE, home: HOME, movedTo: MOVED_TO, system: SYSTEM, regions: REGIONS, version: VERSION, workflowId: WF, prefix: PREFIX } = smallSyncExampleOnAws('0.3.0');
const aws = (region: string) => ({ provider: 'aws', region });
/**
 * A runtime Lambda supports today other than the default, so the test shows the config's choice
 * reaches every copy (the default when it is the only one left). Real dates, not a fixed clock:
 * the CLI checks the runtime against the day it runs, as it must.
 */
const RUNTIME = supportedLambdaRuntimes(Date.now()).find((id) => id !== DEFAULT_LAMBDA_RUNTIME) ?? DEFAULT_LAMBDA_RUNTIME;
const runtimeOf = async (clients: AwsClients, region: string, name: string) => (await new LambdaFunctionPlatform(clients).getConfiguration(aws(region), name))?.runtime;

describe('the caribou CLI with the aws provider, against moto', () => {
  const endpoint = inject('awsEndpoint');
  // No API keys from the machine running the tests: the test sets the ones it wants.
  const env = { CARIBOU_AWS_ENDPOINT: endpoint, CARIBOU_SYSTEM_REGION: SYSTEM, GOOGLE_API_KEY: '', ELECTRICITY_MAPS_AUTH_TOKEN: '' };
  const cli = (args: string[], extra: Record<string, string> = {}): Promise<CliResult> => runCli(args, { env: { ...env, ...extra } });
  let clients: AwsClients;
  let store: DynamoDbKeyValueStore;
  let projectDir: string;
  let before: AwsInventory;
  let account: string;

  beforeAll(async () => {
    clients = emulatorClients({ systemRegion: SYSTEM });
    store = new DynamoDbKeyValueStore(clients);
    // Whatever account the emulator answers with (moto's fixed one, LocalStack's): never a constant.
    account = await clients.accountId();
    projectDir = awsExampleProject(EXAMPLE, { home: HOME, regions: [MOVED_TO], version: VERSION, runtime: RUNTIME });
    // The framework's shared resources (system tables, each region's sync tables and on-failure queue) outlive workflows.
    await store.ensureTables(FRAMEWORK_TABLES);
    const sync = new DynamoDbSyncStoreProvider(clients);
    const queues = new SqsFailureDestinations(clients);
    for (const region of [HOME, MOVED_TO]) {
      await sync.ensureSyncTables(aws(region));
      await queues.ensure(aws(region));
    }
    before = await inventoryAwsResources(clients, REGIONS);
  });

  afterAll(() => {
    clients.destroy();
    rmSync(projectDir, { recursive: true, force: true });
  });

  describe('workflows', () => {
    it('validate and deploy refuse a runtime AWS blocks (nodejs20.x) in one line naming runtime, creating nothing', async () => {
      const blocked = awsExampleProject(EXAMPLE, { home: HOME, regions: [MOVED_TO], version: VERSION, runtime: 'nodejs20.x' });
      try {
        const expected = `Error: regions_and_providers.providers.aws.config.runtime: nodejs20.x is blocked by AWS Lambda (no new functions since 2026-08-31, no updates since 2026-09-30); use one of ${supportedLambdaRuntimes(Date.now()).join(', ')}\n`;
        for (const command of ['validate', 'deploy']) {
          const result = await cli([command, '-p', blocked]);
          expect(result.code, command).toBe(1);
          expect(result.stderr, command).toBe(expected);
        }
        expect(await inventoryAwsResources(clients, REGIONS)).toEqual(before);
      } finally {
        rmSync(blocked, { recursive: true, force: true });
      }
    });

    it('deploys from the config (provider aws), lists, and runs without waiting', async () => {
      const deploy = await cli(['deploy', '-p', projectDir]);
      expect(deploy.code, deploy.stderr).toBe(0);
      expect(deploy.stdout).toContain(`Workflow small_sync_example with version ${VERSION} deployed\nWorkflow id: ${WF}\n`);
      const home = (await new LambdaFunctionPlatform(clients).list(aws(HOME))).filter((name) => name.startsWith(PREFIX));
      expect(home).toHaveLength(3);
      // Every home copy runs the configured runtime.
      for (const name of home) expect(await runtimeOf(clients, HOME, name), name).toBe(RUNTIME);

      const list = await cli(['list', '--provider', 'aws']);
      expect(list.code, list.stderr).toBe(0);
      expect(list.stdout).toContain(`Deployed workflows:\n`);
      expect(list.stdout.split('\n')).toContain(WF);

      const run = await cli(['run', WF, '-a', '{"execute_1": true}', '--provider', 'aws']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^Run started in aws:[a-z0-9-]+: every function at home \(no placement plan is in force yet: .*\)\nRun ID for current run: [0-9a-f]{32}\n$/);
    });

    it('caribou logs --run prints what the function logged, with its region, read from CloudWatch (moto executes no code: the test writes the lines Lambda would)', async () => {
      const run = await cli(['run', WF, '-a', '{"execute_1": true}', '--provider', 'aws']);
      expect(run.code, run.stderr).toBe(0);
      const runId = /Run ID for current run: ([0-9a-f]{32})/.exec(run.stdout)![1]!;
      // What Lambda's Node runtime writes to the entry copy's log group for this run and for another one.
      // The copy's AWS name carries this install's namespace; its log group follows it.
      const entry = clients.names.functionName(`${PREFIX}-initial_function_aws-${HOME}`);
      const logs = clients.logs(HOME);
      // The deploy created the copy's log group (on its ledger, so remove deletes it).
      const stream = `2026/12/07/[$LATEST]${runId}`;
      await logs.send(new CreateLogStreamCommand({ logGroupName: lambdaLogGroup(entry), logStreamName: stream }));
      const at = Date.now() - 60_000;
      const invocation = (requestId: string, id: string, start: number, text: string) => [
        { timestamp: start, message: `START RequestId: ${requestId} Version: $LATEST` },
        { timestamp: start, message: formatCaribouLine(start, requestId, id, LogMessages.invoked({ instance: `${PREFIX}-initial_function:entry_point:0`, taint: null, hops: 1 })) },
        { timestamp: start + 5, message: `${new Date(start + 5).toISOString()}\t${requestId}\tINFO\t${text}` },
        { timestamp: start + 9, message: formatReportLine({ requestId, durationMs: 9, memorySizeMb: 128, maxMemoryUsedMb: 60 }) },
      ];
      await logs.send(
        new PutLogEventsCommand({
          logGroupName: lambdaLogGroup(entry),
          logStreamName: stream,
          logEvents: [...invocation('req-other', 'e'.repeat(32), at, 'marker of another run'), ...invocation('req-this', runId, at + 1000, 'marker from the entry function')],
        }),
      );

      const shown = await cli(['logs', WF, '--run', runId, '--provider', 'aws']);
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toMatch(
        new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC  aws:${HOME}  ${PREFIX}-initial_function:entry_point:0  run ${runId}  INFO  marker from the entry function\n$`),
      );
      const json = JSON.parse((await cli(['logs', WF, '--function', 'initial_function', '--json', '--provider', 'aws'])).stdout) as Array<Record<string, unknown>>;
      expect(json.map((line) => [line.message, line.run_id, line.region])).toEqual([
        ['marker of another run', 'e'.repeat(32), `aws:${HOME}`],
        ['marker from the entry function', runId, `aws:${HOME}`],
      ]);
    });

    it.skipIf(notMoto())('moto-only: run --wait ends with a clear message when no log line of the run arrives (moto executes no code)', async () => {
      const run = await cli(['run', WF, '--wait', '--provider', 'aws'], { CARIBOU_RUN_WAIT_TIMEOUT: '2' });
      expect(run.code).toBe(1);
      const runId = /Run ID for current run: ([0-9a-f]{32})/.exec(run.stdout)?.[1];
      expect(runId).toBeDefined();
      expect(run.stderr).toContain(`Error: No log lines of run ${runId} arrived within 2 s (read the logs of`);
      expect(run.stderr).toContain(`/aws/lambda/caribou_${PREFIX}-`);
      expect(run.stderr.trim().split('\n').filter((line) => line.startsWith('Error'))).toHaveLength(1);
    });

    it('run_deployment_migrator applies a staged plan in a new process (the package comes from the local cache)', async () => {
      const E = `${PREFIX}-initial_function:entry_point:0`;
      const staged: StagedPlan = {
        time_keys_to_staging_area_data: { '0': { [E]: { provider_region: aws(MOVED_TO) } } },
        deployment_metrics: {},
        expiry_time: formatTime(Date.UTC(2099, 0, 1)),
      };
      await store.put(Tables.workflowPlacementSolverStagingArea, WF, JSON.stringify(staged));
      const migrate = await cli(['run_deployment_migrator', '--provider', 'aws']);
      expect(migrate.code, migrate.stderr).toBe(0);
      expect(migrate.stdout).toContain(`${WF}: migrated`);
      expect(migrate.stdout).toContain(`copy ${PREFIX}-initial_function_aws-${MOVED_TO} to aws:${MOVED_TO}`);
      // The migrated copy runs the runtime the workflow was deployed with.
      expect(await runtimeOf(clients, MOVED_TO, `${PREFIX}-initial_function_aws-${MOVED_TO}`)).toBe(RUNTIME);
      const wpd = parsePlacementDecision((await store.get(Tables.workflowPlacementDecision, WF))!, WF);
      expect(wpd.workflow_placement.current_deployment?.time_keys).toEqual(['0']);
    });

    it('remove deletes every copy: the account is as it was before the deploy', async () => {
      const removed = await cli(['remove', WF, '--provider', 'aws']);
      expect(removed.code, removed.stderr).toBe(0);
      expect(removed.stdout).toContain(`Removed workflow ${WF}`);
      expect(await inventoryAwsResources(clients, REGIONS)).toEqual(before);
      const list = await cli(['list', '--provider', 'aws']);
      expect(list.stdout.split('\n')).not.toContain(WF);
    });
  });

  describe('remote framework and timers', () => {
    const events = () => clients.events(SYSTEM);

    it('timer setup refuses until the framework is deployed', async () => {
      // The reference's words on stdout, and an exit code scripts can see.
      const setup = await cli(['setup_all_timers', '--provider', 'aws']);
      expect(setup.code).toBe(1);
      expect(setup.stdout).toBe('AWS framework is not deployed. Please deploy the framework first.\n');
      expect(setup.stderr).toContain('The remote framework is not deployed; deploy it first with caribou deploy_remote_cli');
      const one = await cli(['setup_timer', 'log_syncer', '--provider', 'aws']);
      expect(one.code).toBe(1);
      expect(one.stdout).toBe('AWS framework is not deployed. Please deploy the framework first.\n');
      expect((await events().send(new ListRulesCommand({}))).Rules ?? []).toEqual([]);
    });

    // Every range and message is checked in remote/timers.spec.ts; here that the command stops before any call.
    it('deploy_remote_cli refuses a setting out of range with the reference message', async () => {
      const deploy = await cli(['deploy_remote_cli', '-t', '901']);
      expect(deploy.code).toBe(1);
      expect(deploy.stderr).toBe('Error: Timeout must be between 1 and 900 seconds.\n');
    });

    it('deploy_remote_cli refuses a runtime AWS blocks in one line naming --runtime, before creating anything', async () => {
      const deploy = await cli(['deploy_remote_cli', '--runtime', 'nodejs20.x']);
      expect(deploy.code).toBe(1);
      expect(deploy.stderr).toBe(
        `Error: --runtime: nodejs20.x is blocked by AWS Lambda (no new functions since 2026-08-31, no updates since 2026-09-30); use one of ${supportedLambdaRuntimes(Date.now()).join(', ')}\n`,
      );
      expect(await new LambdaFunctionPlatform(clients).exists(aws(SYSTEM), 'caribou_cli')).toBe(false);
    });

    it('deploy_remote_cli creates the role and the zip function; an API key set goes to SSM, never into the environment', async () => {
      const deploy = await cli(['deploy_remote_cli', '-m', '512', '-t', '60', '-s', '1024', '--runtime', RUNTIME], { GOOGLE_API_KEY: 'test-google-key' });
      expect(deploy.code, deploy.stderr).toBe(0);
      expect(deploy.stdout).toContain(`Caribou Lambda Framework remote cli function caribou_cli created successfully, with ARN: arn:aws:lambda:us-west-2:${account}:function:caribou_cli`);
      expect(deploy.stdout).toContain('ELECTRICITY_MAPS_AUTH_TOKEN is not set: the remote collectors fall back to the shipped offline data');
      expect(deploy.stdout).toContain('GOOGLE_API_KEY is set: stored as SecureString parameter /caribou/GOOGLE_API_KEY');
      expect(deploy.stdout).not.toContain('test-google-key');
      const configuration = await new LambdaFunctionPlatform(clients).getLambdaConfiguration(aws(SYSTEM), 'caribou_cli');
      expect(configuration).toMatchObject({ packageType: 'Zip', runtime: RUNTIME, handler: 'index.handler', memoryMb: 512, timeoutSeconds: 60, ephemeralStorageMb: 1024 });
      // The framework's time budgets follow -t (8/9 of it): the function carries its own timeout.
      expect(configuration!.environment).toEqual({ CARIBOU_SYSTEM_REGION: SYSTEM, CARIBOU_INSTALL: 'caribou', CARIBOU_REMOTE_TIMEOUT_SECONDS: '60' });
      const policy = await clients.iam().send(new GetRolePolicyCommand({ RoleName: 'caribou_deployment_policy', PolicyName: 'caribou_deployment_policy' }));
      const document = decodeURIComponent(policy.PolicyDocument ?? '');
      expect(document).toContain('lambda:UpdateFunctionCode');
      expect(document).toContain('lambda:UpdateFunctionConfiguration');
      expect(document).not.toContain('lamda:');

      // Deploying again updates in place (the timers' invoke permissions survive). moto keeps the
      // first /tmp size on update; the update request's EphemeralStorage is checked in function-platform.spec.ts.
      const again = await cli(['deploy_remote_cli']);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('GOOGLE_API_KEY is not set: keeping the stored parameter /caribou/GOOGLE_API_KEY');
      // Without --runtime, the default.
      expect(await new LambdaFunctionPlatform(clients).getLambdaConfiguration(aws(SYSTEM), 'caribou_cli')).toMatchObject({ memoryMb: 1769, timeoutSeconds: 900, runtime: DEFAULT_LAMBDA_RUNTIME });
    });

    it('sets up, lists and removes the six timers with their payloads', async () => {
      const setup = await cli(['setup_all_timers', '--provider', 'aws']);
      expect(setup.code, setup.stderr).toBe(0);
      expect(setup.stdout.trim().split('\n')).toHaveLength(6);
      for (const timer of TIMERS) {
        const rule = await events().send(new DescribeRuleCommand({ Name: timerRuleName(timer.name) }));
        expect(rule.ScheduleExpression).toBe(timer.schedule);
        const targets = await events().send(new ListTargetsByRuleCommand({ Rule: timerRuleName(timer.name) }));
        expect(targets.Targets?.map((t) => [t.Arn, JSON.parse(t.Input ?? 'null')])).toEqual([[`arn:aws:lambda:${SYSTEM}:${account}:function:caribou_cli`, timer.payload]]);
      }

      const custom = await cli(['setup_timer', 'log_syncer', '-se', 'rate(6 hours)', '--provider', 'aws']);
      expect(custom.stdout).toBe('Successfully created timer rule for log_syncer, schedule expression: rate(6 hours) - Every 6 hours (Rate Expression: rate(6 hours))\n');

      const list = await cli(['list_timers', '--provider', 'aws']);
      expect(list.stdout).toBe(
        [
          'Available Timers:',
          '  provider_collector: At 00:05, on day 1 of the month (UTC; Cron Expression: cron(5 0 1 * ? *))',
          '  carbon_collector: At 00:30 (UTC; Cron Expression: cron(30 0 * * ? *))',
          '  performance_collector: At 00:30 (UTC; Cron Expression: cron(30 0 * * ? *))',
          '  log_syncer: Every 6 hours (Rate Expression: rate(6 hours))',
          '  deployment_manager: At 01:00 (UTC; Cron Expression: cron(0 1 * * ? *))',
          '  deployment_migrator: At 02:00 (UTC; Cron Expression: cron(0 2 * * ? *))',
          '',
        ].join('\n'),
      );

      const removeOne = await cli(['remove_timer', 'log_syncer', '--provider', 'aws']);
      expect(removeOne.code, removeOne.stderr).toBe(0);
      const names = async () => ((await events().send(new ListRulesCommand({}))).Rules ?? []).map((rule) => rule.Name).sort();
      expect(await names()).toEqual(TIMERS.filter((t) => t.name !== 'log_syncer').map((t) => timerRuleName(t.name)).sort());
      const removeAll = await cli(['remove_all_timers', '--provider', 'aws']);
      expect(removeAll.code, removeAll.stderr).toBe(0);
      expect(await names()).toEqual([]);
    });

    it("setup_all_timers -prc 'cron(0 3 1 * ? *)' sets only that rule's schedule; the other five keep their defaults", async () => {
      const setup = await cli(['setup_all_timers', '-prc', 'cron(0 3 1 * ? *)', '--provider', 'aws']);
      expect(setup.code, setup.stderr).toBe(0);
      for (const timer of TIMERS) {
        const rule = await events().send(new DescribeRuleCommand({ Name: timerRuleName(timer.name) }));
        expect([timer.name, rule.ScheduleExpression]).toEqual([timer.name, timer.name === 'provider_collector' ? 'cron(0 3 1 * ? *)' : timer.schedule]);
      }
      expect((await cli(['remove_all_timers', '--provider', 'aws'])).code).toBe(0);
    });

    const remoteLedger = async () => {
      const row = await store.get(Tables.resourceLedger, REMOTE_FRAMEWORK_LEDGER_KEY);
      return row === undefined ? undefined : (JSON.parse(row) as { resources: Array<{ kind: string; name: string; region: { region: string }; state: string }> }).resources;
    };

    it('deploy_remote_cli and setup_all_timers record each resource on the remote framework ledger; remove_remote_cli deletes exactly that: the account is as before', async () => {
      expect((await cli(['setup_all_timers', '--provider', 'aws'])).code).toBe(0);
      const listed = await remoteLedger();
      expect(listed?.map((entry) => `${entry.kind} ${entry.name} ${entry.region.region} ${entry.state}`).sort()).toEqual(
        [
          ...TIMERS.map((timer) => `rule ${timer.name} ${SYSTEM} created`),
          `function caribou_cli ${SYSTEM} created`,
          `log-group /aws/lambda/caribou_cli ${SYSTEM} created`,
          `parameter /caribou/GOOGLE_API_KEY ${SYSTEM} created`,
          `role caribou_deployment_policy ${SYSTEM} created`,
        ].sort(),
      );
      const removed = await cli(['remove_remote_cli']);
      expect(removed.code, removed.stderr).toBe(0);
      expect(removed.stdout).toContain('Removing Remote framework\n');
      expect(removed.stdout).toContain('Removed timer log_syncer\n');
      expect(removed.stdout).toContain('Deleted function caribou_cli\n');
      expect(removed.stdout).toContain('Deleted log group /aws/lambda/caribou_cli\n');
      expect(removed.stdout).toContain('Deleted role caribou_deployment_policy\n');
      expect(removed.stdout).toContain('Deleted parameter /caribou/GOOGLE_API_KEY\n');
      expect(await remoteLedger()).toBeUndefined();
      expect(await inventoryAwsResources(clients, REGIONS)).toEqual(before);
      // Nothing left to remove: running it again is fine.
      expect((await cli(['remove_remote_cli'])).code).toBe(0);
    });

    it('an install deployed before its resources were on a ledger (no ledger row) is removed by name: the account is as before', async () => {
      expect((await cli(['deploy_remote_cli'], { GOOGLE_API_KEY: 'test-google-key' })).code).toBe(0);
      expect((await cli(['setup_all_timers', '--provider', 'aws'])).code).toBe(0);
      await store.delete(Tables.resourceLedger, REMOTE_FRAMEWORK_LEDGER_KEY);
      const removed = await cli(['remove_remote_cli']);
      expect(removed.code, removed.stderr).toBe(0);
      expect(removed.stdout).toContain('Deleting function caribou_cli\n');
      expect(removed.stdout).toContain('Deleting role caribou_deployment_policy\n');
      expect(removed.stdout).toContain('Deleted parameter /caribou/GOOGLE_API_KEY\n');
      expect(await inventoryAwsResources(clients, REGIONS)).toEqual(before);
    });

    it('a redeploy adopts what an install deployed before the ledger has (its rules and kept parameter), so removal by the ledger leaves nothing', async () => {
      expect((await cli(['deploy_remote_cli'], { GOOGLE_API_KEY: 'test-google-key' })).code).toBe(0);
      expect((await cli(['setup_all_timers', '--provider', 'aws'])).code).toBe(0);
      await store.delete(Tables.resourceLedger, REMOTE_FRAMEWORK_LEDGER_KEY);
      expect((await cli(['deploy_remote_cli'])).code).toBe(0);
      expect((await remoteLedger())?.map((entry) => `${entry.kind} ${entry.name}`)).toEqual(
        expect.arrayContaining([...TIMERS.map((timer) => `rule ${timer.name}`), 'parameter /caribou/GOOGLE_API_KEY']),
      );
      expect((await cli(['remove_remote_cli'])).code).toBe(0);
      expect(await remoteLedger()).toBeUndefined();
      expect(await inventoryAwsResources(clients, REGIONS)).toEqual(before);
    });
  });
});
