import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  LambdaClient,
  ListFunctionsCommand,
  ResourceNotFoundException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsClients } from '../config';
import { LambdaFunctionPlatform } from './function-platform';

// What moto cannot show: a function that ends Failed, the /tmp size of an update, ListFunctions pages
// (retries of busy functions and unpropagated roles run on a recorded Lambda API: retry-strategy.spec.ts).
const lambda = mockClient(LambdaClient);
const clients = new AwsClients({ systemRegion: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const zipPath = join(mkdtempSync(join(tmpdir(), 'caribou-lambda-unit-')), 'function.zip');
writeFileSync(zipPath, 'PK');

const region = { provider: 'aws', region: 'us-east-1' };
const spec = {
  functionName: 'wf-0_0_1-f_aws-us-east-1',
  region,
  artifact: { kind: 'zip' as const, path: zipPath, sha256: 'x' },
  handler: 'f',
  entryPoint: true,
  environment: {},
  memoryMb: 128,
  timeoutSeconds: 3,
  roleIdentifier: 'arn:aws:iam::123456789012:role/new-role',
};
const arn = 'arn:aws:lambda:us-east-1:123456789012:function:wf-0_0_1-f_aws-us-east-1';
const ready = { Configuration: { FunctionArn: arn, State: 'Active' as const, LastUpdateStatus: 'Successful' as const, PackageType: 'Zip' as const } };
const notFound = () => new ResourceNotFoundException({ message: 'Function not found', $metadata: {} });

describe('LambdaFunctionPlatform error paths', () => {
  beforeEach(() => lambda.reset());
  afterEach(() => lambda.reset());

  it('sends the /tmp size with an update of an existing function (moto ignores it in UpdateFunctionConfiguration)', async () => {
    lambda.on(GetFunctionCommand).resolves(ready);
    lambda.on(UpdateFunctionCodeCommand).resolves({});
    lambda.on(UpdateFunctionConfigurationCommand).resolves({ FunctionArn: arn });
    const platform = new LambdaFunctionPlatform(clients, { waiter: { minDelay: 1, maxDelay: 1, maxWaitTime: 2 } });
    const { artifact, functionName, roleIdentifier } = spec;
    await platform.deploy({ functionName, region, artifact, roleIdentifier, environment: { A: 'b' }, memoryMb: 1769, timeoutSeconds: 900, ephemeralStorageMb: 5120 });
    expect(lambda.commandCalls(UpdateFunctionConfigurationCommand)[0]!.args[0].input).toMatchObject({
      MemorySize: 1769,
      Timeout: 900,
      EphemeralStorage: { Size: 5120 },
      Environment: { Variables: { A: 'b' } },
    });
  });

  it('reports a function that ends in the Failed state with Lambda’s reason', async () => {
    lambda.on(GetFunctionCommand).rejectsOnce(notFound()).resolves({
      Configuration: { FunctionArn: arn, State: 'Failed', StateReason: 'The image manifest or layer media type is not supported.', PackageType: 'Zip' },
    });
    lambda.on(CreateFunctionCommand).resolves({ FunctionArn: arn });
    const platform = new LambdaFunctionPlatform(clients, { waiter: { minDelay: 1, maxDelay: 1, maxWaitTime: 2 } });
    await expect(platform.createOrUpdate(spec)).rejects.toThrow(
      'Lambda function caribou_wf-0_0_1-f_aws-us-east-1 in us-east-1 did not become active: The image manifest or layer media type is not supported.',
    );
  });

  // moto ignores MaxItems and answers every function in one page.
  it('lists every page of ListFunctions through the SDK paginator, with the page size, as physical names of this install only', async () => {
    const pages: Record<string, { Functions: Array<{ FunctionName: string }>; NextMarker?: string }> = {
      first: { Functions: [{ FunctionName: 'caribou_a' }, { FunctionName: 'other_b' }], NextMarker: 'm1' },
      m1: { Functions: [{ FunctionName: 'caribou_c' }], NextMarker: 'm2' },
      m2: { Functions: [] },
    };
    const asked: Array<[string | undefined, number | undefined]> = [];
    lambda.on(ListFunctionsCommand).callsFake((input: { Marker?: string; MaxItems?: number }) => {
      asked.push([input.Marker, input.MaxItems]);
      return pages[input.Marker ?? 'first'];
    });
    expect(await new LambdaFunctionPlatform(clients, { listPageSize: 2 }).list(region)).toEqual(['a', 'c']);
    expect(asked).toEqual([
      [undefined, 2],
      ['m1', 2],
      ['m2', 2],
    ]);
  });
});
