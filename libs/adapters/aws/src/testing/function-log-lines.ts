import { type CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { formatCaribouLine, LogMessages } from '@caribou/domain-telemetry';
import { uniqueSuffix } from './emulator';

/** Writes lines into a function's log group (created when missing) on a stream of their own, stamped from `at` one millisecond apart, as Lambda would. */
export async function writeFunctionLogLines(client: CloudWatchLogsClient, logGroupName: string, messages: readonly string[], at: number): Promise<void> {
  await client.send(new CreateLogGroupCommand({ logGroupName })).catch(() => undefined);
  const logStreamName = `2026/01/01/[$LATEST]${uniqueSuffix()}`;
  await client.send(new CreateLogStreamCommand({ logGroupName, logStreamName }));
  await client.send(new PutLogEventsCommand({ logGroupName, logStreamName, logEvents: messages.map((message, i) => ({ timestamp: at + i, message })) }));
}

/**
 * The [CARIBOU] lines a tracked two-function run writes: `entry` calls `successor` in `region`,
 * each logs that it executed. `now` stamps them (a virtual clock in quota tests).
 */
export function trackedRunLines(options: { entry: string; successor: string; region: string; now: () => number }) {
  const { entry, successor, region, now } = options;
  const line = (runId: string, message: string) => formatCaribouLine(now(), 'request', runId, message);
  return {
    line,
    executed: (runId: string, instance: string) => line(runId, LogMessages.executed({ instance, userExecutionTimeS: 0.01, totalExecutionTimeS: 0.02 })),
    sent: (runId: string) =>
      line(
        runId,
        LogMessages.invokingSuccessor({
          instance: entry,
          successor,
          payloadSizeGb: 1e-6,
          taint: 'taint',
          provider: 'aws',
          region,
          successorInvoked: true,
          invocationTimeFromFunctionStartS: 0.01,
          finishTimeFromInvocationStartS: 0.01,
        }),
      ),
  };
}
