import v8 from 'node:v8';
import vm from 'node:vm';
import type { FilteredLogEvent, FilterLogEventsCommandInput, FilterLogEventsCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchLogSource, DEFAULT_MAX_CHUNK_LINES, type AwsClients } from '@caribou/adapter-aws';
import { LogSyncService } from '@caribou/application';
import { FixedClock, FUNCTION_A, FUNCTION_B, InMemoryKeyValueStore, linearRunLines, registerDeployedWorkflow, US_EAST_1 } from '@caribou/application/testing';
import { Tables, type ProviderRegion } from '@caribou/domain-common';
import type { LogReadOptions, LogSource } from '@caribou/ports';
import { CloudWatchLogSourceV1 } from '../baseline/cloudwatch-log-source-v1';
import type { BenchLine, BenchSuite } from '../bench';

/**
 * Peak memory of `log_sync` over one busy day: the linear workflow A → B ran every 4.32 s for a
 * day, so A's function-day is 200,000 lines (per run: its six `[CARIBOU]`/REPORT lines, START,
 * END and two lines of the user's own output) and B's 120,000. The sync runs the real
 * CloudWatchLogSource and LogSyncService against an in-process FilterLogEvents that generates
 * the day's events on request, in pages as CloudWatch cuts them (1 MB or 10,000 events). The
 * baseline is the previous path, measured in the same run: the log source that collected every
 * page of a window and sorted it once, so the sync held the whole function-day. Both must store
 * the same summary. Memory is what the sync holds: the V8 heap after a full GC, above the heap
 * before the sync, at every page request, chunk and read (so garbage not yet collected does not
 * count); the time is of a second run without those GCs.
 */

const RUNS = 20_000;
const RUN_SPACING_MS = 4_320;
const DAY_START = Date.UTC(2024, 7, 2);
const WORKFLOW = 'wf-0.0.1';
const PAGE_BYTES = 1_048_576;
const PAGE_EVENTS = 10_000;

/** One run's events of one function, stamped as Lambda would: the `[CARIBOU]` lines by their own time. */
function runEvents(run: number, functionName: string): FilteredLogEvent[] {
  const startMs = DAY_START + run * RUN_SPACING_MS;
  const lines = linearRunLines(`run-${run.toString(16).padStart(8, '0')}`, startMs);
  const own = functionName === FUNCTION_A ? lines.linesA : lines.linesB;
  const request = `${run}-${functionName === FUNCTION_A ? 'a' : 'b'}`;
  const text: string[] = [`START RequestId: ${request} Version: $LATEST`];
  if (functionName === FUNCTION_A) text.push(`processing order ${run} for customer ${run % 977}`, `order ${run}: 3 items, total 42.${run % 100} EUR`);
  text.push(...own, `END RequestId: ${request}`);
  let last = startMs + (functionName === FUNCTION_A ? -1 : 199);
  return text.map((message, index) => {
    const iso = message.startsWith('[CARIBOU]') ? message.split('\t')[1] : undefined;
    last = iso !== undefined ? Date.parse(iso) : last + 1;
    return { timestamp: last, message, logStreamName: `2024/08/02/[$LATEST]${run % 4}`, eventId: `${run}-${index}` };
  });
}

/** FilterLogEvents over the generated day: pages of at most 1 MB or 10,000 events; the token is the next run. */
class GeneratedLogs {
  requests = 0;
  constructor(private readonly sample: () => void) {}

  async send(command: { input: FilterLogEventsCommandInput }): Promise<FilterLogEventsCommandOutput> {
    this.requests++;
    this.sample();
    const { logGroupName, startTime = 0, endTime = Infinity, nextToken } = command.input;
    const functionName = logGroupName!.slice('/aws/lambda/'.length);
    const events: FilteredLogEvent[] = [];
    let bytes = 0;
    const firstRun = Math.max(0, nextToken ? Number(nextToken) : Math.floor((startTime - DAY_START - RUN_SPACING_MS) / RUN_SPACING_MS));
    for (let run = firstRun; run < RUNS && DAY_START + run * RUN_SPACING_MS - 1 <= endTime; run++) {
      const inWindow = runEvents(run, functionName).filter((event) => event.timestamp! >= startTime && event.timestamp! <= endTime);
      const size = inWindow.reduce((sum, event) => sum + event.message!.length + 26, 0);
      if (events.length > 0 && (bytes + size > PAGE_BYTES || events.length + inWindow.length > PAGE_EVENTS)) {
        return { events, nextToken: String(run), $metadata: {} };
      }
      events.push(...inWindow);
      bytes += size;
    }
    return { events, $metadata: {} };
  }
}

/** The source, sampling memory whenever it hands out lines. */
function sampled(source: LogSource, sample: () => void): LogSource {
  const wrapped: LogSource = {
    getLogsBetween: async (region: ProviderRegion, name: string, startMs: number, endMs: number, options?: LogReadOptions) => {
      const lines = await source.getLogsBetween(region, name, startMs, endMs, options);
      sample();
      return lines;
    },
    getInsightsBetween: (region, name, startMs, endMs) => source.getInsightsBetween(region, name, startMs, endMs),
  };
  const stream = source.streamLogsBetween?.bind(source);
  if (stream) {
    wrapped.streamLogsBetween = async function* (region, name, startMs, endMs, options) {
      for await (const chunk of stream(region, name, startMs, endMs, options)) {
        sample();
        yield chunk;
      }
    };
  }
  return wrapped;
}

const gc = (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
})();

interface Measured {
  peakMb: number;
  ms: number;
  requests: number;
  summary: string;
  linesRead: number;
}

async function measure(makeSource: (clients: AwsClients) => LogSource, options: { gcAtSamples: boolean }): Promise<Measured> {
  const store = new InMemoryKeyValueStore();
  await registerDeployedWorkflow(store, WORKFLOW, [
    { name: FUNCTION_A, region: US_EAST_1 },
    { name: FUNCTION_B, region: US_EAST_1 },
  ]);
  gc();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const sample = () => {
    if (!options.gcAtSamples) return;
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const logs = new GeneratedLogs(sample);
  const clients = { names: { functionName: (name: string) => name }, logs: () => logs } as unknown as AwsClients;
  const service = new LogSyncService({ store, logs: sampled(makeSource(clients), sample), clock: new FixedClock(DAY_START + 86_400_000 + 20 * 60_000) });
  const started = performance.now();
  const [report] = await service.sync({ workflowId: WORKFLOW });
  const ms = performance.now() - started;
  sample();
  if (report?.status !== 'synced') throw new Error(`the sync did not finish: ${report?.status} ${report?.message ?? ''}`);
  return { peakMb: (peak - before) / 2 ** 20, ms, requests: logs.requests, summary: (await store.get(Tables.workflowSummary, WORKFLOW))!, linesRead: report.linesRead };
}

const suite: BenchSuite = {
  name: 'log sync memory: a 200,000-line function-day, streamed vs held whole',
  async run() {
    const held = (clients: AwsClients) => new CloudWatchLogSourceV1(clients);
    const streaming = (clients: AwsClients) => new CloudWatchLogSource(clients);
    const baseline = await measure(held, { gcAtSamples: true });
    const streamed = await measure(streaming, { gcAtSamples: true });
    const baselineTime = await measure(held, { gcAtSamples: false });
    const streamedTime = await measure(streaming, { gcAtSamples: false });
    if (streamed.summary !== baseline.summary) throw new Error('the streamed sync stored another summary than the whole-day read');
    if (streamed.linesRead !== 320_000 || baseline.linesRead !== 320_000) throw new Error(`expected 320000 lines read, got ${streamed.linesRead} and ${baseline.linesRead}`);
    const lines: BenchLine[] = [
      {
        label: 'peak heap above start, streamed (same summary)',
        value: streamed.peakMb,
        unit: 'MB',
        baseline: { label: 'function-day held whole (previous path)', value: baseline.peakMb },
        goal: `≤ 64 MB (chunks of ≤ ${DEFAULT_MAX_CHUNK_LINES} lines, 4 reads opened ahead)`,
      },
      { label: 'sync time, streamed', value: streamedTime.ms, unit: 'ms', baseline: { label: 'held whole', value: baselineTime.ms } },
      { label: 'FilterLogEvents requests, streamed', value: streamed.requests, unit: 'requests', baseline: { label: 'held whole', value: baseline.requests } },
    ];
    return lines;
  },
};

export default suite;
