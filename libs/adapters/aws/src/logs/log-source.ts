import { paginateFilterLogEvents, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { CaribouError, type ProviderRegion } from '@caribou/domain-common';
import type { LogSource } from '@caribou/ports';
import type { AwsClients } from '../config';
import { describeError, isAwsError } from '../errors';

/** Log group Lambda writes a function's stdout to (`functionName`: its AWS name). */
export const lambdaLogGroup = (functionName: string): string => `/aws/lambda/${functionName}`;
/** Log group of the Lambda Insights extension (one stream per function, prefixed with its name). */
export const LAMBDA_INSIGHTS_LOG_GROUP = '/aws/lambda-insights';

export interface CloudWatchLogSourceOptions {
  /** Events per FilterLogEvents page (max 10 000). Unset: the service's own limit. */
  pageSize?: number;
}

/** Function logs from CloudWatch Logs, every page, between two times (end excluded). CloudWatch data is never deleted. */
export class CloudWatchLogSource implements LogSource {
  constructor(
    private readonly clients: AwsClients,
    private readonly options: CloudWatchLogSourceOptions = {},
  ) {}

  /** `functionName` is the physical name; the log group is that of this install's copy. */
  async getLogsBetween(region: ProviderRegion, functionName: string, startMs: number, endMs: number): Promise<string[]> {
    return this.filter(region, lambdaLogGroup(this.clients.names.functionName(functionName)), undefined, startMs, endMs);
  }

  async getInsightsBetween(region: ProviderRegion, functionName: string, startMs: number, endMs: number): Promise<string[]> {
    return this.filter(region, LAMBDA_INSIGHTS_LOG_GROUP, this.clients.names.functionName(functionName), startMs, endMs);
  }

  private async filter(region: ProviderRegion, logGroupName: string, streamPrefix: string | undefined, startMs: number, endMs: number): Promise<string[]> {
    // Event times are whole milliseconds and FilterLogEvents includes endTime: [start, end) becomes [ceil(start), ceil(end) - 1].
    const startTime = Math.ceil(startMs);
    const endTime = Math.ceil(endMs) - 1;
    if (endTime < startTime) return [];
    const events: FilteredLogEvent[] = [];
    try {
      const pages = paginateFilterLogEvents(
        { client: this.clients.logs(region.region), pageSize: this.options.pageSize },
        { logGroupName, ...(streamPrefix ? { logStreamNamePrefix: streamPrefix } : {}), startTime, endTime },
      );
      for await (const page of pages) {
        // The service filters by stream prefix already; checking again keeps emulators that ignore the prefix honest.
        for (const event of page.events ?? []) if (!streamPrefix || (event.logStreamName ?? '').startsWith(streamPrefix)) events.push(event);
      }
    } catch (error) {
      // The group appears with the function's first log line; before that there is nothing to read.
      if (isAwsError(error, 'ResourceNotFoundException')) return [];
      throw new CaribouError(`Could not read CloudWatch logs ${logGroupName} in ${region.region}: ${describeError(error)}`, { cause: error });
    }
    // Pages interleave streams; keep the order of time, then of ingestion.
    return events
      .map((event, index) => ({ event, index }))
      .sort((a, b) => (a.event.timestamp ?? 0) - (b.event.timestamp ?? 0) || a.index - b.index)
      .map(({ event }) => event.message ?? '');
  }
}
