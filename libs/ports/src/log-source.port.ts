import type { ProviderRegion } from '@caribou/domain-common';

/** Reads a function's log lines (raw text as the platform stored them) in [startMs, endMs). */
export interface LogSource {
  getLogsBetween(region: ProviderRegion, functionName: string, startMs: number, endMs: number): Promise<string[]>;
  /** Lambda-Insights-like JSON records; [] where the platform has none. */
  getInsightsBetween(region: ProviderRegion, functionName: string, startMs: number, endMs: number): Promise<string[]>;
  /** Deletes the function's logs (local provider only; CloudWatch data is kept, as the reference does). */
  removeLogs?(region: ProviderRegion, functionName: string): Promise<void>;
}
