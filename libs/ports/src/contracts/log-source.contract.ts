import type { ProviderRegion } from '@caribou/domain-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogSource } from '../log-source.port';

export interface LogLine {
  timestampMs: number;
  message: string;
}

export interface LogSourceHarness {
  source: LogSource;
  region: ProviderRegion;
  /** Writes lines the way the platform's functions would (CloudWatch events, local log rows). */
  writeLines(functionName: string, lines: LogLine[]): Promise<void>;
  /** Writes Lambda-Insights-like records; absent where the platform has none (getInsightsBetween then returns []). */
  writeInsights?(functionName: string, records: LogLine[]): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * Reading a function's log lines in [start, end): both bounds, ordering, isolation
 * between functions and completeness over many lines (several pages on CloudWatch).
 * Times are recent (CloudWatch rejects events older than 14 days).
 */
export function describeLogSourceContract(name: string, makeHarness: () => Promise<LogSourceHarness>): void {
  describe(`LogSource contract: ${name}`, () => {
    const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
    const fn = `wf-0_0_1-logs_${suffix}`;
    const sibling = `${fn}x`;
    const busy = `wf-0_0_1-busy_${suffix}`;
    const base = Math.floor((Date.now() - 60 * 60 * 1000) / 1000) * 1000;
    let harness: LogSourceHarness;

    beforeAll(async () => {
      harness = await makeHarness();
      await harness.writeLines(fn, [
        { timestampMs: base + 3000, message: '[CARIBOU]\tthird' },
        { timestampMs: base, message: '[CARIBOU]\tfirst (at start)' },
        { timestampMs: base + 1000, message: '[CARIBOU]\tsecond' },
        { timestampMs: base + 10_000, message: '[CARIBOU]\tat end (excluded)' },
        { timestampMs: base - 1, message: '[CARIBOU]\tbefore start (excluded)' },
      ]);
      await harness.writeLines(sibling, [{ timestampMs: base + 2000, message: 'sibling line' }]);
    });

    afterAll(async () => {
      await harness?.cleanup();
    });

    it('returns nothing for a function that never logged', async () => {
      expect(await harness.source.getLogsBetween(harness.region, `never_${suffix}`, base - 60_000, base + 60_000)).toEqual([]);
    });

    it('returns the lines in [start, end) in time order, only of that function', async () => {
      const lines = await harness.source.getLogsBetween(harness.region, fn, base, base + 10_000);
      expect(lines.map((line) => line.trimEnd())).toEqual(['[CARIBOU]\tfirst (at start)', '[CARIBOU]\tsecond', '[CARIBOU]\tthird']);
      const narrow = await harness.source.getLogsBetween(harness.region, fn, base + 500, base + 3000);
      expect(narrow.map((line) => line.trimEnd())).toEqual(['[CARIBOU]\tsecond']);
      expect(await harness.source.getLogsBetween(harness.region, fn, base + 20_000, base + 30_000)).toEqual([]);
    });

    it('returns every line of a busy function (many pages)', async () => {
      const lines = Array.from({ length: 260 }, (_, index) => ({ timestampMs: base + index * 10, message: `line ${String(index).padStart(3, '0')}` }));
      await harness.writeLines(busy, lines);
      const read = await harness.source.getLogsBetween(harness.region, busy, base, base + 10_000);
      expect(read.map((line) => line.trimEnd())).toEqual(lines.map((line) => line.message));
    });

    it('returns Insights records of the function between the times, or [] where the platform has none', async () => {
      if (!harness.writeInsights) {
        expect(await harness.source.getInsightsBetween(harness.region, fn, base - 60_000, base + 60_000)).toEqual([]);
        return;
      }
      const record = (functionName: string, requestId: string) => JSON.stringify({ function_name: functionName, request_id: requestId, cold_start: false });
      await harness.writeInsights(fn, [
        { timestampMs: base + 100, message: record(fn, 'r1') },
        { timestampMs: base + 200, message: record(fn, 'r2') },
        { timestampMs: base + 50_000, message: record(fn, 'late') },
      ]);
      await harness.writeInsights(busy, [{ timestampMs: base + 150, message: record(busy, 'other') }]);
      const records = await harness.source.getInsightsBetween(harness.region, fn, base, base + 10_000);
      expect(records.map((line) => JSON.parse(line).request_id)).toEqual(['r1', 'r2']);
    });
  });
}
