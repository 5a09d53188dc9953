import { FilterLogEventsCommand, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import type { ProviderRegion } from '@caribou/domain-common';
import type { LogSource } from '@caribou/ports';
import type { AwsClients } from '@caribou/adapter-aws';

/**
 * Baseline for the log-sync memory bench: the CloudWatch log source before streaming (main
 * until the quota work), which collected every page of a window and sorted the events once,
 * so log sync held a whole function-day. Kept as it read (the paginator written out as a loop,
 * as the bench's in-process FilterLogEvents is no CloudWatchLogsClient); no streamLogsBetween.
 */
export class CloudWatchLogSourceV1 implements LogSource {
  constructor(private readonly clients: AwsClients) {}

  async getLogsBetween(region: ProviderRegion, functionName: string, startMs: number, endMs: number): Promise<string[]> {
    return this.filter(region, `/aws/lambda/${this.clients.names.functionName(functionName)}`, startMs, endMs);
  }

  async getInsightsBetween(): Promise<string[]> {
    return [];
  }

  private async filter(region: ProviderRegion, logGroupName: string, startMs: number, endMs: number): Promise<string[]> {
    const startTime = Math.ceil(startMs);
    const endTime = Math.ceil(endMs) - 1;
    if (endTime < startTime) return [];
    const events: FilteredLogEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.clients.logs(region.region).send(new FilterLogEventsCommand({ logGroupName, startTime, endTime, ...(nextToken ? { nextToken } : {}) }));
      for (const event of page.events ?? []) events.push(event);
      nextToken = page.nextToken;
    } while (nextToken);
    return events
      .map((event, index) => ({ event, index }))
      .sort((a, b) => (a.event.timestamp ?? 0) - (b.event.timestamp ?? 0) || a.index - b.index)
      .map(({ event }) => event.message ?? '');
  }
}
