import { type CloudWatchLogsClient, DeleteLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { LogSyncService, ExecutionLogsService } from '@caribou/application';
import { AWS_TOKENS, type AwsClients } from '@caribou/adapter-aws';
import { emulatorClients, trackedRunLines, uniqueSuffix, VirtualTime, writeFunctionLogLines } from '@caribou/adapter-aws/testing';
import { Tables } from '@caribou/domain-common';
import type { RunTracker } from '@caribou/ports';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createContainer, type CaribouContainer } from './container';
import { SERVICES } from './tokens';

/** The largest number of instants in any window [t, t + 1 s). */
function busiestSecond(instants: readonly number[]): number {
  const sorted = [...instants].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/**
 * `run --wait --times 20` (20 trackers on one container), a log_sync and a `caribou logs`, all
 * at once against moto through the CLI's container: every FilterLogEvents request they send is
 * timed on a virtual clock that only moves while everything waits, so the rate is exact.
 */
describe('log reads within the CloudWatch Logs quota (moto, injected clock)', () => {
  const suffix = uniqueSuffix();
  const region = 'eu-north-1';
  const workflowId = `quota${suffix}-0.0.1`;
  const entry = `quota${suffix}-0_0_1-entry_aws-${region}`;
  const next = `quota${suffix}-0_0_1-next_aws-${region}`;
  const E = `quota${suffix}-0_0_1-entry:entry_point:0`;
  const N = `quota${suffix}-0_0_1-next:entry_point-0_0:1`;
  const runIds = Array.from({ length: 20 }, (_, i) => `${i.toString(16)}${suffix}`.padEnd(32, '0'));
  // Every request to moto, the writer's too: virtual time stands still while one is in flight.
  let inFlight = 0;
  const track = (client: { middlewareStack: { add: (...args: never[]) => void } }, onRequest?: (command: string) => void) =>
    (client.middlewareStack.add as (middleware: unknown, options: unknown) => void)(
      (nextHandler: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
        onRequest?.(context.commandName ?? '');
        inFlight++;
        try {
          return await nextHandler(args);
        } finally {
          inFlight--;
        }
      },
      { step: 'initialize', name: 'countInFlight' },
    );

  const time = new VirtualTime(Date.now(), () => inFlight);
  const filterLogEventsAt: number[] = [];
  let writerClients: AwsClients;
  let writer: CloudWatchLogsClient;
  let container: CaribouContainer;

  async function createContainerAt(readsPerSecond: string): Promise<CaribouContainer> {
    const created = await createContainer(
      'aws',
      {
        ...process.env,
        CARIBOU_AWS_ENDPOINT: inject('awsEndpoint'),
        CARIBOU_INSTALL: `q${suffix}`.slice(0, 16),
        CARIBOU_SYSTEM_REGION: 'eu-south-2',
        CARIBOU_LOG_READS_PER_SECOND: readsPerSecond,
      },
      { time: { wallClock: () => time.now(), sleeper: time } },
    );
    const { clients } = created.get(AWS_TOKENS.Adapters);
    track(clients.logs(region), (command) => {
      if (command === 'FilterLogEventsCommand') filterLogEventsAt.push(time.now());
    });
    track(clients.dynamodb());
    return created;
  }

  /** Writes lines as a function would, stamped now on the virtual clock. */
  const write = (container: CaribouContainer, functionName: string, messages: string[]) =>
    writeFunctionLogLines(writer, container.get(AWS_TOKENS.Adapters).clients.names.logGroup(functionName), messages, time.now());
  const { executed, sent } = trackedRunLines({ entry: E, successor: N, region, now: () => time.now() });

  beforeAll(async () => {
    writerClients = emulatorClients();
    writer = writerClients.logs(region);
    track(writer);
    container = await createContainerAt('3');
    const { store } = container.get(AWS_TOKENS.Adapters);
    await store.ensureTables([Tables.deploymentResources, Tables.workflowSummary]);
    const deployedRegions = Object.fromEntries([entry, next].map((name) => [name, { deploy_region: { provider: 'aws', region }, identifier: name, function_identifier: name }]));
    await store.put(
      Tables.deploymentResources,
      workflowId,
      JSON.stringify({ workflow_id: workflowId, workflow_function_descriptions: '[]', deployment_config: '{}', deployed_regions: JSON.stringify(deployedRegions) }),
    );
  });

  afterAll(async () => {
    // Leave the emulator as found: this install's tables and the functions' log groups.
    const { store, clients } = container.get(AWS_TOKENS.Adapters);
    await store.dropTables([Tables.deploymentResources, Tables.workflowSummary]);
    for (const name of [entry, next]) await writer.send(new DeleteLogGroupCommand({ logGroupName: clients.names.logGroup(name) })).catch(() => undefined);
    container.get(AWS_TOKENS.Adapters).clients.destroy();
    await container.close();
    writerClients.destroy();
  });

  /** 20 runs whose entry points logged; their successors log one by one, 2 s apart. */
  async function twentyRunsAtOnce(target: CaribouContainer) {
    await write(target, entry, runIds.flatMap((runId) => [sent(runId), executed(runId, E)]));
    const tracker = target.get<RunTracker>(SERVICES.RunTracker);
    const successors = (async () => {
      for (const runId of runIds) {
        await time.sleep(2000);
        await write(target, next, [executed(runId, N)]);
      }
    })();
    const [runs] = await time.run(
      Promise.all([
        Promise.all(runIds.map((runId) => tracker.waitForRun(runId))),
        target.get<LogSyncService>(SERVICES.LogSync).syncWorkflow(workflowId),
        target.get<ExecutionLogsService>(SERVICES.ExecutionLogs).read({ workflowId }),
        successors,
      ]),
    );
    return runs;
  }

  it('20 run --wait trackers, a log_sync and logs never send more FilterLogEvents in a second than configured (3)', async () => {
    filterLogEventsAt.length = 0;
    const runs = await twentyRunsAtOnce(container);
    for (const run of runs) {
      expect(run.failed).toBe(false);
      expect(run.executions.map((e) => e.instance_name)).toEqual([E, N]);
    }
    // Trackers poll each copy every 5 s until their run ends; log_sync reads 30 days of both functions.
    expect(filterLogEventsAt.length).toBeGreaterThan(100);
    expect(busiestSecond(filterLogEventsAt)).toBe(3);
  });

  it('the same readers without the limit burst far beyond it (so the test above can fail)', async () => {
    const unlimited = await createContainerAt('100000');
    try {
      filterLogEventsAt.length = 0;
      await twentyRunsAtOnce(unlimited);
      expect(busiestSecond(filterLogEventsAt)).toBeGreaterThan(40);
    } finally {
      unlimited.get(AWS_TOKENS.Adapters).clients.destroy();
      await unlimited.close();
    }
  });
});
