import { FilterLogEventsCommand, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { CaribouError, type ProviderRegion } from '@caribou/domain-common';
import type { LogReadOptions, LogSource } from '@caribou/ports';
import type { AwsClients } from '../config';
import { describeError, isAwsError } from '../errors';
import type { RegionRateLimiters } from './request-rate-limiter';

/** Log group Lambda writes a function's stdout to (`functionName`: its AWS name). */
export const lambdaLogGroup = (functionName: string): string => `/aws/lambda/${functionName}`;
/** Log group of the Lambda Insights extension (one stream per function, prefixed with its name). */
export const LAMBDA_INSIGHTS_LOG_GROUP = '/aws/lambda-insights';

/** Lines one chunk of a stream holds at most (unless more share one millisecond): about 5 MB of typical lines. */
export const DEFAULT_MAX_CHUNK_LINES = 20_000;

export interface CloudWatchLogSourceOptions {
  /** Events per FilterLogEvents page (max 10 000). Unset: the service's own limit. */
  pageSize?: number;
  /**
   * Every FilterLogEvents call waits for its region's limiter first (the quota is per account
   * and region, shared by every reader). Unset: no client-side limit (tests of other things).
   */
  limiters?: RegionRateLimiters;
  /** Lines a streamed chunk holds at most (default 20 000): the memory bound of a streaming reader. */
  maxChunkLines?: number;
}

/**
 * A CloudWatch filter pattern matching lines that contain any of `texts`: each a quoted term
 * (they hold brackets and colons), OR-ed with `?`. Undefined when every line is wanted.
 */
export function filterPatternFor(texts: readonly string[] | undefined): string | undefined {
  if (texts === undefined || texts.length === 0) return undefined;
  const quoted = texts.map((text) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
  return quoted.length === 1 ? quoted[0] : quoted.map((term) => `?${term}`).join(' ');
}

interface Query {
  region: string;
  logGroupName: string;
  streamPrefix: string | undefined;
  filterPattern: string | undefined;
}

/**
 * Function logs from CloudWatch Logs between two times (end excluded), every page. CloudWatch
 * data is never deleted. Pages interleave the group's streams, so a window is read in time
 * slices, each sorted by time then ingestion: the first slice is the whole window; one that
 * grows past `maxChunkLines` is abandoned and read again narrower, sized by the density it
 * showed; each next slice is sized by the density of the last (at most twice as wide). Chunks
 * so come in the order a whole-window read sorted once would give, one slice held at a time.
 */
export class CloudWatchLogSource implements LogSource {
  private readonly maxChunkLines: number;

  constructor(
    private readonly clients: AwsClients,
    private readonly options: CloudWatchLogSourceOptions = {},
  ) {
    this.maxChunkLines = Math.max(1, options.maxChunkLines ?? DEFAULT_MAX_CHUNK_LINES);
  }

  /** `functionName` is the physical name; the log group is that of this install's copy. */
  async getLogsBetween(region: ProviderRegion, functionName: string, startMs: number, endMs: number, options: LogReadOptions = {}): Promise<string[]> {
    return collect(this.streamLogsBetween(region, functionName, startMs, endMs, options));
  }

  streamLogsBetween(region: ProviderRegion, functionName: string, startMs: number, endMs: number, options: LogReadOptions = {}): AsyncIterable<string[]> {
    const logGroupName = lambdaLogGroup(this.clients.names.functionName(functionName));
    return this.slices({ region: region.region, logGroupName, streamPrefix: undefined, filterPattern: filterPatternFor(options.containingAny) }, startMs, endMs);
  }

  /** The log groups' pattern and the first copy's group, e.g. for `run --wait` giving up. */
  describeLogs(functions: ReadonlyArray<{ region: ProviderRegion; functionName: string }>): string {
    const first = functions[0];
    const example = first ? ` (e.g. ${this.clients.names.logGroup(first.functionName)} in ${first.region.region})` : '';
    return `the CloudWatch log groups /aws/lambda/<function>${example}`;
  }

  async getInsightsBetween(region: ProviderRegion, functionName: string, startMs: number, endMs: number): Promise<string[]> {
    const query = { region: region.region, logGroupName: LAMBDA_INSIGHTS_LOG_GROUP, streamPrefix: this.clients.names.functionName(functionName), filterPattern: undefined };
    return collect(this.slices(query, startMs, endMs));
  }

  private async *slices(query: Query, startMs: number, endMs: number): AsyncGenerator<string[]> {
    // Event times are whole milliseconds and FilterLogEvents includes endTime: [start, end) becomes [ceil(start), ceil(end) - 1].
    const first = Math.ceil(startMs);
    const last = Math.ceil(endMs) - 1;
    // Slices aim at three quarters of the bound, so a denser stretch still fits without a second read.
    const target = Math.max(1, Math.floor(this.maxChunkLines * 0.75));
    let from = first;
    let width = last - first + 1;
    while (from <= last) {
      const to = Math.min(last, from + width - 1);
      // A one-millisecond slice cannot be split: it is read whole, however many lines share it.
      const slice = await this.readSlice(query, from, to, to > from ? this.maxChunkLines : Infinity);
      if ('tooMany' in slice) {
        // The density seen so far sizes the next try (at most half this one, so it ends).
        const seenMs = Math.max(1, slice.seenUntil - from + 1);
        width = Math.max(1, Math.min(Math.floor(width / 2), Math.floor((seenMs * target) / slice.tooMany)));
        continue;
      }
      const { events } = slice;
      if (events.length > 0) yield inTimeOrder(events);
      from = to + 1;
      // The next slice as wide as this density allows, at most twice this one.
      width = events.length === 0 ? width * 2 : Math.max(1, Math.min(width * 2, Math.floor((width * target) / events.length)));
    }
  }

  /** Every event of [from, to] (both included), or how many there were (and up to when) as soon as there are more than `maxLines`. */
  private async readSlice(query: Query, from: number, to: number, maxLines: number): Promise<{ events: FilteredLogEvent[] } | { tooMany: number; seenUntil: number }> {
    const { region, logGroupName, streamPrefix, filterPattern } = query;
    const client = this.clients.logs(region);
    const limiter = this.options.limiters?.forRegion(region);
    const events: FilteredLogEvent[] = [];
    let nextToken: string | undefined;
    try {
      do {
        await limiter?.acquire();
        const page = await client.send(
          new FilterLogEventsCommand({
            logGroupName,
            startTime: from,
            endTime: to,
            ...(streamPrefix ? { logStreamNamePrefix: streamPrefix } : {}),
            ...(filterPattern ? { filterPattern } : {}),
            ...(this.options.pageSize ? { limit: this.options.pageSize } : {}),
            ...(nextToken ? { nextToken } : {}),
          }),
        );
        // The service filters by stream prefix already; checking again keeps emulators that ignore the prefix honest.
        for (const event of page.events ?? []) if (!streamPrefix || (event.logStreamName ?? '').startsWith(streamPrefix)) events.push(event);
        if (events.length > maxLines) return { tooMany: events.length, seenUntil: events.reduce((latest, event) => Math.max(latest, event.timestamp ?? from), from) };
        nextToken = page.nextToken;
      } while (nextToken);
    } catch (error) {
      // The group appears with the function's first log line; before that there is nothing to read.
      if (isAwsError(error, 'ResourceNotFoundException')) return { events: [] };
      throw new CaribouError(`Could not read CloudWatch logs ${logGroupName} in ${region}: ${describeError(error)}`, { cause: error });
    }
    return { events };
  }
}

/** The order of time, then of ingestion (pages interleave streams). */
function inTimeOrder(events: FilteredLogEvent[]): string[] {
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => (a.event.timestamp ?? 0) - (b.event.timestamp ?? 0) || a.index - b.index)
    .map(({ event }) => event.message ?? '');
}

async function collect(chunks: AsyncIterable<string[]>): Promise<string[]> {
  const lines: string[] = [];
  for await (const chunk of chunks) for (const line of chunk) lines.push(line);
  return lines;
}
