import { describe, expect, it } from 'vitest';
import { formatCaribouLine, formatReportLine, LogMessages } from './log-messages';
import { parseLogLine, type CaribouLogLine } from './log-line';
import { formatTimeMicros, parseTimeMicros } from './time-micros';

const T = Date.UTC(2024, 7, 2, 16, 43, 12, 323);
const caribou = (message: string): string => formatCaribouLine(T, 'req-1', 'run-1', message);

function parsed(line: string): CaribouLogLine {
  const result = parseLogLine(line);
  if (result.kind !== 'caribou') throw new Error(`expected a caribou line, got ${JSON.stringify(result)}`);
  return result;
}

describe('parseLogLine: [CARIBOU] lines', () => {
  it('reads the reference example line: request id is the third tab field, run id and time from the text', () => {
    const line =
      '[CARIBOU]\t2024-08-02T16:43:12.323Z\t366b3663-2679-447c-86a0-ea2d8df06bcf\tTIME (2024-08-02 16:43:12,323041+0000) ' +
      'RUN_ID (5f627048-fbc7-4a6f-9eee-309de1ea852a) MESSAGE (WPD_OVERRIDE: something) LOG_VERSION (0.0.4)';
    const result = parsed(line);
    expect(result.requestId).toBe('366b3663-2679-447c-86a0-ea2d8df06bcf');
    expect(result.runId).toBe('5f627048-fbc7-4a6f-9eee-309de1ea852a');
    expect(formatTimeMicros(result.timeUs)).toBe('2024-08-02 16:43:12,323041+0000');
    expect(result.message).toEqual({ marker: 'UNTRACKED', name: 'WPD_OVERRIDE' });
  });

  it('tolerates the trailing newline CloudWatch keeps on messages', () => {
    expect(parsed(`${caribou(LogMessages.invoked({ instance: 'i', taint: 't', hops: 1 }))}\n`).message).toEqual({ marker: 'INVOKED', taint: 't' });
  });

  it('reads ENTRY_POINT, with N/A latency and the optional override', () => {
    const message = LogMessages.entryPoint({
      instance: 'wf-0_0_1-A:entry_point:0',
      workflowId: 'wf-0.0.1',
      userPayloadSizeGb: 8.146972656249999e-7,
      redirected: true,
      initLatencyFromClientS: null,
      initLatencyFirstReceivedS: 0.25,
      timeFromFunctionStartS: 0.001,
      requestSource: 'Caribou (CLI)',
      wpdSizeGb: 2e-6,
      consumedReadCapacity: 0.5,
      overriddenWpdSizeGb: 1e-7,
    });
    expect(parsed(caribou(message)).message).toEqual({
      marker: 'ENTRY_POINT',
      instance: 'wf-0_0_1-A:entry_point:0',
      userPayloadSizeGb: 8.146972656249999e-7,
      redirected: true,
      initLatencyFromClientS: null,
      initLatencyFirstReceivedS: 0.25,
      timeFromFunctionStartS: 0.001,
      requestSource: 'Caribou <CLI>',
      wpdSizeGb: 2e-6,
      consumedReadCapacity: 0.5,
      overriddenWpdSizeGb: 1e-7,
    });
  });

  it('reads every other marker the writer produces', () => {
    const cases: Array<[string, unknown]> = [
      [
        LogMessages.retrieveWpd({ sendToHome: false, timeKey: '6', wpdSizeGb: 1e-6, consumedReadCapacity: 1, timeFromFunctionStartS: 0.01 }),
        { marker: 'RETRIVE_WPD', retrievedFromPlatform: true },
      ],
      [
        LogMessages.redirect({
          instance: 'e:entry_point:0',
          fromRegion: 'us-east-1',
          fromProvider: 'aws',
          toRegion: 'ca-central-1',
          toProvider: 'aws',
          workflowId: 'wf-0.0.1',
          inputPayloadSizeGb: 1e-6,
          outputPayloadSizeGb: 3e-6,
          identifier: 'fn',
          taint: 'tr',
          hops: 0,
          invocationTimeFromFunctionStartS: 0.02,
          finishTimeFromInvocationStartS: 0.03,
          initLatencyFromClientS: 0.4,
        }),
        {
          marker: 'REDIRECT',
          instance: 'e:entry_point:0',
          toProvider: 'aws',
          toRegion: 'ca-central-1',
          inputPayloadSizeGb: 1e-6,
          outputPayloadSizeGb: 3e-6,
          taint: 'tr',
          invocationTimeFromFunctionStartS: 0.02,
          finishTimeFromInvocationStartS: 0.03,
          initLatencyFromClientS: 0.4,
        },
      ],
      [LogMessages.executed({ instance: 'i', userExecutionTimeS: 0.1, totalExecutionTimeS: 0.15 }), { marker: 'EXECUTED', instance: 'i', userExecutionTimeS: 0.1, totalExecutionTimeS: 0.15 }],
      [
        LogMessages.invokingSuccessor({
          instance: 'i',
          successor: 's',
          payloadSizeGb: 2e-6,
          taint: 't',
          provider: 'aws',
          region: 'us-west-2',
          successorInvoked: false,
          invocationTimeFromFunctionStartS: 0.11,
          finishTimeFromInvocationStartS: 0.09,
          upload: { uploadSizeGb: 5e-7, consumedWriteCapacity: 3, syncDataResponseSizeGb: 6e-7, uploadRttS: 0.02 },
        }),
        {
          marker: 'INVOKING_SUCCESSOR',
          instance: 'i',
          successor: 's',
          payloadSizeGb: 2e-6,
          taint: 't',
          provider: 'aws',
          region: 'us-west-2',
          successorInvoked: false,
          invocationTimeFromFunctionStartS: 0.11,
          finishTimeFromInvocationStartS: 0.09,
          upload: { uploadSizeGb: 5e-7, consumedWriteCapacity: 3, syncDataResponseSizeGb: 6e-7, uploadRttS: 0.02 },
        },
      ],
      [
        LogMessages.invokingSyncNode({
          instance: 'i',
          successor: 'x',
          predecessor: 'p',
          syncNode: 'n:sync:',
          successorInvoked: true,
          payloadSizeGb: 1e-6,
          syncDataResponseSizeGb: 4e-7,
          consumedWriteCapacity: 2,
          taint: null,
          provider: 'aws',
          region: 'us-west-2',
          invocationTimeFromFunctionStartS: 0.05,
          finishTimeFromInvocationStartS: 0.03,
          callStartToFinishS: 0.03,
        }),
        {
          marker: 'INVOKING_SYNC_NODE',
          instance: 'i',
          successor: 'x',
          predecessorInstance: 'p',
          syncNode: 'n:sync:',
          successorInvoked: true,
          payloadSizeGb: 1e-6,
          syncDataResponseSizeGb: 4e-7,
          consumedWriteCapacity: 2,
          taint: 'None',
          provider: 'aws',
          region: 'us-west-2',
        },
      ],
      [
        LogMessages.conditionalNonExecution({
          instance: 'i',
          successor: 'x',
          consumedWriteCapacity: 2,
          syncDataResponseSizeGb: 4e-7,
          provider: 'aws',
          region: 'us-east-1',
          invocationTimeFromFunctionStartS: 0.05,
          finishTimeFromInvocationStartS: 0.051,
        }),
        {
          marker: 'CONDITIONAL_NON_EXECUTION',
          instance: 'i',
          successor: 'x',
          consumedWriteCapacity: 2,
          syncDataResponseSizeGb: 4e-7,
          provider: 'aws',
          region: 'us-east-1',
          invocationTimeFromFunctionStartS: 0.05,
        },
      ],
      [
        LogMessages.usedCpuModel({ cpuModel: 'Intel(R) Xeon(R) CPU @ 2.30GHz', instance: 'i', fromRedirector: true }),
        { marker: 'USED_CPU_MODEL', instance: 'i', cpuModel: 'Intel(R) Xeon(R) CPU @ 2.30GHz', fromRedirector: true },
      ],
      [
        LogMessages.downloadDataFromSyncTable({ instance: 'n:sync:', downloadSizeGb: 5e-7, consumedReadCapacity: 0.5, downloadTimeS: 0.01 }),
        { marker: 'DOWNLOAD_DATA_FROM_SYNC_TABLE', instance: 'n:sync:', downloadSizeGb: 5e-7, consumedReadCapacity: 0.5, downloadTimeS: 0.01 },
      ],
      [LogMessages.clientCodeException({ instance: 'i', error: 'ValueError(boom)\n  at line 3' }), { marker: 'CLIENT_CODE_EXCEPTION' }],
      [LogMessages.debugPayloadTooLarge({ payloadSizeGb: 1e-3, payloadSizeBytes: 1_073_742, limitBytes: 256_000 }), { marker: 'DEBUG_MESSAGE' }],
      [LogMessages.exceedHopError({ hops: 21, maximum: 20 }), { marker: 'UNTRACKED', name: 'EXCEED_HOP_ERROR' }],
      [LogMessages.invoked({ instance: 'i', taint: null, hops: 1 }), { marker: 'INVOKED', taint: 'N/A' }],
    ];
    for (const [message, expected] of cases) expect(parsed(caribou(message)).message).toEqual(expected);
  });

  it('takes ` NAME (` as a whole word: REGION is not read out of FROM_REGION', () => {
    const message = 'CONDITIONAL_NON_EXECUTION: INSTANCE (i) calling SUCCESSOR (x) consuming CONSUMED_WRITE_CAPACITY (1.0) with SYNC_DATA_RESPONSE_SIZE (0.0) GB FROM_REGION (eu-west-1) to PROVIDER (aws) and REGION (us-east-1) with INVOCATION_TIME_FROM_FUNCTION_START (0.1) s';
    expect(parsed(caribou(message)).message).toMatchObject({ region: 'us-east-1' });
  });
});

describe('parseLogLine: malformed lines are reported, not thrown', () => {
  const good = caribou(LogMessages.executed({ instance: 'i', userExecutionTimeS: 0.1, totalExecutionTimeS: 0.2 }));

  it.each([
    ['a garbled float', good.replace('USER_EXECUTION_TIME (0.1)', 'USER_EXECUTION_TIME (fast)'), /USER_EXECUTION_TIME is not a number/],
    ['a missing field', good.replace(' and TOTAL_EXECUTION_TIME (0.2) s', ''), /TOTAL_EXECUTION_TIME is missing/],
    ['an impossible time', good.replace('2024-08-02 16:43:12,323000', '2024-02-30 16:43:12,323000'), /TIME/],
    ['a time in another format', good.replace('2024-08-02 16:43:12,323000+0000', '2024-08-02T16:43:12Z'), /TIME/],
    ['another log version', good.replace('LOG_VERSION (0.0.4)', 'LOG_VERSION (0.0.3)'), /LOG_VERSION '0.0.3'/],
    ['no MESSAGE', good.replace(' MESSAGE (', ' MSG ('), /MESSAGE/],
    ['a bad boolean', caribou(LogMessages.usedCpuModel({ cpuModel: 'c', instance: 'i', fromRedirector: true })).replace('(True)', '(yes)'), /FROM_REDIRECTOR is not True or False/],
  ])('%s', (_name, line, reason) => {
    const result = parseLogLine(line);
    expect(result.kind).toBe('malformed');
    if (result.kind === 'malformed') {
      expect(result.reason).toMatch(reason);
      expect(result.runId).toBe('run-1');
    }
  });

  it('a line without RUN_ID keeps its request id, which ties it to its run through the run’s other lines', () => {
    const result = parseLogLine(good.replace(' RUN_ID (run-1)', ''));
    expect(result).toEqual({ kind: 'malformed', reason: 'RUN_ID is missing', requestId: good.split('\t')[2] });
  });

  it('a line cut before the request id', () => {
    expect(parseLogLine('[CARIBOU]\t2024-08-02T16:43:12.323Z TIME (2024-08-02 16:43:12,323000+0000) RUN_ID (r) MESSAGE (X: ) LOG_VERSION (0.0.4)')).toMatchObject({
      kind: 'malformed',
      runId: 'r',
    });
  });

  it('lines of other origins are read past', () => {
    expect(parseLogLine('START RequestId: abc Version: $LATEST')).toEqual({ kind: 'other' });
    expect(parseLogLine('hello from user code')).toEqual({ kind: 'other' });
  });
});

describe('parseLogLine: REPORT lines', () => {
  it('reads duration, memory and the cold-start marker', () => {
    const line = formatReportLine({ requestId: 'r-1', durationMs: 123.456, memorySizeMb: 1769, maxMemoryUsedMb: 80, initDurationMs: 250 });
    expect(parseLogLine(line)).toEqual({ kind: 'report', requestId: 'r-1', durationMs: 123.46, memorySizeMb: 1769, maxMemoryUsedMb: 80, initDurationMs: 250 });
  });

  it('reads the AWS form with a space before a tab and no init duration', () => {
    const line = 'REPORT RequestId: 3604209a-e9a3-11e6-939a-754dd98c7be3\tDuration: 12.34 ms\tBilled Duration: 100 ms \tMemory Size: 128 MB\tMax Memory Used: 18 MB\t\n';
    expect(parseLogLine(line)).toEqual({ kind: 'report', requestId: '3604209a-e9a3-11e6-939a-754dd98c7be3', durationMs: 12.34, memorySizeMb: 128, maxMemoryUsedMb: 18 });
  });

  it('a REPORT line without a request id is malformed', () => {
    expect(parseLogLine('REPORT RequestId: \tDuration: 1 ms').kind).toBe('malformed');
  });
});

describe('TIME_FORMAT in microseconds', () => {
  it('round-trips and keeps microseconds exact', () => {
    const text = '2024-03-09 18:26:24,469750+0000';
    expect(formatTimeMicros(parseTimeMicros(text)!)).toBe(text);
    expect(parseTimeMicros(text)! % 1_000_000).toBe(469_750);
  });

  it('accepts what strptime accepts: short fractions, ±HH:MM, Z, other offsets', () => {
    expect(parseTimeMicros('2024-03-09 18:26:24,5+0000')).toBe(parseTimeMicros('2024-03-09 18:26:24,500000+0000'));
    expect(parseTimeMicros('2024-03-09 20:26:24,000000+02:00')).toBe(parseTimeMicros('2024-03-09 18:26:24,000000Z'));
    expect(parseTimeMicros('2024-03-09 10:26:24,000000-0800')).toBe(parseTimeMicros('2024-03-09 18:26:24,000000+0000'));
    expect(parseTimeMicros('2024-02-29 00:00:00,000000+0000')).toBe(Date.UTC(2024, 1, 29) * 1000);
  });

  it('rejects impossible dates and garbage', () => {
    for (const text of ['2023-02-29 00:00:00,000000+0000', '2024-13-01 00:00:00,000000+0000', '2024-03-09 24:00:00,000000+0000', 'yesterday', '2024-03-09 18:26:24+0000']) {
      expect(parseTimeMicros(text)).toBeUndefined();
    }
  });
});
