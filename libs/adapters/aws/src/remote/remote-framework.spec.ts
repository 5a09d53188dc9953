import { InvokeCommand, LambdaClient, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsClients } from '../config';
import { LambdaRemoteFramework } from './remote-framework';

type Uint8ArrayBlob = NonNullable<InvokeCommandOutput['Payload']>;

// moto without Docker never runs code, so it cannot answer with a function error.
const lambda = mockClient(LambdaClient);
const clients = new AwsClients({ credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });

describe('LambdaRemoteFramework.invoke', () => {
  afterEach(() => lambda.reset());

  it('turns an unhandled error of the framework function into one CaribouError line', async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      // The SDK wraps payloads in a blob adapter; the adapter only reads the bytes.
      Payload: Buffer.from(JSON.stringify({ errorType: 'Error', errorMessage: 'No workflow_id specified\n    at handler', trace: [] })) as unknown as Uint8ArrayBlob,
    });
    await expect(new LambdaRemoteFramework(clients).invoke({ action: 'remove' }, 'request')).rejects.toThrow(
      /^The remote framework caribou_cli failed: No workflow_id specified$/,
    );
    const input = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ FunctionName: 'caribou_cli', InvocationType: 'RequestResponse' });
    expect(JSON.parse(Buffer.from(input.Payload as Uint8Array).toString())).toEqual({ action: 'remove' });
  });

  it('invokes asynchronously in the system region for event mode', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    expect(await new LambdaRemoteFramework(clients).invoke({ action: 'log_sync' }, 'event')).toBeUndefined();
    const call = lambda.commandCalls(InvokeCommand)[0]!;
    expect(call.args[0].input.InvocationType).toBe('Event');
    expect(await call.thisValue.config.region()).toBe('us-west-2');
  });
});
