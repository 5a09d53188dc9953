import type { ProviderRegion } from '@caribou/domain-common';
import type { LogSource, UnfinishedRun } from '@caribou/ports';
import type { LocalDatabase } from './database';
import { LocalRunJournal } from './run-journal';

/**
 * Log lines per function per region, stamped with simulated time: the `[CARIBOU]`
 * lines a function writes and one `REPORT` line per invocation.
 */
export class LocalLogStore implements LogSource {
  private readonly journal: LocalRunJournal;

  constructor(private readonly db: LocalDatabase) {
    this.journal = new LocalRunJournal(db);
  }

  /** Runs execute while a sync reads: the run journal says up to when the logs are final. */
  async settledUntil(nowMs: number): Promise<number> {
    return this.journal.settledUntil(nowMs);
  }

  async interruptedRuns(): Promise<UnfinishedRun[]> {
    return this.journal.unreportedInterrupted();
  }

  async acknowledgeInterruptedRuns(runIds: readonly string[]): Promise<void> {
    this.journal.acknowledge(runIds);
  }

  append(region: ProviderRegion, functionName: string, timeMs: number, line: string): void {
    this.db.run('INSERT INTO logs (region, function_name, time_ms, line) VALUES (?, ?, ?, ?)', region.region, functionName, timeMs, line);
  }

  async getLogsBetween(region: ProviderRegion, functionName: string, startMs: number, endMs: number): Promise<string[]> {
    return this.db
      .all<{ line: string }>(
        'SELECT line FROM logs WHERE region = ? AND function_name = ? AND time_ms >= ? AND time_ms < ? ORDER BY time_ms, id',
        region.region,
        functionName,
        startMs,
        endMs,
      )
      .map((row) => row.line);
  }

  /** The local platform has no Lambda Insights; the log syncer uses the REPORT lines instead. */
  async getInsightsBetween(): Promise<string[]> {
    return [];
  }

  async removeLogs(region: ProviderRegion, functionName: string): Promise<void> {
    this.db.run('DELETE FROM logs WHERE region = ? AND function_name = ?', region.region, functionName);
  }

  count(region: ProviderRegion, functionName: string): number {
    return this.db.get<{ n: number }>('SELECT count(*) AS n FROM logs WHERE region = ? AND function_name = ?', region.region, functionName)!.n;
  }
}
