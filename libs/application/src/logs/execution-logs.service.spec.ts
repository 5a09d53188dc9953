import { describe, expect, it } from 'vitest';
import { formatCaribouLine, LogMessages } from '@caribou/domain-telemetry';
import type { Sleeper } from '@caribou/ports';
import { FixedClock } from '../log-sync/testing/fixed-clock';
import { RecordedLogSource } from '../log-sync/testing/recorded-log-source';
import { registerDeployedWorkflow } from '../log-sync/testing/scenario';
import { InMemoryKeyValueStore } from '../testing/in-memory-key-value-store';
import { ExecutionLogsService, FOLLOW_POLL_MS, parseSince } from './execution-logs.service';

const WF = 'wf-0.0.1';
const HOME = { provider: 'aws', region: 'us-east-1' };
const FIRST = 'wf-0_0_1-first_aws-us-east-1';
const t0 = Date.UTC(2026, 11, 7, 12, 0, 0);

function invocation(source: RecordedLogSource, at: number, requestId: string, runId: string, text: string): void {
  source.addLine(HOME, FIRST, at, formatCaribouLine(at, requestId, runId, LogMessages.invoked({ instance: 'wf-0_0_1-first:entry_point:0', taint: null, hops: 1 })));
  source.addLine(HOME, FIRST, at + 1, `${new Date(at + 1).toISOString()}\t${requestId}\tINFO\t${text}`);
}

async function setup(): Promise<{ source: RecordedLogSource; clock: FixedClock; service: ExecutionLogsService; sleeps: number[] }> {
  const store = new InMemoryKeyValueStore();
  await registerDeployedWorkflow(store, WF, [{ name: FIRST, region: HOME }]);
  const source = new RecordedLogSource();
  const clock = new FixedClock(t0);
  const sleeps: number[] = [];
  // Each wait moves the clock on, as time passes while --follow waits.
  const sleeper: Sleeper = { sleep: async (ms) => void (sleeps.push(ms), (clock.nowMs += ms)) };
  return { source, clock, sleeps, service: new ExecutionLogsService({ store, logs: source, clock, sleeper }) };
}

describe('--since', () => {
  it.each([
    ['30s', t0 - 30_000],
    ['10m', t0 - 600_000],
    ['2h', t0 - 7_200_000],
    ['1d', t0 - 86_400_000],
    ['1w', t0 - 604_800_000],
    ['2026-12-01', Date.UTC(2026, 11, 1)],
    ['2026-12-07T11:30:00Z', t0 - 1_800_000],
  ])('%s', (text, expected) => {
    expect(parseSince(text, t0)).toBe(expected);
  });

  it('refuses anything else naming the forms it takes', () => {
    expect(() => parseSince('yesterday', t0)).toThrow('--since "yesterday" is neither a duration (30s, 10m, 2h, 1d, 1w) nor a UTC day');
  });
});

describe('ExecutionLogsService', () => {
  it('reads the lines since --since of one run, without system lines unless asked', async () => {
    const { source, service } = await setup();
    invocation(source, t0 - 3 * 3_600_000, 'old', 'run-old', 'too old for 2h');
    invocation(source, t0 - 60_000, 'a', 'run-a', 'marker a');
    invocation(source, t0 - 30_000, 'b', 'run-b', 'marker b');
    expect((await service.read({ workflowId: WF, since: '2h' })).map((e) => e.message)).toEqual(['marker a', 'marker b']);
    expect((await service.read({ workflowId: WF, runId: 'run-b' })).map((e) => e.message)).toEqual(['marker b']);
    expect((await service.read({ workflowId: WF, runId: 'run-b', system: true })).map((e) => e.system)).toEqual([true, false]);
  });

  it('--follow prints what arrives between reads once, until stopped', async () => {
    const { source, service, sleeps } = await setup();
    invocation(source, t0 - 1000, 'a', 'run-a', 'before follow');
    const stop = new AbortController();
    const printed: string[][] = [];
    await service.follow(
      { workflowId: WF },
      (entries) => {
        printed.push(entries.map((e) => e.message));
        if (printed.length === 1) invocation(source, t0 + 500, 'b', 'run-b', 'while following');
        else stop.abort();
      },
      stop.signal,
    );
    expect(printed).toEqual([['before follow'], ['while following']]);
    expect(sleeps.every((ms) => ms === FOLLOW_POLL_MS)).toBe(true);
  });

  it('refuses an unknown function naming the ones there are, and a workflow that is not deployed', async () => {
    const { service } = await setup();
    await expect(service.read({ workflowId: WF, functionName: 'nope' })).rejects.toThrow('--function nope: wf-0.0.1 has no such function; choose one of first');
    await expect(service.read({ workflowId: 'other-0.0.1' })).rejects.toThrow('Workflow other-0.0.1 is not deployed; caribou list shows the deployed workflows');
  });
});
