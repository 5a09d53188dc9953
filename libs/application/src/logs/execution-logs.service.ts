import { CaribouError, Tables, type ProviderRegion } from '@caribou/domain-common';
import { functionNameOfCopy, readExecutionLogs, type DeployedCopy, type ExecutionLogEntry } from '@caribou/domain-telemetry';
import type { Clock, KeyValueStore, LogSource, Sleeper } from '@caribou/ports';
import { parseReportBound } from '../report/carbon-report.service';
import { readRow } from '../stored-rows';

export interface ExecutionLogsDeps {
  store: KeyValueStore;
  logs: LogSource;
  clock: Clock;
  sleeper: Sleeper;
}

export interface ExecutionLogsRequest {
  workflowId: string;
  /** Only this workflow function (`first_function`). */
  functionName?: string;
  runId?: string;
  /** `10m`, `2h`, `1d`, `30s`, `1w` back from now, or a UTC day / ISO 8601 time. Default: 1 day. */
  since?: string;
  /** Also the framework's `[CARIBOU]` lines and the platform's START/END/REPORT. */
  system?: boolean;
}

const UNITS_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
export const DEFAULT_SINCE = '1d';
/**
 * The end of every read: the local engine stamps lines with simulated time, which a long
 * simulated run carries past the wall clock; a day ahead reads them too (nothing is later on AWS).
 */
const READ_AHEAD_MS = 86_400_000;
/** --follow: time between reads, and how far back each read starts again (CloudWatch lines arrive late). */
export const FOLLOW_POLL_MS = 2000;
const FOLLOW_OVERLAP_MS = 60_000;

/** `--since`: a duration back from `nowMs`, or an absolute UTC day or ISO 8601 time. */
export function parseSince(text: string, nowMs: number): number {
  const relative = /^(\d+)\s*([smhdw])$/.exec(text.trim());
  if (relative) return nowMs - Number(relative[1]) * UNITS_MS[relative[2]!]!;
  try {
    return parseReportBound(text, 'since');
  } catch {
    throw new CaribouError(`--since ${JSON.stringify(text)} is neither a duration (30s, 10m, 2h, 1d, 1w) nor a UTC day (2026-12-01) or ISO 8601 time`);
  }
}

/**
 * `caribou logs`: the user's own output and errors of a workflow's executions, each tied to
 * its region, function, instance and run (domain: readExecutionLogs), read through the same
 * LogSource the log syncer reads — CloudWatch Logs on AWS, local.db locally.
 */
export class ExecutionLogsService {
  constructor(private readonly deps: ExecutionLogsDeps) {}

  /** The lines since `request.since`, in time order. */
  async read(request: ExecutionLogsRequest): Promise<ExecutionLogEntry[]> {
    const now = this.deps.clock.now();
    const sinceMs = parseSince(request.since ?? DEFAULT_SINCE, now);
    const copies = await this.copies(request.workflowId, request.functionName);
    return this.readWindow(copies, request, sinceMs, now + READ_AHEAD_MS);
  }

  /**
   * `--follow`: the lines since `request.since`, then every line that arrives, until `signal`
   * aborts. Each read starts a minute before the last one ended, and lines already shown are
   * not shown again.
   */
  async follow(request: ExecutionLogsRequest, onEntries: (entries: ExecutionLogEntry[]) => void, signal: AbortSignal): Promise<void> {
    const copies = await this.copies(request.workflowId, request.functionName);
    let fromMs = parseSince(request.since ?? DEFAULT_SINCE, this.deps.clock.now());
    let shown = new Set<string>();
    while (!signal.aborted) {
      const now = this.deps.clock.now();
      const entries = await this.readWindow(copies, request, fromMs, now + READ_AHEAD_MS);
      const keys = entries.map(entryKey);
      const fresh = entries.filter((_, index) => !shown.has(keys[index]!));
      if (fresh.length > 0) onEntries(fresh);
      const nextFrom = now - FOLLOW_OVERLAP_MS;
      // Keys of lines the next read can still return; older ones are forgotten.
      shown = new Set(keys.filter((_, index) => entries[index]!.timeMs >= nextFrom));
      fromMs = Math.max(fromMs, nextFrom);
      await this.deps.sleeper.sleep(FOLLOW_POLL_MS, signal);
    }
  }

  private async readWindow(copies: DeployedCopy[], request: ExecutionLogsRequest, fromMs: number, toMs: number): Promise<ExecutionLogEntry[]> {
    const perCopy = await Promise.all(
      copies.map(async (copy) => readExecutionLogs(copy, await this.deps.logs.getLogsBetween(copy.region, copy.physicalName, fromMs, toMs))),
    );
    return perCopy
      .flat()
      .filter((entry) => (request.system || !entry.system) && (request.runId === undefined || entry.runId === request.runId))
      .sort((a, b) => a.timeMs - b.timeMs);
  }

  /** Every deployed copy of the workflow (each function in each region it was deployed to). */
  private async copies(workflowId: string, functionName: string | undefined): Promise<DeployedCopy[]> {
    const resources = await readRow(this.deps.store, Tables.deploymentResources, workflowId);
    if (!resources) throw new CaribouError(`Workflow ${workflowId} is not deployed; caribou list shows the deployed workflows`);
    const copies = Object.entries(resources.deployed_regions).map(([physicalName, entry]) => {
      const region: ProviderRegion = { provider: entry.deploy_region.provider, region: entry.deploy_region.region };
      return { physicalName, region, functionName: functionNameOfCopy(physicalName, workflowId, region) };
    });
    if (functionName === undefined) return copies;
    const chosen = copies.filter((copy) => copy.functionName === functionName);
    if (chosen.length === 0) {
      const names = [...new Set(copies.map((copy) => copy.functionName))].sort();
      throw new CaribouError(`--function ${functionName}: ${workflowId} has no such function; choose one of ${names.join(', ')}`);
    }
    return chosen;
  }
}

function entryKey(entry: ExecutionLogEntry): string {
  return `${entry.region.provider}:${entry.region.region}\u0000${entry.functionName}\u0000${entry.timeMs}\u0000${entry.requestId ?? ''}\u0000${entry.message}`;
}
