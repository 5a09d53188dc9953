import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHash } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand, GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { InstallNamespace, type AwsClients, type PolicyDocument } from '@caribou/adapter-aws';
import { createLambdaHandler } from '@caribou/adapter-aws/lambda-runtime';
import { readZipEntries } from '@caribou/adapter-archive/testing';
import { awsExampleProject, emulatorClients, smallSyncExampleOnAws, startRecordingProxy, unauthorizedCalls, type RecordedRequest, type RecordingProxy } from '@caribou/adapter-aws/testing';
import { FileSystemProjectLoader } from '@caribou/adapter-project';
import { RunWorkflowService, type DeployableProject, type DeployWorkflowService, type RemoveWorkflowService } from '@caribou/application';
import { createContainer, SERVICES, type CaribouContainer } from '@caribou/cli/composition';
import { SYNC_TABLE_TTL_SECONDS, SyncTables, type ProviderRegion } from '@caribou/domain-common';
import { parseLogLine, type CaribouLogLine } from '@caribou/domain-telemetry';
import type { CaribouWorkflow } from '@caribou/sdk';
import { TOKENS, type Clock, type FunctionInvoker, type KeyValueStore, type PackageBuilder, type RandomSource } from '@caribou/ports';

// The handler runs the example's own module, so the deployment carries its version.
const { example: EXAMPLE, home: HOME, system: SYSTEM, workflowId: WF, prefix: PREFIX, instances: { sync: S, secondSync: T } } = smallSyncExampleOnAws('0.0.1');
const REPO_NODE_MODULES = join(import.meta.dirname, '../../node_modules');
/** The ARN of a home copy, in the emulator's account (from STS, as on AWS): the install's name for it (long names are cut and end with a hash). */
let account: string;
/** Runs invoke the release alias `caribou` of each copy. */
const arn = (fn: string) => `arn:aws:lambda:${HOME}:${account}:function:${new InstallNamespace().functionName(`${PREFIX}-${fn}_aws-${HOME}`)}:caribou`;

interface RecordedInvoke {
  region: ProviderRegion;
  identifier: string;
  message: string;
}

/** The real invoker (Lambda Invoke on moto), remembering what went through it. */
function recording(invoker: FunctionInvoker, into: RecordedInvoke[]): FunctionInvoker {
  return {
    async invokeAsync(region, identifier, message) {
      await invoker.invokeAsync(region, identifier, message);
      into.push({ region, identifier, message });
    },
  };
}

const caribouLines = (lines: string[]): CaribouLogLine[] =>
  lines.map(parseLogLine).filter((line): line is CaribouLogLine => line.kind === 'caribou');
const markers = (lines: string[]) => caribouLines(lines).map((line) => line.message.marker);
const addressedTo = (invoke: RecordedInvoke) =>
  (JSON.parse(invoke.message) as { workflow_placement_decision: { current_instance_name: string } }).workflow_placement_decision.current_instance_name;

describe('the Lambda runtime of a deployed function, on moto', () => {
  let container: CaribouContainer;
  let clients: AwsClients;
  let project: DeployableProject;
  let projectDir: string;
  /** The example's own module, run by the same SDK runtime the Lambda handler uses. */
  let workflow: CaribouWorkflow;
  const endpoint = inject('awsEndpoint');
  /** The functions reach moto through a proxy that keeps their requests, to hold them against their roles' policies. */
  let proxy: RecordingProxy;
  const requestsOf = new Map<string, RecordedRequest[]>();
  /** Runs `work` as function `fn` and files the requests the proxy saw meanwhile under it (handlers run one at a time). */
  async function asFunction<T>(fn: string, work: () => Promise<T>): Promise<T> {
    const from = proxy.requests.length;
    try {
      return await work();
    } finally {
      requestsOf.set(fn, [...(requestsOf.get(fn) ?? []), ...proxy.requests.slice(from)]);
    }
  }
  const functionEnv = (fn: string) => ({ AWS_REGION: HOME, CARIBOU_WORKFLOW_FUNCTION: fn, CARIBOU_SYSTEM_REGION: SYSTEM, CARIBOU_AWS_ENDPOINT: proxy.endpoint });

  beforeAll(async () => {
    proxy = await startRecordingProxy(endpoint);
    container = await createContainer('aws', { ...process.env, CARIBOU_AWS_ENDPOINT: endpoint, CARIBOU_SYSTEM_REGION: SYSTEM });
    clients = emulatorClients({ systemRegion: SYSTEM });
    account = await clients.accountId();
    workflow = ((await import(pathToFileURL(join(EXAMPLE, 'src/app.ts')).href)) as { workflow: CaribouWorkflow }).workflow;
    projectDir = awsExampleProject(EXAMPLE, { home: HOME });
    project = await new FileSystemProjectLoader().load(projectDir);
    await container.get<DeployWorkflowService>(SERVICES.Deploy).deploy(project);
  });

  afterAll(async () => {
    await container.get<RemoveWorkflowService>(SERVICES.Remove).remove(WF);
    await container.close();
    clients.destroy();
    await proxy.close();
    rmSync(projectDir, { recursive: true, force: true });
  });

  const syncItem = async (table: string, id: string) =>
    (await clients.dynamodb(HOME).send(new GetItemCommand({ TableName: clients.names.table(table), Key: { id: { S: id } }, ConsistentRead: true }))).Item;

  /** One function's handler, as the bundle builds it, with its invokes recorded and its lines kept. */
  function handlerOf(fn: string, invokes: RecordedInvoke[], lines: string[]) {
    const handler = createLambdaHandler(workflow, { env: functionEnv(fn), wrapInvoker: (real) => recording(real, invokes), log: (line) => lines.push(line) });
    return (event: unknown, context: { awsRequestId: string }) => asFunction(fn, () => handler(event, context));
  }

  it('runs a whole run from the client message: sync store writes on moto, each successor invoked once, through Lambda', async () => {
    // The client's first message, exactly as `caribou run` sends it (and moto accepts it).
    const fromClient: RecordedInvoke[] = [];
    const runner = new RunWorkflowService({
      store: container.get<KeyValueStore>(TOKENS.KeyValueStore),
      invoker: recording(container.get<FunctionInvoker>(TOKENS.FunctionInvoker), fromClient),
      clock: container.get<Clock>(TOKENS.Clock),
      random: container.get<RandomSource>(TOKENS.RandomSource),
    });
    const startedS = Math.floor(Date.now() / 1000);
    const { runId } = await runner.run(WF, JSON.stringify({ execute_1: true, execute_2: true, execute_3: false }));
    expect(fromClient).toHaveLength(1);
    expect(fromClient[0]!.identifier).toBe(arn('initial_function'));

    const entryInvokes: RecordedInvoke[] = [];
    const entryLines: string[] = [];
    expect(await handlerOf('initial_function', entryInvokes, entryLines)(JSON.parse(fromClient[0]!.message), { awsRequestId: 'request-entry' })).toEqual({ status: 200 });
    // The placement came with the message; both direct calls reached syncFunction, whose second arrival invokes it.
    const entryMarkers = markers(entryLines);
    expect(entryMarkers.slice(0, 2)).toEqual(['ENTRY_POINT', 'INVOKED']);
    expect(entryMarkers.filter((marker) => marker === 'INVOKING_SUCCESSOR')).toHaveLength(2);
    expect(entryMarkers.slice(-2)).toEqual(['EXECUTED', 'USED_CPU_MODEL']);
    expect(caribouLines(entryLines).every((line) => line.runId === runId && line.requestId === 'request-entry')).toBe(true);
    expect(entryInvokes.map((invoke) => [invoke.region.region, invoke.identifier, addressedTo(invoke)])).toEqual([[HOME, arn('syncFunction'), S]]);

    const messages = await syncItem(SyncTables.messages, `${S}:${runId}`);
    expect(Object.keys(messages?.message?.M ?? {})).toHaveLength(2);
    expect(messages?.message_order?.L).toHaveLength(2);
    const counter = await syncItem(SyncTables.predecessorCounter, runId);
    expect(Object.values(counter?.[S]?.M ?? {}).map((flag) => flag.BOOL)).toEqual([true, true]);
    expect(Object.values(counter?.[T]?.M ?? {}).map((flag) => flag.BOOL)).toEqual([false]);
    expect(counter?.[`invoked_${S}`]?.S).toMatch(/#\d+$/);
    // Expiry = the write's clock second + the TTL: bounded by the seconds around the run, however long it took.
    const expiresS = Number(counter?.cb_ttl_expiration_time?.N);
    expect(expiresS).toBeGreaterThanOrEqual(startedS + SYNC_TABLE_TTL_SECONDS);
    expect(expiresS).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + SYNC_TABLE_TTL_SECONDS);

    // The successor message for the sync node, as Lambda would deliver it.
    const syncInvokes: RecordedInvoke[] = [];
    const syncLines: string[] = [];
    const syncResult = (await handlerOf('syncFunction', syncInvokes, syncLines)(JSON.parse(entryInvokes[0]!.message), { awsRequestId: 'request-sync' })) as {
      received: unknown[];
    };
    expect(syncResult.received).toEqual([
      { from: 'initial_function', call: 1 },
      { from: 'initial_function', call: 2 },
    ]);
    expect(syncInvokes.map((invoke) => [invoke.identifier, addressedTo(invoke)])).toEqual([[arn('secondSyncFunction'), T]]);
    expect((await syncItem(SyncTables.predecessorCounter, runId))?.[`invoked_${T}`]?.S).toMatch(/#\d+$/);

    const lastInvokes: RecordedInvoke[] = [];
    const lastLines: string[] = [];
    const last = (await handlerOf('secondSyncFunction', lastInvokes, lastLines)(JSON.parse(syncInvokes[0]!.message), { awsRequestId: 'request-last' })) as {
      received: unknown[];
    };
    expect(last.received).toEqual([{ from: 'syncFunction', received: 2 }]);
    expect(lastInvokes).toEqual([]);
    expect(markers(lastLines)).toContain('EXECUTED');
  });

  it('reads the placement decision from DynamoDB when invoked without one', async () => {
    const invokes: RecordedInvoke[] = [];
    const lines: string[] = [];
    await handlerOf('initial_function', invokes, lines)({ payload: { execute_3: true } }, { awsRequestId: 'request-bare' });
    const parsed = caribouLines(lines);
    expect(parsed[0]!.message.marker).toBe('RETRIVE_WPD');
    expect(lines[0]).toContain('RETRIEVED_PLACEMENT_DECISION_FROM_PLATFORM (True)');
    expect(parsed[0]!.runId).toMatch(/^[0-9a-f]{32}$/);
    // syncFunction is skipped twice (it never runs), so secondSyncFunction's last edge is the direct call.
    expect(invokes.map((invoke) => [invoke.identifier, addressedTo(invoke)])).toEqual([[arn('secondSyncFunction'), T]]);
  });

  it('the deployed zip itself: its handler runs in a fresh Node process, logs raw [CARIBOU] lines to stdout and invokes through Lambda', async () => {
    const artifact = await container.get<PackageBuilder>(TOKENS.PackageBuilder).build({
      workflowName: project.workflow.workflowName,
      workflowVersion: project.workflow.workflowVersion,
      projectDir,
      appEntry: project.appEntry,
      provider: 'aws',
    });
    if (artifact.kind !== 'zip') throw new Error(`expected a zip package, got ${artifact.kind}`);
    const zip = readFileSync(artifact.path);
    const deployed = await clients.lambda(HOME).send(new GetFunctionCommand({ FunctionName: clients.names.functionName(`${PREFIX}-initial_function_aws-${HOME}`) }));
    expect(createHash('sha256').update(zip).digest('base64')).toBe(deployed.Configuration?.CodeSha256);
    const files = readZipEntries(zip);
    expect(Object.keys(files)).toEqual(['index.mjs']);
    const code = files['index.mjs']!.toString('utf8');
    // The SDK is the runtime's own, not bundled; none of the deploy-side clients is loaded.
    expect(code).toMatch(/from\s*"@aws-sdk\/client-dynamodb"/);
    expect(code).not.toMatch(/@aws-sdk\/client-(iam|ecr|pricing|ec2|eventbridge|cloudwatch-logs)/);
    // Reading the compact placement decision needs no schema library (zod would add ~750 KB).
    expect(code).not.toContain('ZodType');

    // Lambda's Node.js runtime provides @aws-sdk/*; here the repository's node_modules stands in for it.
    const taskRoot = mkdtempSync(join(tmpdir(), 'caribou-lambda-task-'));
    writeFileSync(join(taskRoot, 'index.mjs'), files['index.mjs']!);
    symlinkSync(REPO_NODE_MODULES, join(taskRoot, 'node_modules'), 'dir');
    const driver = [
      `const { handler } = await import(${JSON.stringify(join(taskRoot, 'index.mjs'))});`,
      `const result = await handler({ payload: { execute_3: true } }, { awsRequestId: 'bundle-request' });`,
      `process.stderr.write('RESULT ' + JSON.stringify(result));`,
    ].join('\n');
    const { code: exitCode, stdout, stderr } = await asFunction('initial_function', () => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', driver], {
        cwd: taskRoot,
        env: { PATH: process.env.PATH ?? '', ...functionEnv('initial_function') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk) => (out += String(chunk)));
      child.stderr.on('data', (chunk) => (err += String(chunk)));
      child.on('error', reject);
      child.on('close', (status) => resolve({ code: status, stdout: out, stderr: err }));
    }));
    rmSync(taskRoot, { recursive: true, force: true });
    expect(exitCode, stderr).toBe(0);
    expect(stderr).toContain('RESULT {"status":200}');
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines.every((line) => line.startsWith('[CARIBOU]\t'))).toBe(true);
    const bundleMarkers = markers(lines);
    expect(bundleMarkers.slice(0, 3)).toEqual(['RETRIVE_WPD', 'ENTRY_POINT', 'INVOKED']);
    expect(bundleMarkers.slice(-2)).toEqual(['EXECUTED', 'USED_CPU_MODEL']);
    const sends = caribouLines(lines).filter((line) => line.message.marker === 'INVOKING_SUCCESSOR');
    expect(sends).toHaveLength(1);
    const sent = sends[0]!;
    expect(sent.message).toMatchObject({ successor: T, successorInvoked: true, provider: 'aws', region: HOME });
    expect(sent.requestId).toBe('bundle-request');
    const counter = await syncItem(SyncTables.predecessorCounter, sent.runId);
    expect(counter?.[`invoked_${T}`]?.S).toMatch(/#\d+$/);
  });

  it("every AWS call each function made is allowed by its own role's generated policy, as stored on moto (issue 13)", async () => {
    expect([...requestsOf.keys()].sort()).toEqual(['initial_function', 'secondSyncFunction', 'syncFunction']);
    const iam = clients.iam();
    for (const [fn, requests] of requestsOf) {
      const configuration = await clients.lambda(HOME).send(new GetFunctionConfigurationCommand({ FunctionName: clients.names.functionName(`${PREFIX}-${fn}_aws-${HOME}`) }));
      const roleName = configuration.Role!.split('/').pop()!;
      const stored = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: roleName }));
      const policy = JSON.parse(decodeURIComponent(stored.PolicyDocument ?? '')) as PolicyDocument;
      expect(requests.length, fn).toBeGreaterThan(0);
      expect(unauthorizedCalls(policy, requests, account), fn).toEqual([]);
    }
  });
});
