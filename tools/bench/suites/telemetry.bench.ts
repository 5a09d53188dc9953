import { FORGETTING_NUMBER, type ProviderRegion } from '@caribou/domain-common';
import {
  formatCaribouLine,
  formatReportLine,
  LogAggregator,
  LogMessages,
  parseTimeMicros,
  type CaribouMessage,
  type LogLine,
} from '@caribou/domain-telemetry';
import { medianMs, type BenchLine, type BenchSuite } from '../bench';

/**
 * Log sync throughput: parse + aggregate (+ finish) a synthetic 1M-line log of a four-function
 * workflow (E → X, Y → sync node S; X uploads to S's table, Y uploads and invokes S), every
 * line written by our log writer, Lambda-style REPORT lines included, one batch per function
 * as the syncer reads it. The baseline feeds the same aggregator through a reference-style
 * parser: one regex per field, as `LogSyncWorkflow` does (`NAME \((.*?)\)` per field,
 * `strptime`-like time regex), patterns compiled once, the same lines skipped.
 */

const REGION_E: ProviderRegion = { provider: 'aws', region: 'us-east-1' };
const REGION_S: ProviderRegion = { provider: 'aws', region: 'us-west-2' };
const IE = 'wf-0_0_1-E:entry_point:0';
const IX = 'wf-0_0_1-X:wf-0_0_1-E_0_0:1';
const IY = 'wf-0_0_1-Y:wf-0_0_1-E_0_1:2';
const IS = 'wf-0_0_1-S:sync:';
const LINES_PER_RUN = 22;

interface FunctionLog {
  region: ProviderRegion;
  lines: string[];
}

/** The four functions' logs for `runs` runs, one run every 50 ms. */
function syntheticLog(runs: number): FunctionLog[] {
  const e: string[] = [];
  const x: string[] = [];
  const y: string[] = [];
  const s: string[] = [];
  const start = Date.UTC(2024, 7, 1);
  for (let i = 0; i < runs; i++) {
    const t = start + i * 50;
    const run = `run-${i.toString(16).padStart(8, '0')}-4f2a-9c1e-${i}`;
    const line = (offset: number, request: string, message: string) => formatCaribouLine(t + offset, `${run}-${request}`, run, message);
    const size = 1e-6 * (1 + (i % 7));
    e.push(
      line(
        0,
        'e',
        LogMessages.entryPoint({
          instance: IE,
          workflowId: 'wf-0.0.1',
          userPayloadSizeGb: size,
          redirected: false,
          initLatencyFromClientS: 0.05 + (i % 10) / 100,
          initLatencyFirstReceivedS: 0,
          timeFromFunctionStartS: 0.001,
          requestSource: 'Caribou CLI',
          wpdSizeGb: 2.1e-6,
          consumedReadCapacity: 1,
        }),
      ),
      line(0, 'e', LogMessages.invoked({ instance: IE, taint: null, hops: 1 })),
      line(10, 'e', LogMessages.invokingSuccessor({ instance: IE, successor: IX, payloadSizeGb: size, taint: `${run}-tx`, provider: 'aws', region: 'us-east-1', successorInvoked: true, invocationTimeFromFunctionStartS: 0.01, finishTimeFromInvocationStartS: 0.02 })),
      line(30, 'e', LogMessages.invokingSuccessor({ instance: IE, successor: IY, payloadSizeGb: size, taint: `${run}-ty`, provider: 'aws', region: 'us-east-1', successorInvoked: true, invocationTimeFromFunctionStartS: 0.03, finishTimeFromInvocationStartS: 0.02 })),
      line(60, 'e', LogMessages.executed({ instance: IE, userExecutionTimeS: 0.05, totalExecutionTimeS: 0.06 })),
      line(61, 'e', LogMessages.usedCpuModel({ cpuModel: 'Intel(R) Xeon(R) Processor @ 2.50GHz', instance: IE, fromRedirector: false })),
      formatReportLine({ requestId: `${run}-e`, durationMs: 62.5, memorySizeMb: 1769, maxMemoryUsedMb: 90 }),
    );
    const upload = { uploadSizeGb: 5e-7, consumedWriteCapacity: 3, syncDataResponseSizeGb: 6e-7, uploadRttS: 0.02 };
    x.push(
      line(40, 'x', LogMessages.invoked({ instance: IX, taint: `${run}-tx`, hops: 2 })),
      line(70, 'x', LogMessages.invokingSuccessor({ instance: IX, successor: IS, payloadSizeGb: 1e-6, taint: `${run}-txs`, provider: 'aws', region: 'us-west-2', successorInvoked: false, invocationTimeFromFunctionStartS: 0.03, finishTimeFromInvocationStartS: 0.02, upload })),
      line(90, 'x', LogMessages.executed({ instance: IX, userExecutionTimeS: 0.04, totalExecutionTimeS: 0.05 })),
      line(91, 'x', LogMessages.usedCpuModel({ cpuModel: 'AMD EPYC', instance: IX, fromRedirector: false })),
      formatReportLine({ requestId: `${run}-x`, durationMs: 51, memorySizeMb: 1769, maxMemoryUsedMb: 80, ...(i % 50 === 0 && { initDurationMs: 300 }) }),
    );
    y.push(
      line(55, 'y', LogMessages.invoked({ instance: IY, taint: `${run}-ty`, hops: 2 })),
      line(100, 'y', LogMessages.invokingSuccessor({ instance: IY, successor: IS, payloadSizeGb: 1e-6, taint: `${run}-tys`, provider: 'aws', region: 'us-west-2', successorInvoked: true, invocationTimeFromFunctionStartS: 0.045, finishTimeFromInvocationStartS: 0.02, upload })),
      line(120, 'y', LogMessages.executed({ instance: IY, userExecutionTimeS: 0.06, totalExecutionTimeS: 0.065 })),
      line(121, 'y', LogMessages.usedCpuModel({ cpuModel: 'AMD EPYC', instance: IY, fromRedirector: false })),
      formatReportLine({ requestId: `${run}-y`, durationMs: 66, memorySizeMb: 1769, maxMemoryUsedMb: 80 }),
    );
    s.push(
      line(180, 's', LogMessages.invoked({ instance: IS, taint: `${run}-tys`, hops: 3 })),
      line(185, 's', LogMessages.downloadDataFromSyncTable({ instance: IS, downloadSizeGb: 1e-6, consumedReadCapacity: 0.5, downloadTimeS: 0.005 })),
      line(230, 's', LogMessages.executed({ instance: IS, userExecutionTimeS: 0.04, totalExecutionTimeS: 0.05 })),
      line(231, 's', LogMessages.usedCpuModel({ cpuModel: 'Intel(R) Xeon(R) Processor @ 2.50GHz', instance: IS, fromRedirector: false })),
      formatReportLine({ requestId: `${run}-s`, durationMs: 52, memorySizeMb: 3538, maxMemoryUsedMb: 120 }),
    );
  }
  return [
    { region: REGION_E, lines: e },
    { region: REGION_E, lines: x },
    { region: REGION_E, lines: y },
    { region: REGION_S, lines: s },
  ];
}

// ---- Reference-style parser (baseline): a regex per field, as the Python syncer does. ----

const patterns = new Map<string, RegExp>();
function field(text: string, name: string): string | undefined {
  let pattern = patterns.get(name);
  if (pattern === undefined) {
    pattern = new RegExp(`${name} \\((.*?)\\)`);
    patterns.set(name, pattern);
  }
  return pattern.exec(text)?.[1];
}
const TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}),(\d{6})([+-]\d{4})$/;
const REQUEST_ID_PATTERN = /RequestId: (.*?)\t/;
const MESSAGE_PATTERN = /MESSAGE \((.*?)\) LOG_VERSION/;

type Kind = 's' | 'f' | 'b' | 'fna';
/** Per marker: [property, FIELD, kind]; the same message objects our parser builds. */
const SPECS: Record<string, Array<[string, string, Kind]>> = {
  ENTRY_POINT: [
    ['instance', 'INSTANCE', 's'],
    ['userPayloadSizeGb', 'USER_PAYLOAD_SIZE', 'f'],
    ['redirected', 'REDIRECTED', 'b'],
    ['initLatencyFromClientS', 'INIT_LATENCY_FROM_CLIENT', 'fna'],
    ['initLatencyFirstReceivedS', 'INIT_LATENCY_FIRST_RECIEVED', 'f'],
    ['timeFromFunctionStartS', 'TIME_FROM_FUNCTION_START', 'f'],
    ['requestSource', 'REQUEST_SOURCE', 's'],
    ['wpdSizeGb', 'WORKFLOW_PLACEMENT_DECISION_SIZE', 'f'],
    ['consumedReadCapacity', 'CONSUMED_READ_CAPACITY', 'f'],
  ],
  INVOKED: [['taint', 'TAINT', 's']],
  EXECUTED: [
    ['instance', 'INSTANCE', 's'],
    ['userExecutionTimeS', 'USER_EXECUTION_TIME', 'f'],
    ['totalExecutionTimeS', 'TOTAL_EXECUTION_TIME', 'f'],
  ],
  INVOKING_SUCCESSOR: [
    ['instance', 'INSTANCE', 's'],
    ['successor', 'SUCCESSOR', 's'],
    ['payloadSizeGb', 'PAYLOAD_SIZE', 'f'],
    ['taint', 'TAINT', 's'],
    ['provider', 'PROVIDER', 's'],
    ['region', 'REGION', 's'],
    ['successorInvoked', 'SUCCESSOR_INVOKED', 'b'],
    ['invocationTimeFromFunctionStartS', 'INVOCATION_TIME_FROM_FUNCTION_START', 'f'],
    ['finishTimeFromInvocationStartS', 'FINISH_TIME_FROM_INVOCATION_START', 'f'],
  ],
  USED_CPU_MODEL: [
    ['instance', 'INSTANCE', 's'],
    ['cpuModel', 'CPU_MODEL', 's'],
    ['fromRedirector', 'FROM_REDIRECTOR', 'b'],
  ],
  DOWNLOAD_DATA_FROM_SYNC_TABLE: [
    ['instance', 'INSTANCE', 's'],
    ['downloadSizeGb', 'DOWNLOAD_SIZE', 'f'],
    ['consumedReadCapacity', 'CONSUMED_READ_CAPACITY', 'f'],
    ['downloadTimeS', 'DOWNLOAD_TIME', 'f'],
  ],
};
const UPLOAD_SPEC: Array<[string, string, Kind]> = [
  ['uploadSizeGb', 'UPLOAD_DATA_SIZE', 'f'],
  ['consumedWriteCapacity', 'CONSUMED_WRITE_CAPACITY', 'f'],
  ['syncDataResponseSizeGb', 'SYNC_DATA_RESPONSE_SIZE', 'f'],
  ['uploadRttS', 'UPLOAD_RTT', 'f'],
];

function readFields(message: string, spec: Array<[string, string, Kind]>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [property, name, kind] of spec) {
    const text = field(message, name);
    if (text === undefined) throw new Error(`Invalid ${name}`);
    if (kind === 's') result[property] = text;
    else if (kind === 'b') result[property] = text.toLowerCase() === 'true';
    else if (kind === 'fna') result[property] = text === 'N/A' ? null : Number(text);
    else result[property] = Number(text);
  }
  return result;
}

interface RegexHeader {
  requestId: string;
  runId: string;
  timeUs: number;
  message: string;
  marker: string;
}

function regexHeader(line: string): RegexHeader | undefined {
  const runId = field(line, 'RUN_ID');
  const time = TIME_PATTERN.exec(field(line, 'TIME') ?? '');
  const message = MESSAGE_PATTERN.exec(line)?.[1];
  if (runId === undefined || time === null || message === undefined) return undefined;
  const timeUs =
    Date.UTC(Number(time[1]), Number(time[2]) - 1, Number(time[3]), Number(time[4]), Number(time[5]), Number(time[6])) * 1000 + Number(time[7]);
  return { requestId: line.split('\t')[2]!, runId, timeUs, message, marker: message.slice(0, message.indexOf(':')) };
}

function regexBody(header: RegexHeader): LogLine {
  const { requestId, runId, timeUs, message, marker } = header;
  const spec = SPECS[marker];
  if (spec === undefined) return { kind: 'caribou', requestId, runId, timeUs, message: { marker: 'UNTRACKED', name: marker } };
  const parsed: Record<string, unknown> = { marker, ...readFields(message, spec) };
  if (marker === 'INVOKING_SUCCESSOR' && field(message, 'UPLOADED_DATA_TO_SYNC_TABLE') === 'True') parsed['upload'] = readFields(message, UPLOAD_SPEC);
  if (marker === 'USED_CPU_MODEL') parsed['cpuModel'] = (parsed['cpuModel'] as string).replace(/</g, '(').replace(/>/g, ')');
  return { kind: 'caribou', requestId, runId, timeUs, message: parsed as unknown as CaribouMessage };
}

function regexReport(line: string): LogLine {
  const requestId = REQUEST_ID_PATTERN.exec(line)?.[1];
  if (requestId === undefined) return { kind: 'malformed', reason: 'REPORT' };
  const durationMs = Number(/Duration: (.*?) ms/.exec(line)?.[1]);
  const memorySizeMb = Number(/Memory Size: (.*?) MB/.exec(line)?.[1]);
  const init = /Init Duration: (.*?) ms/.exec(line)?.[1];
  return { kind: 'report', requestId, durationMs, memorySizeMb, ...(init !== undefined && { initDurationMs: Number(init) }) };
}

/** Markers whose lines count a run even when its lines are no longer collected. */
const COUNTING_MARKERS = new Set(['ENTRY_POINT', 'REDIRECT', 'CLIENT_CODE_EXCEPTION']);
const SKIPPED: CaribouMessage = { marker: 'DEBUG_MESSAGE' };

/**
 * The baseline's feed: regexes, and like the reference (and us) no field regexes for a line
 * of a run that is no longer collected unless it counts the run.
 */
function regexFeed(aggregator: LogAggregator, line: string, region: string, endUs: number): void {
  if (line.startsWith('REPORT')) return aggregator.addParsedLine(regexReport(line), region, endUs);
  if (!line.startsWith('[CARIBOU]')) return aggregator.addParsedLine({ kind: 'other' }, region, endUs);
  const header = regexHeader(line);
  if (header === undefined) return aggregator.addParsedLine({ kind: 'malformed', reason: 'header' }, region, endUs);
  if (!aggregator.isCollecting(header.runId) && !COUNTING_MARKERS.has(header.marker)) {
    return aggregator.addParsedLine({ kind: 'caribou', requestId: header.requestId, runId: header.runId, timeUs: header.timeUs, message: SKIPPED }, region, endUs);
  }
  aggregator.addParsedLine(regexBody(header), region, endUs);
}

const END_US = parseTimeMicros('2024-09-01 00:00:00,000000+0000')!;

/** Ours: the syncer's own path, one batch per function. */
function aggregateOurs(log: FunctionLog[], forgettingNumber: number): number {
  const aggregator = new LogAggregator({ forgettingNumber });
  for (const fn of log) aggregator.addLines(fn.lines, { region: fn.region, intervalEndUs: END_US });
  return aggregator.finish().stats.runsSynced;
}

function aggregateRegex(log: FunctionLog[], forgettingNumber: number): number {
  const aggregator = new LogAggregator({ forgettingNumber });
  for (const fn of log) {
    const region = `${fn.region.provider}:${fn.region.region}`;
    for (const line of fn.lines) regexFeed(aggregator, line, region, END_US);
  }
  return aggregator.finish().stats.runsSynced;
}

const suite: BenchSuite = {
  name: 'telemetry: log sync parse + aggregate',
  async run({ quick }) {
    const runs = Math.round((quick ? 100_000 : 1_000_000) / LINES_PER_RUN);
    const log = syntheticLog(runs);
    const lineCount = log.reduce((n, fn) => n + fn.lines.length, 0);
    const repetitions = quick ? 3 : 5;
    const lines: BenchLine[] = [];
    // The syncer's default keeps 5000 runs per sync (FORGETTING_NUMBER); the worst case samples every run.
    for (const [label, limit, expected] of [
      ['default sample limit (5000 runs)', FORGETTING_NUMBER, Math.min(FORGETTING_NUMBER, runs)],
      ['every run sampled', Infinity, runs],
    ] as const) {
      // Both feeds must produce the same runs, or the comparison means nothing.
      const ours = aggregateOurs(log, limit);
      const theirs = aggregateRegex(log, limit);
      if (ours !== expected || theirs !== expected) throw new Error(`${label}: expected ${expected} runs, got ${ours} (ours) and ${theirs} (regex baseline)`);
      const oursMs = await medianMs(repetitions, () => aggregateOurs(log, limit));
      const baselineMs = await medianMs(repetitions, () => aggregateRegex(log, limit));
      lines.push(
        {
          label: `${lineCount} lines, ${label}`,
          value: oursMs,
          unit: 'ms',
          baseline: { label: 'regex per field (reference style)', value: baselineMs },
        },
        {
          label: `  throughput, ${label}`,
          value: (lineCount * 1000) / oursMs,
          unit: 'lines/s',
          goal: '≥ 200000 lines/s',
        },
      );
    }
    return lines;
  },
};

export default suite;
