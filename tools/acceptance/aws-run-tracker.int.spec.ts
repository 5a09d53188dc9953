import { Tables } from '@caribou/domain-common';
import { LogMessages } from '@caribou/domain-telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchLogSource, DynamoDbKeyValueStore } from '@caribou/adapter-aws';
import { emulatorClients, trackedRunLines, uniqueSuffix, writeFunctionLogLines } from '@caribou/adapter-aws/testing';
import { LogRunTracker } from '@caribou/application';

/** The application's run tracker over the AWS adapters, as the aws composition builds it (`run --wait`). */
describe('LogRunTracker on moto (CloudWatch Logs)', () => {
  // Framework tables of their own system region, so other files' workflows do not show up here.
  const clients = emulatorClients({ systemRegion: 'eu-central-1' });
  const store = new DynamoDbKeyValueStore(clients);
  const logs = new CloudWatchLogSource(clients);
  const suffix = uniqueSuffix();
  const region = 'sa-east-1';
  const entry = `tracked-${suffix}-entry_aws-${region}`;
  const successor = `tracked-${suffix}-next_aws-${region}`;
  const E = `tracked-${suffix}-entry:entry_point:0`;
  const N = `tracked-${suffix}-next:entry_point-0_0:1`;

  const write = (functionName: string, lines: string[]) => writeFunctionLogLines(clients.logs(region), clients.names.logGroup(functionName), lines, Date.now());
  const { line, executed, sent } = trackedRunLines({ entry: E, successor: N, region, now: Date.now });

  beforeAll(async () => {
    await store.ensureTables([Tables.deploymentResources]);
    const deployedRegions = Object.fromEntries([entry, successor].map((name) => [name, { deploy_region: { provider: 'aws', region }, identifier: name, function_identifier: name }]));
    // As deploy writes it; the tracker reads it through the same schema as the application.
    await store.put(
      Tables.deploymentResources,
      `tracked-${suffix}-0.0.1`,
      JSON.stringify({ workflow_id: `tracked-${suffix}-0.0.1`, workflow_function_descriptions: '[]', deployment_config: '{}', deployed_regions: JSON.stringify(deployedRegions) }),
    );
  });

  afterAll(async () => {
    await store.delete(Tables.deploymentResources, `tracked-${suffix}-0.0.1`);
    clients.destroy();
  });

  it('waits until every invocation the run announced has logged its end, then lists where each ran', async () => {
    const runId = `a${suffix}`.padEnd(32, '0');
    await write(entry, [sent(runId), executed(runId, E), executed('another-run', E)]);
    let polls = 0;
    const tracker = new LogRunTracker(
      { store, logs, clock: { now: () => Date.now() } },
      {
        timeoutMs: 60_000,
        sleep: async () => {
          // The successor's lines arrive after the first read.
          polls += 1;
          if (polls === 1) await write(successor, [executed(runId, N)]);
        },
      },
    );
    const result = await tracker.waitForRun(runId);
    expect(polls).toBe(1);
    expect(result).toEqual({
      failed: false,
      executions: [
        { instance_name: E, region: `aws:${region}`, status: 'succeeded' },
        { instance_name: N, region: `aws:${region}`, status: 'succeeded' },
      ],
    });
  });

  it('reports a failed function with its exception', async () => {
    const runId = `b${suffix}`.padEnd(32, '0');
    await write(entry, [line(runId, LogMessages.clientCodeException({ instance: E, error: 'TypeError: boom' }))]);
    const tracker = new LogRunTracker({ store, logs, clock: { now: () => Date.now() } }, { timeoutMs: 10_000, sleep: async () => undefined });
    expect(await tracker.waitForRun(runId)).toEqual({
      failed: true,
      executions: [{ instance_name: E, region: `aws:${region}`, status: 'failed', error: 'TypeError: boom' }],
    });
  });

  it('gives up after the timeout and says what it saw', async () => {
    let now = Date.now();
    const clock = { now: () => now };
    const advance = async (ms: number) => void (now += ms);
    const silent = new LogRunTracker({ store, logs, clock }, { timeoutMs: 3_000, pollIntervalMs: 1_000, sleep: advance });
    await expect(silent.waitForRun('0'.repeat(32))).rejects.toThrow(
      new RegExp(`^No log lines of run 0{32} arrived within 3 s \\(read the logs of \\d+ function copies\\);.*/aws/lambda/<function>.*caribou log_sync$`),
    );
    const runId = `c${suffix}`.padEnd(32, '0');
    await write(entry, [sent(runId), executed(runId, E)]);
    now = Date.now();
    await expect(silent.waitForRun(runId)).rejects.toThrow(`Run ${runId} did not finish within 3 s: 1 of 2 invocations logged their end`);
  });
});
