import { describe, expect, it } from 'vitest';
import type { ProviderRegion } from '@caribou/domain-common';
import { RecordedLogSource } from '../log-sync/testing/recorded-log-source';
import { addFunctionLines, FUNCTION_A, FUNCTION_B, IA, IB, linearRunLines, registerDeployedWorkflow, US_EAST_1 } from '../log-sync/testing/scenario';
import { FixedClock } from '../log-sync/testing/fixed-clock';
import { InMemoryKeyValueStore } from '../testing/in-memory-key-value-store';
import { LogRunTracker } from './log-run-tracker';

const RUN = 'a'.repeat(32);
const START = Date.UTC(2026, 0, 1, 12);

/** The linear workflow A → B deployed in us-east-1, its run's lines in a recorded log source. */
async function scenario() {
  const store = new InMemoryKeyValueStore();
  await registerDeployedWorkflow(store, 'wf-0.0.1', [
    { name: FUNCTION_A, region: US_EAST_1 },
    { name: FUNCTION_B, region: US_EAST_1 },
  ]);
  const clock = new FixedClock(START);
  // The tracker's sleep moves the clock: no wall-clock time passes in these tests.
  const sleep = async (ms: number) => void (clock.nowMs += ms);
  return { store, clock, sleep, logs: new RecordedLogSource(), lines: linearRunLines(RUN, START - 1_000) };
}

describe('LogRunTracker (run --wait on a cloud provider, over any LogSource)', () => {
  it('waits for the successor the entry point announced, then lists where each ran', async () => {
    const { store, clock, logs, lines } = await scenario();
    addFunctionLines(logs, US_EAST_1, FUNCTION_A, lines.linesA);
    let polls = 0;
    const tracker = new LogRunTracker(
      { store, logs, clock },
      {
        timeoutMs: 60_000,
        sleep: async (ms) => {
          // B's lines arrive after the first read, which saw A announce it.
          polls += 1;
          clock.nowMs += ms;
          if (polls === 1) addFunctionLines(logs, US_EAST_1, FUNCTION_B, lines.linesB);
        },
      },
    );
    expect(await tracker.waitForRun(RUN)).toEqual({
      failed: false,
      executions: [
        { instance_name: IA, region: 'aws:us-east-1', status: 'succeeded' },
        { instance_name: IB, region: 'aws:us-east-1', status: 'succeeded' },
      ],
    });
    expect(polls).toBe(1);
  });

  it('gives up after the timeout naming where the platform keeps the logs, or `caribou logs` when it does not say', async () => {
    const { store, clock, sleep, logs, lines } = await scenario();
    addFunctionLines(logs, US_EAST_1, FUNCTION_A, lines.linesA);
    const described: Array<{ region: ProviderRegion; functionName: string }> = [];
    const platformLogs = Object.assign(Object.create(logs) as RecordedLogSource, {
      describeLogs: (functions: ReadonlyArray<{ region: ProviderRegion; functionName: string }>) => {
        described.push(...functions);
        return 'the platform log of ' + functions[0]!.functionName;
      },
    });
    const tracker = new LogRunTracker({ store, logs: platformLogs, clock }, { timeoutMs: 3_000, pollIntervalMs: 1_000, sleep });
    await expect(tracker.waitForRun(RUN)).rejects.toThrow(
      `Run ${RUN} did not finish within 3 s: 1 of 2 invocations logged their end; it may still be running: check the platform log of ${FUNCTION_A}, or sync later with caribou log_sync`,
    );
    expect(described.map((fn) => fn.functionName)).toEqual([FUNCTION_A, FUNCTION_B]);

    const silent = new LogRunTracker({ store, logs, clock }, { timeoutMs: 2_000, sleep });
    await expect(silent.waitForRun('b'.repeat(32))).rejects.toThrow(
      `No log lines of run ${'b'.repeat(32)} arrived within 2 s (read the logs of 2 function copies); the run may still be starting or failed before logging: check the functions' logs (caribou logs <workflow_id> --run <run_id>), or sync later with caribou log_sync`,
    );
  });
});
