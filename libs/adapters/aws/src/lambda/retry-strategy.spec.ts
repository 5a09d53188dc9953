import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startRecordedHttpServer, type ReceivedRequest, type RecordedHttpServer, type RecordedResponse } from '@caribou/ports/contracts';
import { AwsClients } from '../config';
import { LambdaFunctionPlatform } from './function-platform';
import { LAMBDA_MIN_ATTEMPTS } from './retry-strategy';

// moto produces neither IAM propagation delays nor Lambda's "update in progress" conflicts, so these
// run the real SDK client (its retry middleware included) against Lambda's REST answers on 127.0.0.1.

type Operation = 'GetFunction' | 'CreateFunction' | 'UpdateFunctionCode' | 'UpdateFunctionConfiguration' | 'DeleteFunction';

function operationOf(request: ReceivedRequest): Operation {
  const path = new URL(request.url, 'http://lambda').pathname;
  if (request.method === 'POST' && path === '/2015-03-31/functions') return 'CreateFunction';
  if (request.method === 'PUT' && path.endsWith('/code')) return 'UpdateFunctionCode';
  if (request.method === 'PUT' && path.endsWith('/configuration')) return 'UpdateFunctionConfiguration';
  if (request.method === 'DELETE') return 'DeleteFunction';
  if (request.method === 'GET') return 'GetFunction';
  throw new Error(`unexpected Lambda request ${request.method} ${path}`);
}

const arn = 'arn:aws:lambda:us-east-1:123456789012:function:wf-0_0_1-f_aws-us-east-1';
const ok = (status: number, body: object = { FunctionArn: arn }): RecordedResponse => ({ status, body: JSON.stringify(body) });
const refused = (status: number, type: string, message: string): RecordedResponse => ({
  status,
  headers: { 'x-amzn-errortype': type },
  body: JSON.stringify({ Type: 'User', message }),
});
const ready = ok(200, { Configuration: { FunctionArn: arn, State: 'Active', LastUpdateStatus: 'Successful', PackageType: 'Zip' } });
const notFound = refused(404, 'ResourceNotFoundException', 'Function not found');
const roleNotReady = refused(400, 'InvalidParameterValueException', 'The role defined for the function cannot be assumed by Lambda.');
const busy = refused(409, 'ResourceConflictException', 'The operation cannot be performed at this time. An update is in progress for resource: ' + arn);

let server: (RecordedHttpServer & { calls: Operation[] }) | undefined;
let clients: AwsClients | undefined;
afterEach(async () => {
  clients?.destroy();
  await server?.close();
  server = clients = undefined;
});

/** A Lambda API that plays each operation's answers in order (its last one repeats). */
async function lambdaApi(script: Partial<Record<Operation, RecordedResponse[]>>): Promise<LambdaFunctionPlatform> {
  const calls: Operation[] = [];
  const seen = new Map<Operation, number>();
  const running = await startRecordedHttpServer((request) => {
    const operation = operationOf(request);
    calls.push(operation);
    const answers = script[operation] ?? [];
    const index = seen.get(operation) ?? 0;
    seen.set(operation, index + 1);
    return answers[Math.min(index, answers.length - 1)] ?? refused(500, 'ServiceException', `no answer scripted for ${operation}`);
  });
  server = { ...running, calls };
  // The SDK's backoff, made to wait 0 ms: retries are counted, never timed.
  const retryBackoff = { computeNextBackoffDelay: () => 0, setDelayBase: () => undefined };
  clients = new AwsClients({ endpoint: running.baseUrl, systemRegion: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, retryBackoff });
  return new LambdaFunctionPlatform(clients);
}

const count = (operation: Operation) => server!.calls.filter((call) => call === operation).length;

const zipPath = join(mkdtempSync(join(tmpdir(), 'caribou-lambda-retry-')), 'function.zip');
writeFileSync(zipPath, 'PK');
const spec = {
  functionName: 'wf-0_0_1-f_aws-us-east-1',
  region: { provider: 'aws', region: 'us-east-1' },
  artifact: { kind: 'zip' as const, path: zipPath, sha256: 'x' },
  handler: 'f',
  entryPoint: true,
  environment: {},
  memoryMb: 128,
  timeoutSeconds: 3,
  roleIdentifier: 'arn:aws:iam::123456789012:role/new-role',
};

describe('Lambda clients retry through the SDK retry strategy (recorded Lambda API)', () => {
  it('retries CreateFunction while the new role is not yet assumable', async () => {
    const platform = await lambdaApi({ GetFunction: [notFound, ready], CreateFunction: [roleNotReady, roleNotReady, ok(201)] });
    expect((await platform.createOrUpdate(spec)).functionIdentifier).toBe(arn);
    expect(count('CreateFunction')).toBe(3);
  });

  it('gives up after the Lambda attempts with the role and the fix when the role never becomes assumable', async () => {
    const platform = await lambdaApi({ GetFunction: [notFound], CreateFunction: [roleNotReady] });
    await expect(platform.createOrUpdate(spec)).rejects.toThrow(
      "Lambda cannot assume role arn:aws:iam::123456789012:role/new-role for caribou_wf-0_0_1-f_aws-us-east-1 in us-east-1; check the role's trust policy allows lambda.amazonaws.com",
    );
    expect(count('CreateFunction')).toBe(LAMBDA_MIN_ATTEMPTS);
  });

  it('does not retry other invalid parameters', async () => {
    const platform = await lambdaApi({ GetFunction: [notFound], CreateFunction: [refused(400, 'InvalidParameterValueException', 'Unzipped size must be smaller than 262144000 bytes')] });
    await expect(platform.createOrUpdate(spec)).rejects.toThrow(
      'Could not deploy Lambda function caribou_wf-0_0_1-f_aws-us-east-1 in us-east-1: InvalidParameterValueException: Unzipped size must be smaller than 262144000 bytes',
    );
    expect(count('CreateFunction')).toBe(1);
  });

  it('does not retry "Function already exist": it updates the function a concurrent deploy created', async () => {
    const platform = await lambdaApi({
      GetFunction: [notFound, ready],
      CreateFunction: [refused(409, 'ResourceConflictException', 'Function already exist: wf-0_0_1-f_aws-us-east-1')],
      UpdateFunctionCode: [ok(200)],
      UpdateFunctionConfiguration: [ok(200)],
    });
    expect((await platform.createOrUpdate(spec)).functionIdentifier).toBe(arn);
    expect([count('CreateFunction'), count('UpdateFunctionCode'), count('UpdateFunctionConfiguration')]).toEqual([1, 1, 1]);
  });

  it('retries code and configuration updates while another update is in progress', async () => {
    const platform = await lambdaApi({ GetFunction: [ready], UpdateFunctionCode: [busy, ok(200)], UpdateFunctionConfiguration: [busy, busy, ok(200)] });
    expect((await platform.createOrUpdate(spec)).functionIdentifier).toBe(arn);
    expect([count('UpdateFunctionCode'), count('UpdateFunctionConfiguration')]).toEqual([2, 3]);
  });

  it('retries a removal while an update is in progress', async () => {
    const platform = await lambdaApi({ DeleteFunction: [busy, { status: 204, body: '' }] });
    await platform.remove(spec.region, spec.functionName);
    expect(count('DeleteFunction')).toBe(2);
  });
});
