import { rmSync } from 'node:fs';
import { GetRolePolicyCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand, GetFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, ListQueuesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoDbKeyValueStore, type AwsClients } from '@caribou/adapter-aws';
import { awsExampleProject, emulatorClients, smallSyncExampleOnAws } from '@caribou/adapter-aws/testing';
import { RunWorkflowService } from '@caribou/application';
import { runCli, type CliResult } from '@caribou/cli/testing';

const { example: EXAMPLE, home: HOME, system: SYSTEM, version: VERSION, workflowId: WF, instances: { entry: ENTRY } } = smallSyncExampleOnAws('0.5.0');

interface ShowView {
  deployed_functions: Array<{ name: string; region: string; function_identifier: string }>;
  failed_invocations: Array<{ run_id: string; instance: string; region: string; error: string; condition: string; attempts: number }>;
  failed_runs: string[];
}

interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}

/** An IAM Allow statement covering `action` on `resource` (`*` and `?` wildcards as IAM reads them). */
function allows(statement: PolicyStatement, action: string, resource: string): boolean {
  const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);
  const matches = (pattern: string, text: string) =>
    new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(text);
  return statement.Effect === 'Allow' && list(statement.Action).some((a) => matches(a, action)) && list(statement.Resource).some((r) => matches(r, resource));
}

describe('on-failure destinations on moto', () => {
  const env = { CARIBOU_AWS_ENDPOINT: inject('awsEndpoint'), CARIBOU_SYSTEM_REGION: SYSTEM, GOOGLE_API_KEY: '', ELECTRICITY_MAPS_AUTH_TOKEN: '' };
  const cli = (args: string[]): Promise<CliResult> => runCli(args, { env });
  const show = async (): Promise<ShowView> => {
    const result = await cli(['show', WF, '--json', '--provider', 'aws']);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as ShowView;
  };
  let clients: AwsClients;
  let projectDir: string;
  let destination = '';

  beforeAll(async () => {
    clients = emulatorClients({ systemRegion: SYSTEM });
    projectDir = awsExampleProject(EXAMPLE, { home: HOME, version: VERSION });
    const deploy = await cli(['deploy', '-p', projectDir]);
    expect(deploy.code, deploy.stderr).toBe(0);
  });

  afterAll(async () => {
    await cli(['remove', WF, '--provider', 'aws']);
    clients.destroy();
    rmSync(projectDir, { recursive: true, force: true });
  });

  it('every copy has an event-invoke config (2 retries, 6 h) whose on-failure destination is the region\'s queue, which exists and the role may send to', async () => {
    const { QueueUrls = [] } = await clients.sqs(HOME).send(new ListQueuesCommand({ QueueNamePrefix: clients.names.failureQueue }));
    expect(QueueUrls.filter((url) => url.endsWith(`/${clients.names.failureQueue}`))).toHaveLength(1);
    const attributes = await clients.sqs(HOME).send(new GetQueueAttributesCommand({ QueueUrl: QueueUrls[0], AttributeNames: ['QueueArn'] }));
    destination = attributes.Attributes!.QueueArn!;
    expect(destination).toMatch(new RegExp(`^arn:aws:sqs:${HOME}:\\d{12}:${clients.names.failureQueue}$`));
    const { deployed_functions: copies } = await show();
    expect(copies).toHaveLength(3);
    for (const copy of copies) {
      const config = await clients.lambda(HOME).send(new GetFunctionEventInvokeConfigCommand({ FunctionName: clients.names.functionName(copy.name) }));
      expect(config, copy.name).toMatchObject({
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 21_600,
        DestinationConfig: { OnFailure: { Destination: destination } },
      });
      const role = (await clients.lambda(HOME).send(new GetFunctionConfigurationCommand({ FunctionName: clients.names.functionName(copy.name) }))).Role!;
      // The function's own generated policy grants the send (Lambda checks it); no extra inline policy is written,
      // since the remote framework's role may not write role policies.
      const roleName = role.slice(role.lastIndexOf('/') + 1);
      const { PolicyNames: names = [] } = await clients.iam().send(new ListRolePoliciesCommand({ RoleName: roleName }));
      const statements = (
        await Promise.all(names.map((name) => clients.iam().send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }))))
      ).flatMap((policy) => (JSON.parse(decodeURIComponent(policy.PolicyDocument!)) as { Statement: PolicyStatement[] }).Statement);
      expect(statements.some((statement) => allows(statement, 'sqs:SendMessage', destination)), copy.name).toBe(true);
    }
  });

  it('a record Lambda writes to the destination (moto fires no destinations: written here in the documented shape) shows up in caribou show --json as a failed run of that instance, once', async () => {
    const { deployed_functions: copies } = await show();
    const entry = copies.find((copy) => copy.name.includes('initial_function'))!;
    // The run's first message, as `caribou run` sends it to the entry point.
    const sent: string[] = [];
    const started = await new RunWorkflowService({
      store: new DynamoDbKeyValueStore(clients),
      invoker: { invokeAsync: async (_region, _identifier, message) => void sent.push(message) },
      clock: { now: () => Date.now() },
      random: { random: () => 0.5, uuid: () => crypto.randomUUID().replace(/-/g, '') },
    }).run(WF, '{"execute_1": true}');
    // https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
    const record = {
      version: '1.0',
      timestamp: '2026-03-14T18:16:05.568Z',
      requestContext: { requestId: 'e4b46cbf-b738-xmpl-8880-a18cdf61200e', functionArn: `${entry.function_identifier}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: JSON.parse(sent[0]!) as unknown,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'the entry point kept failing', trace: [] },
    };
    const { QueueUrls = [] } = await clients.sqs(HOME).send(new ListQueuesCommand({ QueueNamePrefix: clients.names.failureQueue }));
    await clients.sqs(HOME).send(new SendMessageCommand({ QueueUrl: QueueUrls[0], MessageBody: JSON.stringify(record) }));

    const view = await show();
    expect(view.failed_runs).toEqual([started.runId]);
    expect(view.failed_invocations).toEqual([
      expect.objectContaining({ run_id: started.runId, instance: ENTRY, region: `aws:${HOME}`, error: 'Error: the entry point kept failing', condition: 'RetriesExhausted', attempts: 3 }),
    ]);
    // Drained: the queue is empty, and showing again lists the failure once.
    const left = await clients.sqs(HOME).send(new ReceiveMessageCommand({ QueueUrl: QueueUrls[0], MaxNumberOfMessages: 10 }));
    expect(left.Messages ?? []).toEqual([]);
    expect((await show()).failed_invocations).toHaveLength(1);
  });
});
