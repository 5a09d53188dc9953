import type { ProviderRegion } from '@caribou/domain-common';
import type { LogSource } from '@caribou/ports';
import type { GcpClients } from '../config';
import { googleFunctionId } from '../names';
import type { GoogleRestClient } from './rest-client';

/** Entries per `entries.list` page (Cloud Logging's maximum). */
const PAGE_SIZE = 1000;

interface LogEntry {
  timestamp?: string;
  textPayload?: string;
  jsonPayload?: { message?: unknown };
}

/**
 * A function copy's stdout lines from Cloud Logging: Cloud Run writes each line as an entry of
 * the function's service (`resource.type="cloud_run_revision"`, `service_name` = the function
 * id, `location` = its region). Read with `entries.list` in time order, page after page.
 */
export class CloudLoggingLogSource implements LogSource {
  constructor(
    private readonly clients: Pick<GcpClients, 'projectId'>,
    private readonly rest: GoogleRestClient,
  ) {}

  async getLogsBetween(region: ProviderRegion, functionName: string, startMs: number, endMs: number): Promise<string[]> {
    const filter = [
      'resource.type="cloud_run_revision"',
      `resource.labels.service_name="${googleFunctionId(functionName)}"`,
      `resource.labels.location="${region.region}"`,
      `timestamp>="${new Date(startMs).toISOString()}"`,
      `timestamp<"${new Date(endMs).toISOString()}"`,
    ].join(' AND ');
    const lines: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.rest.request<{ entries?: LogEntry[]; nextPageToken?: string }>('logging', 'POST', '/v2/entries:list', {
        resourceNames: [`projects/${this.clients.projectId}`],
        filter,
        orderBy: 'timestamp asc',
        pageSize: PAGE_SIZE,
        ...(pageToken ? { pageToken } : {}),
      });
      for (const entry of page.entries ?? []) {
        const text = entry.textPayload ?? (typeof entry.jsonPayload?.message === 'string' ? entry.jsonPayload.message : undefined);
        if (text !== undefined) lines.push(text);
      }
      pageToken = page.nextPageToken;
    } while (pageToken);
    return lines;
  }

  /** Cloud Logging's query for the first copy, e.g. for `run --wait` giving up. */
  describeLogs(functions: ReadonlyArray<{ region: ProviderRegion; functionName: string }>): string {
    const first = functions[0];
    const example = first ? ` (e.g. resource.labels.service_name="${googleFunctionId(first.functionName)}" in ${first.region.region})` : '';
    return `Cloud Logging, resource.type="cloud_run_revision" of project ${this.clients.projectId}${example}`;
  }

  /** Cloud Run has no Lambda-Insights-like records. */
  async getInsightsBetween(): Promise<string[]> {
    return [];
  }
}
