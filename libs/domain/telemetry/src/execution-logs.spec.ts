import { describe, expect, it } from 'vitest';
import { functionNameOfCopy, readExecutionLogs, type DeployedCopy } from './execution-logs';
import { formatCaribouLine, formatReportLine, LogMessages } from './log-messages';

const region = { provider: 'aws', region: 'eu-west-1' };
const copy: DeployedCopy = { physicalName: 'wf-0_0_1-first_aws-eu-west-1', functionName: 'first', region };
const t0 = Date.UTC(2026, 11, 7, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

/** What Lambda's Node runtime writes for one invocation: platform lines, [CARIBOU] lines, console output. */
function invocation(requestId: string, runId: string, at: number, userLines: string[]): string[] {
  return [
    `START RequestId: ${requestId} Version: $LATEST`,
    formatCaribouLine(at, requestId, runId, LogMessages.invoked({ instance: 'wf-0_0_1-first:entry_point:0', taint: null, hops: 1 })),
    ...userLines.map((text, index) => `${iso(at + 1 + index)}\t${requestId}\tINFO\t${text}`),
    formatCaribouLine(at + 50, requestId, runId, 'INVOKING_SUCCESSOR: INSTANCE (wf-0_0_1-next:x:1) potentially calling'),
    `END RequestId: ${requestId}`,
    formatReportLine({ requestId, durationMs: 60, memorySizeMb: 128, maxMemoryUsedMb: 40 }),
  ];
}

describe('caribou logs: reading a copy\'s log lines into executions', () => {
  it('ties each user line to the run and instance of its request, though the line names neither', () => {
    const lines = [...invocation('req-a', 'run-a', t0, ['marker one']), ...invocation('req-b', 'run-b', t0 + 1000, ['marker two'])];
    const user = readExecutionLogs(copy, lines).filter((entry) => !entry.system);
    expect(user).toEqual([
      { timeMs: t0 + 1, region, functionName: 'first', instance: 'wf-0_0_1-first:entry_point:0', runId: 'run-a', requestId: 'req-a', level: 'INFO', message: 'marker one', system: false },
      { timeMs: t0 + 1001, region, functionName: 'first', instance: 'wf-0_0_1-first:entry_point:0', runId: 'run-b', requestId: 'req-b', level: 'INFO', message: 'marker two', system: false },
    ]);
  });

  it('marks [CARIBOU], START, END and REPORT lines as system lines, each with its run; a REPORT line takes the time before it', () => {
    const entries = readExecutionLogs(copy, invocation('req-a', 'run-a', t0, ['x']));
    expect(entries.map((entry) => [entry.system, entry.runId])).toEqual([
      [true, 'run-a'],
      [true, 'run-a'],
      [false, 'run-a'],
      [true, 'run-a'],
      [true, 'run-a'],
      [true, 'run-a'],
    ]);
    expect(entries.at(-1)!.timeMs).toBe(t0 + 50);
    // The instance comes from the invocation's own markers, not from the successor it calls.
    expect(new Set(entries.map((entry) => entry.instance))).toEqual(new Set(['wf-0_0_1-first:entry_point:0']));
  });

  it('keeps a multi-line error whole, and output outside any request (module load, raw stdout) without a run', () => {
    const entries = readExecutionLogs(copy, [
      `${iso(t0)}\tundefined\tINFO\tloading the module`,
      'raw text written to stdout',
      ...invocation('req-a', 'run-a', t0 + 10, []),
      `${iso(t0 + 20)}\treq-a\tERROR\tInvoke Error \t{"errorType":"Error","stack":["Error: boom","    at handler"]}\n`,
    ]).filter((entry) => !entry.system);
    expect(entries.map((entry) => [entry.runId, entry.level, entry.message])).toEqual([
      [undefined, 'INFO', 'loading the module'],
      [undefined, undefined, 'raw text written to stdout'],
      ['run-a', 'ERROR', 'Invoke Error \t{"errorType":"Error","stack":["Error: boom","    at handler"]}'],
    ]);
  });

  it('reads the function name out of a copy name, and keeps a name of another form whole', () => {
    expect(functionNameOfCopy('small_sync_example-0_0_1-initial_function_aws-us-east-1', 'small_sync_example-0.0.1', { provider: 'aws', region: 'us-east-1' })).toBe('initial_function');
    expect(functionNameOfCopy('renamed', 'wf-0.0.1', region)).toBe('renamed');
  });
});
