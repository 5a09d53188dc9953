import { randomBytes } from 'node:crypto';
import { FilterLogEventsCommand, paginateDescribeLogGroups } from '@aws-sdk/client-cloudwatch-logs';
import { paginateListTables, paginateScan } from '@aws-sdk/client-dynamodb';
import { GetFunctionConfigurationCommand, paginateListFunctions } from '@aws-sdk/client-lambda';
import { GetParametersCommand, ListTagsForResourceCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAwsAdapters, type AwsAdapterSet, type PolicyDocument } from '@caribou/adapter-aws';
import { GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { readZipEntries } from '@caribou/adapter-archive/testing';
import { emulatorConfig, startRecordingProxy, unauthorizedCalls, type RecordedRequest, type RecordingProxy } from '@caribou/adapter-aws/testing';
import { FRAMEWORK_TABLES } from '@caribou/application';
import { runCli, type CliResult } from '@caribou/cli/testing';
import { SOURCE_TOKENS } from '@caribou/ports';
import { composeRemoteContainer } from '@caribou/remote-handler/lambda';
import { bundledHandler } from '@caribou/remote-handler/testing';

const SYSTEM = 'us-west-2';
/** An install of its own: the shared emulator also holds the default install of other suites. */
const INSTALL = 'secrets';
const PARAMETERS = { ELECTRICITY_MAPS_AUTH_TOKEN: `/${INSTALL}/ELECTRICITY_MAPS_AUTH_TOKEN`, GOOGLE_API_KEY: `/${INSTALL}/GOOGLE_API_KEY` };

/** Values no file, default or other test holds: finding one anywhere but in SSM is a leak. */
const MARKERS = { ELECTRICITY_MAPS_AUTH_TOKEN: `em-marker-${randomBytes(8).toString('hex')}`, GOOGLE_API_KEY: `google-marker-${randomBytes(8).toString('hex')}` };
const markerIn = (text: string): boolean => Object.values(MARKERS).some((marker) => text.includes(marker));

/** The zip a Lambda CreateFunction / UpdateFunctionCode request carried. */
function uploadedZip(request: RecordedRequest): Buffer | undefined {
  if (request.service !== 'lambda' || !/^\/2015-03-31\/functions(\/[^/]+\/code)?\/?$/.test(request.path.split('?')[0]!)) return undefined;
  const body = JSON.parse(request.body || '{}') as { ZipFile?: string; Code?: { ZipFile?: string } };
  const zip = body.ZipFile ?? body.Code?.ZipFile;
  return zip ? Buffer.from(zip, 'base64') : undefined;
}

/*
 * Issue 13 "Must show": deploy_remote_cli with marker values for both API keys puts the markers
 * in SecureString parameters under the install's prefix and nowhere else — not in any request
 * but SSM's PutParameter, any function's configuration, the uploaded bundle, the CLI's output,
 * a log group or a table; a second deploy without them keeps them; the handler reads them when
 * it starts; remove_remote_cli deletes them. Everything through the real CLI against moto,
 * with a recording proxy in front of it that keeps every request the CLI and the handler sent.
 */
describe('API keys of the remote framework live only in SSM Parameter Store (moto)', () => {
  let proxy: RecordingProxy;
  let adapters: AwsAdapterSet;
  let first: CliResult;
  const handlerLines: string[] = [];
  const env = (): Record<string, string> => ({ CARIBOU_AWS_ENDPOINT: proxy.endpoint, CARIBOU_SYSTEM_REGION: SYSTEM, CARIBOU_INSTALL: INSTALL, GOOGLE_API_KEY: '', ELECTRICITY_MAPS_AUTH_TOKEN: '' });
  const cli = (args: string[], extra: Record<string, string> = {}): Promise<CliResult> => runCli(args, { env: { ...env(), ...extra } });
  const stored = async () => {
    const answer = await adapters.clients.ssm().send(new GetParametersCommand({ Names: Object.values(PARAMETERS), WithDecryption: true }));
    return Object.fromEntries((answer.Parameters ?? []).map((parameter) => [parameter.Name, { type: parameter.Type, value: parameter.Value }]));
  };

  beforeAll(async () => {
    proxy = await startRecordingProxy(inject('awsEndpoint'));
    adapters = createAwsAdapters(emulatorConfig({ systemRegion: SYSTEM, install: INSTALL }));
    await adapters.store.ensureTables(FRAMEWORK_TABLES);
    first = await cli(['deploy_remote_cli', '-m', '256', '-t', '60', '-s', '512'], MARKERS);
  });

  afterAll(async () => {
    await cli(['remove_remote_cli']);
    await adapters.store.dropTables(FRAMEWORK_TABLES);
    adapters.clients.destroy();
    await proxy.close();
  });

  it('deploy_remote_cli stores both keys as SecureString parameters of the install, tagged, and prints only their names', async () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`ELECTRICITY_MAPS_AUTH_TOKEN is set: stored as SecureString parameter ${PARAMETERS.ELECTRICITY_MAPS_AUTH_TOKEN}\n`);
    expect(first.stdout).toContain(`GOOGLE_API_KEY is set: stored as SecureString parameter ${PARAMETERS.GOOGLE_API_KEY}\n`);
    expect(await stored()).toEqual({
      [PARAMETERS.ELECTRICITY_MAPS_AUTH_TOKEN]: { type: 'SecureString', value: MARKERS.ELECTRICITY_MAPS_AUTH_TOKEN },
      [PARAMETERS.GOOGLE_API_KEY]: { type: 'SecureString', value: MARKERS.GOOGLE_API_KEY },
    });
    for (const parameter of Object.values(PARAMETERS)) {
      const tags = await adapters.clients.ssm().send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: parameter }));
      expect(tags.TagList, parameter).toEqual(expect.arrayContaining([{ Key: 'caribou:install', Value: INSTALL }, { Key: 'caribou:managed-by', Value: 'caribou' }]));
    }
  });

  it('no request but SSM PutParameter carried a key, and the uploaded bundle holds none', () => {
    const carrying = proxy.requests.filter((request) => markerIn(request.body)).map((request) => `${request.service} ${request.target ?? request.path}`);
    expect(carrying).toEqual(['ssm AmazonSSM.PutParameter', 'ssm AmazonSSM.PutParameter']);
    const zips = proxy.requests.flatMap((request) => uploadedZip(request) ?? []);
    // The function was created from a zip (the check below can only pass by reading it).
    expect(zips.length).toBeGreaterThan(0);
    for (const zip of zips) {
      const entries = readZipEntries(zip);
      expect(Object.keys(entries)).toContain('index.mjs');
      for (const [name, data] of Object.entries(entries)) expect(markerIn(data.toString('utf8')), name).toBe(false);
    }
  });

  it('no function configuration, output, log group or table holds a key', async () => {
    expect(markerIn(first.stdout + first.stderr)).toBe(false);
    const lambda = adapters.clients.lambda(SYSTEM);
    const functions: string[] = [];
    for await (const page of paginateListFunctions({ client: lambda }, {})) functions.push(...(page.Functions ?? []).map((fn) => fn.FunctionName!));
    expect(functions).toContain(`${INSTALL}_cli`);
    for (const name of functions) {
      const configuration = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
      expect(markerIn(JSON.stringify(configuration)), name).toBe(false);
    }
    const cli = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: `${INSTALL}_cli` }));
    // The function's variables say where the install lives, never a key (their values were checked above).
    expect(cli.Environment?.Variables).toMatchObject({ CARIBOU_SYSTEM_REGION: SYSTEM, CARIBOU_INSTALL: INSTALL });
    expect(Object.keys(cli.Environment?.Variables ?? {})).not.toEqual(expect.arrayContaining(['ELECTRICITY_MAPS_AUTH_TOKEN']));
    expect(Object.keys(cli.Environment?.Variables ?? {})).not.toEqual(expect.arrayContaining(['GOOGLE_API_KEY']));

    const logs = adapters.clients.logs(SYSTEM);
    for await (const page of paginateDescribeLogGroups({ client: logs }, {})) {
      for (const group of page.logGroups ?? []) {
        for (const marker of Object.values(MARKERS)) {
          const found = await logs.send(new FilterLogEventsCommand({ logGroupName: group.logGroupName, filterPattern: `"${marker}"` }));
          expect(found.events ?? [], group.logGroupName).toEqual([]);
        }
      }
    }
    const dynamodb = adapters.clients.dynamodb(SYSTEM);
    let tables = 0;
    for await (const page of paginateListTables({ client: dynamodb }, {})) {
      for (const table of page.TableNames ?? []) {
        tables++;
        for await (const rows of paginateScan({ client: dynamodb }, { TableName: table })) expect(markerIn(JSON.stringify(rows.Items ?? [])), table).toBe(false);
      }
    }
    expect(tables).toBeGreaterThan(0);
  });

  it('the deployed handler reads the keys from SSM when it starts (before composing), and logs none of them', async () => {
    const handler = await bundledHandler({ ...env(), GOOGLE_API_KEY: undefined, ELECTRICITY_MAPS_AUTH_TOKEN: undefined }, (line) => handlerLines.push(line));
    const sent = proxy.requests.length;
    expect(await handler({ action: 'list' })).toEqual({ status: 200, workflows: [] });
    const calls = proxy.requests.slice(sent);
    // The first call the handler makes reads the install's parameters, decrypted.
    expect(calls[0]).toMatchObject({ service: 'ssm', target: 'AmazonSSM.GetParameters' });
    expect(JSON.parse(calls[0]!.body)).toEqual({ Names: Object.values(PARAMETERS), WithDecryption: true });
    expect(handlerLines.length).toBeGreaterThan(0);
    expect(handlerLines.filter(markerIn)).toEqual([]);
    // The framework's role may make that read: ssm:GetParameters on the install's parameters only.
    const role = `${INSTALL}_deployment_policy`;
    const stored = await adapters.clients.iam().send(new GetRolePolicyCommand({ RoleName: role, PolicyName: role }));
    expect(unauthorizedCalls(JSON.parse(decodeURIComponent(stored.PolicyDocument ?? '')) as PolicyDocument, calls, await adapters.clients.accountId())).toEqual([]);
  });

  it('the container the handler composes has the live collectors those keys enable; without stored keys it has none', async () => {
    const withKeys = await composeRemoteContainer({ CARIBOU_AWS_ENDPOINT: proxy.endpoint, CARIBOU_SYSTEM_REGION: SYSTEM, CARIBOU_INSTALL: INSTALL }, { log: () => undefined });
    expect(withKeys.isBound(SOURCE_TOKENS.LiveCarbonSource)).toBe(true);
    expect(withKeys.isBound(SOURCE_TOKENS.Geocoder)).toBe(true);
    // Another install of the same account stores no keys: its framework falls back to the shipped dataset.
    const other = await composeRemoteContainer({ CARIBOU_AWS_ENDPOINT: proxy.endpoint, CARIBOU_SYSTEM_REGION: SYSTEM, CARIBOU_INSTALL: 'nokeys' }, { log: () => undefined });
    expect(other.isBound(SOURCE_TOKENS.LiveCarbonSource)).toBe(false);
    expect(other.isBound(SOURCE_TOKENS.Geocoder)).toBe(false);
  });

  it('a second deploy_remote_cli without the keys keeps them', async () => {
    const again = await cli(['deploy_remote_cli', '-m', '256', '-t', '60', '-s', '512']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`ELECTRICITY_MAPS_AUTH_TOKEN is not set: keeping the stored parameter ${PARAMETERS.ELECTRICITY_MAPS_AUTH_TOKEN}\n`);
    expect(again.stdout).toContain(`GOOGLE_API_KEY is not set: keeping the stored parameter ${PARAMETERS.GOOGLE_API_KEY}\n`);
    expect(await stored()).toEqual({
      [PARAMETERS.ELECTRICITY_MAPS_AUTH_TOKEN]: { type: 'SecureString', value: MARKERS.ELECTRICITY_MAPS_AUTH_TOKEN },
      [PARAMETERS.GOOGLE_API_KEY]: { type: 'SecureString', value: MARKERS.GOOGLE_API_KEY },
    });
  });

  it('remove_remote_cli deletes the parameters with the function and the role', async () => {
    const removed = await cli(['remove_remote_cli']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain(`Deleted parameter ${PARAMETERS.ELECTRICITY_MAPS_AUTH_TOKEN}\n`);
    expect(removed.stdout).toContain(`Deleted parameter ${PARAMETERS.GOOGLE_API_KEY}\n`);
    expect(await stored()).toEqual({});
    expect((await cli(['remove_remote_cli'])).code).toBe(0);
  });
});
