import { CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, PutLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAwsError } from '../errors';
import { describeLogSourceContract, type LogLine } from '../testing/contracts';
import { emulatorClients } from '../testing/emulator';
import { VirtualTime } from '../testing/virtual-time';
import { CloudWatchLogSource, filterPatternFor, LAMBDA_INSIGHTS_LOG_GROUP, lambdaLogGroup } from './log-source';
import { RegionRateLimiters } from './request-rate-limiter';

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

describe('CloudWatchLogSource streaming, filter pattern and quota (moto)', () => {
  const clients = emulatorClients();
  const region = { provider: 'aws', region: 'ca-central-1' };
  const fn = `stream-${Date.now().toString(36)}`;
  const group = lambdaLogGroup(clients.names.functionName(fn));
  const base = Math.floor((Date.now() - 30 * 60 * 1000) / 1000) * 1000;
  // 60 lines over two streams, 10 ms apart, every fifth pair sharing a millisecond.
  const lines: LogLine[] = Array.from({ length: 60 }, (_, i) => ({ timestampMs: base + Math.floor(i / 2) * 10 + (i % 5 === 0 ? 0 : i % 2), message: `[CARIBOU]\tline ${i}` }));
  const sent: Array<{ filterPattern?: string }> = [];
  let inFlight = 0;

  beforeAll(async () => {
    const logs = clients.logs(region.region);
    await putLines(logs, group, 'a', lines.filter((_, i) => i % 2 === 0));
    await putLines(logs, group, 'b', lines.filter((_, i) => i % 2 === 1));
    logs.middlewareStack.add(
      (next) => async (args) => {
        const { filterPattern } = args.input as { filterPattern?: string };
        sent.push(filterPattern === undefined ? {} : { filterPattern });
        inFlight++;
        try {
          return await next(args);
        } finally {
          inFlight--;
        }
      },
      { step: 'initialize', name: 'recordFilterLogEvents' },
    );
  });

  afterAll(async () => {
    await clients.logs(region.region).send(new DeleteLogGroupCommand({ logGroupName: group }));
    clients.destroy();
  });

  it('streams chunks of at most maxChunkLines, in the order one sorted read of the whole window gives', async () => {
    const whole = await new CloudWatchLogSource(clients).getLogsBetween(region, fn, base, base + 60_000);
    expect(whole).toHaveLength(60);
    const chunks: string[][] = [];
    for await (const chunk of new CloudWatchLogSource(clients, { pageSize: 4, maxChunkLines: 9 }).streamLogsBetween(region, fn, base, base + 60_000)) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(60 / 9);
    expect(Math.max(...chunks.map((chunk) => chunk.length))).toBeLessThanOrEqual(9);
    expect(chunks.flat()).toEqual(whole);
  });

  it('sends a filter pattern for the lines a reader needs; lines are the same where the emulator ignores it', async () => {
    sent.length = 0;
    const source = new CloudWatchLogSource(clients);
    const read = await source.getLogsBetween(region, fn, base, base + 60_000, { containingAny: ['[CARIBOU]', 'REPORT RequestId:'] });
    expect(sent).toEqual([{ filterPattern: '?"[CARIBOU]" ?"REPORT RequestId:"' }]);
    expect(read).toHaveLength(60);
    sent.length = 0;
    await source.getLogsBetween(region, fn, base, base + 60_000);
    expect(sent).toEqual([{}]);
  });

  it('waits for the region limiter before every page', async () => {
    sent.length = 0;
    const started = Date.now();
    const time = new VirtualTime(started, () => inFlight);
    const source = new CloudWatchLogSource(clients, { pageSize: 10, limiters: new RegionRateLimiters(2, time, time) });
    const read = await time.run(source.getLogsBetween(region, fn, base, base + 60_000));
    expect(read).toHaveLength(60);
    // Six pages at two per second: the last one 2 s after the first.
    expect(sent).toHaveLength(6);
    expect(time.now() - started).toBe(2000);
  });
});

describe('filterPatternFor', () => {
  it('quotes each text and ORs several', () => {
    expect(filterPatternFor(undefined)).toBeUndefined();
    expect(filterPatternFor([])).toBeUndefined();
    expect(filterPatternFor(['abc123'])).toBe('"abc123"');
    expect(filterPatternFor(['[CARIBOU]', 'say "hi"'])).toBe('?"[CARIBOU]" ?"say \\"hi\\""');
  });
});
