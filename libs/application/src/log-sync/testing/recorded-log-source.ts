import { regionKey, type ProviderRegion } from '@caribou/domain-common';
import type { LogReadOptions, LogSource } from '@caribou/ports';

interface Stamped {
  timeMs: number;
  text: string;
}

export interface LogRead {
  kind: 'logs' | 'insights';
  function: string;
  region: string;
  startMs: number;
  endMs: number;
  /** The lines the reader said it needs (LogReadOptions.containingAny), when it said. */
  containingAny?: readonly string[];
}

/** A source that streams (`streamLogsBetween`) in chunks of this many lines; unset: it only reads whole windows. */
export interface RecordedLogSourceOptions {
  chunkLines?: number;
}

/**
 * Test double: lines and Insights records per function and region, each with the platform
 * timestamp it would carry; reads return those in [startMs, endMs) and are recorded.
 */
export class RecordedLogSource implements LogSource {
  private readonly logs = new Map<string, Stamped[]>();
  private readonly insights = new Map<string, Stamped[]>();
  readonly reads: LogRead[] = [];
  /** Chunks handed out by `streamLogsBetween`, and the most lines any of them held. */
  chunks = 0;
  largestChunk = 0;

  constructor(options: RecordedLogSourceOptions = {}) {
    if (options.chunkLines !== undefined) {
      const chunkLines = options.chunkLines;
      this.streamLogsBetween = (region, functionName, startMs, endMs, readOptions) => this.stream(chunkLines, region, functionName, startMs, endMs, readOptions);
    }
  }

  streamLogsBetween?: LogSource['streamLogsBetween'];

  private async *stream(chunkLines: number, region: ProviderRegion, functionName: string, startMs: number, endMs: number, options?: LogReadOptions): AsyncGenerator<string[]> {
    this.reads.push({ kind: 'logs', function: functionName, region: regionKey(region), startMs, endMs, ...(options?.containingAny ? { containingAny: options.containingAny } : {}) });
    const lines = this.between(this.logs, region, functionName, startMs, endMs);
    for (let start = 0; start < lines.length; start += chunkLines) {
      const chunk = lines.slice(start, start + chunkLines);
      this.chunks++;
      this.largestChunk = Math.max(this.largestChunk, chunk.length);
      yield chunk;
    }
  }

  private static key(region: ProviderRegion, functionName: string): string {
    return `${regionKey(region)}/${functionName}`;
  }

  addLine(region: ProviderRegion, functionName: string, timeMs: number, text: string): void {
    const key = RecordedLogSource.key(region, functionName);
    this.logs.set(key, [...(this.logs.get(key) ?? []), { timeMs, text }]);
  }

  addInsights(region: ProviderRegion, functionName: string, timeMs: number, text: string): void {
    const key = RecordedLogSource.key(region, functionName);
    this.insights.set(key, [...(this.insights.get(key) ?? []), { timeMs, text }]);
  }

  async getLogsBetween(region: ProviderRegion, functionName: string, startMs: number, endMs: number, options?: LogReadOptions): Promise<string[]> {
    this.reads.push({ kind: 'logs', function: functionName, region: regionKey(region), startMs, endMs, ...(options?.containingAny ? { containingAny: options.containingAny } : {}) });
    return this.between(this.logs, region, functionName, startMs, endMs);
  }

  async getInsightsBetween(region: ProviderRegion, functionName: string, startMs: number, endMs: number): Promise<string[]> {
    this.reads.push({ kind: 'insights', function: functionName, region: regionKey(region), startMs, endMs });
    return this.between(this.insights, region, functionName, startMs, endMs);
  }

  private between(source: Map<string, Stamped[]>, region: ProviderRegion, functionName: string, startMs: number, endMs: number): string[] {
    return (source.get(RecordedLogSource.key(region, functionName)) ?? [])
      .filter((entry) => entry.timeMs >= startMs && entry.timeMs < endMs)
      .map((entry) => entry.text);
  }
}
