import { CaribouError, regionKey, Tables, type ProviderRegion } from '@caribou/domain-common';
import { parseLogLine } from '@caribou/domain-telemetry';
import { deploymentResourcesSchema, jsonText } from '@caribou/domain-workflow/schemas';
import type { Clock, KeyValueStore, LogSource, RunTracker, TrackedExecution } from '@caribou/ports';

/** A `deployment_resources_table` value, checked by the schema the application reads it with. */
const storedDeploymentResources = jsonText(deploymentResourcesSchema);

export interface TrackedRun {
  failed: boolean;
  executions: TrackedExecution[];
}

export interface LogRunTrackerOptions {
  /** How long to wait for the run's last function to log. Default 300 s. */
  timeoutMs?: number;
  /** Pause between two reads of the logs. Default 5 s. */
  pollIntervalMs?: number;
  /** How far before the wait started a run's lines may be stamped (clock skew, a run started earlier). Default 60 s. */
  lookBackMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

interface FunctionCopy {
  name: string;
  region: ProviderRegion;
}

/** What the lines of one run say so far. */
interface RunProgress {
  executions: TrackedExecution[];
  /** Invocations the run's lines announce: the entry point, every invoked successor and sync node, every redirect. */
  expected: number;
  /** Invocations that logged their end: EXECUTED, CLIENT_CODE_EXCEPTION or REDIRECT (the redirected copy runs instead). */
  finished: number;
  lines: number;
}

/** Where a user reads the functions' logs, in the platform's words when its LogSource says. */
function whereLogsAre(logs: LogSource, copies: readonly FunctionCopy[]): string {
  return logs.describeLogs?.(copies.map((copy) => ({ region: copy.region, functionName: copy.name }))) ?? "the functions' logs (caribou logs <workflow_id> --run <run_id>)";
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `caribou run --wait` on a cloud provider (aws, gcp): functions run remotely, so the only
 * evidence of a run is its `[CARIBOU]` log lines, read through the provider's LogSource
 * (CloudWatch Logs, Cloud Logging). Polls the logs of every deployed function copy until
 * every invocation the run's lines announce has logged its end, or the timeout passes —
 * then says plainly that nothing (or not everything) arrived instead of waiting forever.
 */
export class LogRunTracker implements RunTracker {
  private readonly timeoutMs: number;
  private readonly pollIntervalMs: number;
  private readonly lookBackMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly deps: { store: KeyValueStore; logs: LogSource; clock: Clock },
    options: LogRunTrackerOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 300_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 5_000;
    this.lookBackMs = options.lookBackMs ?? 60_000;
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** Every function copy of every deployed workflow (a run id does not say which workflow it belongs to). */
  private async functionCopies(): Promise<FunctionCopy[]> {
    const copies: FunctionCopy[] = [];
    for (const [, value] of await this.deps.store.entries(Tables.deploymentResources)) {
      // A record this tracker cannot read names no function it could wait for (show and log_sync name the damage).
      const record = storedDeploymentResources.safeParse(value);
      if (!record.success) continue;
      for (const [name, entry] of Object.entries(record.data.deployed_regions)) {
        copies.push({ name, region: { provider: entry.deploy_region.provider, region: entry.deploy_region.region } });
      }
    }
    return copies;
  }

  async waitForRun(runId: string): Promise<TrackedRun> {
    const started = this.deps.clock.now();
    const deadline = started + this.timeoutMs;
    const from = started - this.lookBackMs;
    let progress: RunProgress = { executions: [], expected: 1, finished: 0, lines: 0 };
    let copies: FunctionCopy[] = [];
    for (;;) {
      copies = await this.functionCopies();
      progress = await this.readRun(runId, copies, from, this.deps.clock.now() + 1);
      if (progress.finished > 0 && progress.finished >= progress.expected) {
        return { failed: progress.executions.some((e) => e.status === 'failed'), executions: progress.executions };
      }
      if (this.deps.clock.now() >= deadline) break;
      await this.sleep(Math.min(this.pollIntervalMs, Math.max(0, deadline - this.deps.clock.now())));
    }
    const waited = Math.round(this.timeoutMs / 1000);
    if (progress.lines === 0) {
      throw new CaribouError(
        `No log lines of run ${runId} arrived within ${waited} s (read the logs of ${copies.length} function copies); ` +
          `the run may still be starting or failed before logging: check ${whereLogsAre(this.deps.logs, copies)}, or sync later with caribou log_sync`,
      );
    }
    throw new CaribouError(
      `Run ${runId} did not finish within ${waited} s: ${progress.finished} of ${progress.expected} invocations logged their end; ` +
        `it may still be running: check ${whereLogsAre(this.deps.logs, copies)}, or sync later with caribou log_sync`,
    );
  }

  private async readRun(runId: string, copies: readonly FunctionCopy[], startMs: number, endMs: number): Promise<RunProgress> {
    const progress: RunProgress = { executions: [], expected: 1, finished: 0, lines: 0 };
    // Only the run's lines matter: CloudWatch returns just those (a saving; other lines are skipped below all the same).
    const only = { containingAny: [runId] };
    const perCopy = await Promise.all(copies.map(async (copy) => ({ copy, lines: await this.deps.logs.getLogsBetween(copy.region, copy.name, startMs, endMs, only) })));
    for (const { copy, lines } of perCopy) {
      for (const raw of lines) {
        if (!raw.includes(runId)) continue;
        const line = parseLogLine(raw);
        if (line.kind !== 'caribou' || line.runId !== runId) continue;
        progress.lines += 1;
        const message = line.message;
        switch (message.marker) {
          case 'EXECUTED':
            progress.finished += 1;
            progress.executions.push({ instance_name: message.instance, region: regionKey(copy.region), status: 'succeeded' });
            break;
          case 'CLIENT_CODE_EXCEPTION': {
            progress.finished += 1;
            const details = /INSTANCE \(([^)]*)\) raised EXCEPTION \((.*)\)\) LOG_VERSION \(/.exec(raw);
            progress.executions.push({ instance_name: details?.[1] ?? '', region: regionKey(copy.region), status: 'failed', error: details?.[2] ?? null });
            break;
          }
          case 'REDIRECT':
            progress.expected += 1;
            progress.finished += 1;
            break;
          case 'INVOKING_SUCCESSOR':
          case 'INVOKING_SYNC_NODE':
            if (message.successorInvoked) progress.expected += 1;
            break;
          default:
            break;
        }
      }
    }
    return progress;
  }
}
