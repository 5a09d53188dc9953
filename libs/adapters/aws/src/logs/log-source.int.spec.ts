import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import { isAwsError } from '../errors';
import { describeLogSourceContract, type LogLine } from '../testing/contracts';
import { emulatorClients } from '../testing/emulator';
import { CloudWatchLogSource, LAMBDA_INSIGHTS_LOG_GROUP, lambdaLogGroup } from './log-source';

async function putLines(logs: CloudWatchLogsClient, group: string, stream: string, lines: LogLine[]): Promise<void> {
  const unlessExists = (error: unknown) => {
    if (!isAwsError(error, 'ResourceAlreadyExistsException')) throw error;
  };
  await logs.send(new CreateLogGroupCommand({ logGroupName: group })).catch(unlessExists);
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream })).catch(unlessExists);
  // PutLogEvents wants chronological batches.
  const events = [...lines].sort((a, b) => a.timestampMs - b.timestampMs).map((line) => ({ timestamp: line.timestampMs, message: line.message }));
  for (let start = 0; start < events.length; start += 100) {
    await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: events.slice(start, start + 100) }));
  }
}

describeLogSourceContract('CloudWatch Logs', async () => {
  const clients = emulatorClients();
  const region = { provider: 'aws', region: 'ap-southeast-2' };
  const logs = clients.logs(region.region);
  let stream = 0;
  return {
    // Small pages so a busy function spans several FilterLogEvents calls.
    source: new CloudWatchLogSource(clients, { pageSize: 100 }),
    region,
    // Lambda writes each execution environment to its own stream; two streams per function interleave in time.
    writeLines: async (functionName, lines) => {
      stream += 1;
      const even = lines.filter((_, index) => index % 2 === 0);
      const odd = lines.filter((_, index) => index % 2 === 1);
      await putLines(logs, lambdaLogGroup(clients.names.functionName(functionName)), `2026/01/01/[$LATEST]a${stream}`, even);
      if (odd.length > 0) await putLines(logs, lambdaLogGroup(clients.names.functionName(functionName)), `2026/01/01/[$LATEST]b${stream}`, odd);
    },
    writeInsights: async (functionName, records) => putLines(logs, LAMBDA_INSIGHTS_LOG_GROUP, `${clients.names.functionName(functionName)}/${++stream}`, records),
    cleanup: async () => clients.destroy(),
  };
});

describe('CloudWatchLogSource', () => {
  it('returns nothing for an empty or inverted window without calling CloudWatch', async () => {
    const clients = emulatorClients({ endpoint: 'http://127.0.0.1:9' });
    const source = new CloudWatchLogSource(clients);
    expect(await source.getLogsBetween({ provider: 'aws', region: 'us-east-1' }, 'f', 1000, 1000)).toEqual([]);
    expect(await source.getLogsBetween({ provider: 'aws', region: 'us-east-1' }, 'f', 2000, 1000)).toEqual([]);
    clients.destroy();
  });
});
