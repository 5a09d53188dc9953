import { Tables, type ProviderRegion } from '@caribou/domain-common';
import {
  buildWorkflowSummary,
  computeSyncIntervals,
  formatTimeMicros,
  LogAggregator,
  logBufferMinutesFor,
  MS_PER_MINUTE,
  previousSummaryOf,
  emptyLogSyncStats,
  SYNCED_LINE_MARKERS,
  type LogSyncStats,
} from '@caribou/domain-telemetry';
import type { Clock, KeyValueStore, LogReadOptions, LogSource, UnfinishedRun } from '@caribou/ports';
import type { FailedInvocationsService } from '../failures/index';
import { readRow } from '../stored-rows';

export interface LogSyncDeps {
  store: KeyValueStore;
  logs: LogSource;
  clock: Clock;
  /** Drains the on-failure destinations first, so the sync counts invocations the platform gave up on. */
  failedInvocations?: FailedInvocationsService;
}

export interface LogSyncOptions {
  /**
   * Minutes of the most recent logs left for the next sync, per provider (late Lambda
   * Insights records / CloudWatch lines). Default: 0 for `local`, 15 otherwise. A workflow
   * deployed on several providers uses the largest.
   */
  bufferMinutesFor?: (provider: string) => number;
  /** A workflow synced less than this long ago is skipped (default 15). */
  minGapMinutes?: number;
  /** How far back a first sync reads, and how long runs and daily counts are kept (default 30). */
  lookBackDays?: number;
  /** Runs sampled per sync and kept in the summary (default 5000, FORGETTING_NUMBER). */
  forgettingNumber?: number;
  /** Log reads opened at once (default 4): CloudWatch reads are slow; memory holds the first chunk of each. */
  readAhead?: number;
}

const DEFAULT_READ_AHEAD = 4;

/** `out-of-time`: the deadline passed before every read was folded; nothing was stored. */
export type LogSyncStatus = 'synced' | 'too-soon' | 'not-deployed' | 'failed' | 'out-of-time';

/** Where a sync must stop (the remote framework, inside its function's timeout). */
export interface LogSyncLimits {
  /** Epoch ms on the service's clock: a sync still reading then stops, stores nothing and says `out-of-time`. */
  deadlineMs?: number;
  /** Sync only the oldest this many intervals (days); the rest are left for the next sync (`intervalsLeft`). */
  maxIntervals?: number;
}

/** Thrown inside a sync when its deadline passes; reported as `out-of-time`. */
class OutOfTime extends Error {
  constructor(
    message: string,
    /** Intervals the sync was reading. */
    readonly intervals: number,
  ) {
    super(message);
  }
}

/** What one workflow's sync did; counts are zero unless the status is `synced`. */
export interface WorkflowLogSyncReport extends LogSyncStats {
  workflowId: string;
  status: LogSyncStatus;
  /** Why a workflow was not synced (not-deployed, failed). */
  message?: string;
  /** Windows read (one per day at most) and their span, epoch ms. */
  intervals: number;
  /** Windows due but left for the next sync (LogSyncLimits.maxIntervals). */
  intervalsLeft: number;
  fromMs?: number;
  toMs?: number;
  /** The stored `last_sync_time`. */
  lastSyncTime?: string;
  /** Deployed functions whose logs were read. */
  functions: number;
  /** Runs in the stored summary after retention (previous + new). */
  logsRetained: number;
  /** Asynchronous invocations the platform gave up on, drained from the on-failure destinations by this sync: failures. */
  failedInvocations: number;
  /** Distinct runs those belong to. */
  runsWithFailedInvocations: number;
}

interface DeployedFunction {
  name: string;
  region: ProviderRegion;
}

/** The lines log sync folds; the platform may skip the user's own (a saving: the aggregator reads past them anyway). */
const SYNCED_LINES: LogReadOptions = { containingAny: SYNCED_LINE_MARKERS };

/** A function's lines in chunks: streamed where the source can, else one chunk. */
async function* streamLines(logs: LogSource, region: ProviderRegion, functionName: string, startMs: number, endMs: number): AsyncGenerator<string[]> {
  if (logs.streamLogsBetween) yield* logs.streamLogsBetween(region, functionName, startMs, endMs, SYNCED_LINES);
  else yield await logs.getLogsBetween(region, functionName, startMs, endMs, SYNCED_LINES);
}


/**
 * `caribou log_sync` (reference-system §8): for each deployed workflow, read its
 * functions' logs since the last sync, fold them into run samples and store the new
 * `workflow_summary_table` value (compressed). One workflow's failure is reported and
 * does not stop the others.
 */
export class LogSyncService {
  constructor(
    private readonly deps: LogSyncDeps,
    private readonly options: LogSyncOptions = {},
  ) {}

  /** Every workflow in deployment_manager_resource_table, or only `workflowId`. */
  async sync(request: { workflowId?: string } = {}): Promise<WorkflowLogSyncReport[]> {
    const ids = request.workflowId !== undefined ? [request.workflowId] : await this.deps.store.keys(Tables.deploymentManagerResource);
    const drained = await this.drainFailures();
    const reports: WorkflowLogSyncReport[] = [];
    for (const id of ids) {
      const report = await this.syncWorkflow(id);
      const failures = drained.get(id) ?? [];
      report.failedInvocations = failures.length;
      report.runsWithFailedInvocations = new Set(failures.map((f) => f.run_id)).size;
      reports.push(report);
    }
    return reports;
  }

  /** The failures new since the last drain, per workflow. */
  private async drainFailures(): Promise<Map<string, Array<{ run_id: string }>>> {
    const failures = this.deps.failedInvocations;
    if (!failures) return new Map();
    const { drained } = await failures.drain();
    const result = new Map<string, Array<{ run_id: string }>>();
    for (const [workflowId, count] of Object.entries(drained)) {
      if (count === 0) continue;
      const all = await failures.forWorkflow(workflowId);
      result.set(workflowId, all.slice(all.length - count));
    }
    return result;
  }

  /**
   * Runs that started and will never finish (the process executing them was killed),
   * each returned once: the caller reports them, as no summary will hold them.
   */
  async takeInterruptedRuns(): Promise<UnfinishedRun[]> {
    const runs = (await this.deps.logs.interruptedRuns?.()) ?? [];
    if (runs.length > 0) await this.deps.logs.acknowledgeInterruptedRuns?.(runs.map((run) => run.runId));
    return runs;
  }

  async syncWorkflow(workflowId: string, limits: LogSyncLimits = {}): Promise<WorkflowLogSyncReport> {
    try {
      return await this.syncOne(workflowId, limits);
    } catch (error) {
      if (error instanceof OutOfTime) return { ...this.report(workflowId, 'out-of-time', { message: error.message }), intervals: error.intervals };
      const message = error instanceof Error ? error.message : String(error);
      return this.report(workflowId, 'failed', { message });
    }
  }

  private async syncOne(workflowId: string, limits: LogSyncLimits): Promise<WorkflowLogSyncReport> {
    const { store, logs, clock } = this.deps;
    const functions = await this.deployedFunctions(workflowId);
    if (functions === undefined) return this.report(workflowId, 'not-deployed', { message: `workflow ${workflowId} has no deployment resources` });
    if (functions.length === 0) return this.report(workflowId, 'not-deployed', { message: `workflow ${workflowId} has no deployed functions` });

    const stored = await readRow(store, Tables.workflowSummary, workflowId);
    const previous = stored ? previousSummaryOf(stored, workflowId) : { daily_invocation_counts: {}, daily_user_code_failure_counts: {}, logs: [] };
    const bufferFor = this.options.bufferMinutesFor ?? logBufferMinutesFor;
    const bufferMinutes = Math.max(...functions.map((fn) => bufferFor(fn.region.provider)));
    const wallNowMs = Math.floor(clock.now());
    // Where runs may still be executing (locally), read only up to where their logs are final.
    const settledUntilMs = logs.settledUntil ? await logs.settledUntil(wallNowMs) : undefined;
    // Local runs are stamped in simulated time, which can run ahead of the wall clock: once they
    // are settled, their time is the sync's now, or the last of them would never be read.
    const nowMs = Math.max(wallNowMs, settledUntilMs ?? -Infinity);
    const dueIntervals = computeSyncIntervals(nowMs, previous.lastSyncUs === undefined ? undefined : previous.lastSyncUs / 1000, {
      bufferMinutes,
      ...(settledUntilMs !== undefined && { settledUntilMs }),
      ...(this.options.minGapMinutes !== undefined && { minGapMinutes: this.options.minGapMinutes }),
      ...(this.options.lookBackDays !== undefined && { lookBackDays: this.options.lookBackDays }),
    });
    if (dueIntervals.length === 0) return this.report(workflowId, 'too-soon', { functions: functions.length });
    // The oldest first: the stored last_sync_time then says where the next sync goes on.
    const intervals = limits.maxIntervals === undefined ? dueIntervals : dueIntervals.slice(0, Math.max(1, limits.maxIntervals));
    const { deadlineMs } = limits;
    const checkTime = () => {
      if (deadlineMs !== undefined && clock.now() > deadlineMs) {
        throw new OutOfTime(`the time budget ran out while reading ${intervals.length} interval(s) of ${functions.length} function(s); nothing was stored`, intervals.length);
      }
    };

    const aggregator = new LogAggregator(this.options.forgettingNumber === undefined ? {} : { forgettingNumber: this.options.forgettingNumber });
    const insightsMarginMs = bufferMinutes * MS_PER_MINUTE;
    // One read per function and interval (a day at most), streamed: each is folded a chunk at a
    // time, so a sync holds a few chunks (the source's bound), not a function-day. The first
    // chunks of the next reads are fetched ahead (CloudWatch reads are slow), but reads are folded
    // in order (function by function, oldest first) as the sample limit depends on it.
    const reads = functions.flatMap((fn) => intervals.map((interval) => ({ fn, interval })));
    const openRead = async ({ fn, interval }: (typeof reads)[number]) => {
      const chunks = streamLines(logs, fn.region, fn.name, interval.startMs, interval.endMs)[Symbol.asyncIterator]();
      let first = await chunks.next();
      while (!first.done && first.value.length === 0) first = await chunks.next();
      if (first.done) return undefined;
      // Insights records are written after the invocation ends: read a margin around the window.
      const insights = await logs.getInsightsBetween(fn.region, fn.name, interval.startMs - insightsMarginMs, interval.endMs + insightsMarginMs);
      return { first: first.value, rest: chunks, insights };
    };
    const ahead = Math.max(1, this.options.readAhead ?? DEFAULT_READ_AHEAD);
    const pending: Array<Promise<Awaited<ReturnType<typeof openRead>>>> = [];
    const start = (read: (typeof reads)[number]) => {
      const promise = openRead(read);
      // Marked handled now: if an earlier read fails, the sync stops and this one is never awaited.
      promise.catch(() => undefined);
      pending.push(promise);
    };
    for (let next = 0; next < Math.min(ahead, reads.length); next++) start(reads[next]!);
    for (let i = 0; i < reads.length; i++) {
      const opened = await pending[i]!;
      pending[i] = Promise.resolve(undefined);
      if (i + ahead < reads.length) start(reads[i + ahead]!);
      checkTime();
      if (opened === undefined) continue;
      const { fn, interval } = reads[i]!;
      const batch = aggregator.openBatch({ region: fn.region, intervalEndUs: interval.endMs * 1000, insights: opened.insights });
      try {
        batch.add(opened.first);
        for (let chunk = await opened.rest.next(); !chunk.done; chunk = await opened.rest.next()) {
          checkTime();
          batch.add(chunk.value);
        }
      } finally {
        batch.close();
      }
    }
    const aggregation = aggregator.finish();
    const lastSyncUs = intervals[intervals.length - 1]!.endMs * 1000;
    const { summary } = buildWorkflowSummary(previous, aggregation, nowMs * 1000, lastSyncUs, {
      ...(this.options.forgettingNumber !== undefined && { maxLogs: this.options.forgettingNumber }),
      ...(this.options.lookBackDays !== undefined && { retentionDays: this.options.lookBackDays }),
    });
    await store.put(Tables.workflowSummary, workflowId, JSON.stringify(summary), { compress: true });
    return {
      ...aggregation.stats,
      workflowId,
      status: 'synced',
      intervals: intervals.length,
      intervalsLeft: dueIntervals.length - intervals.length,
      fromMs: intervals[0]!.startMs,
      toMs: intervals[intervals.length - 1]!.endMs,
      lastSyncTime: formatTimeMicros(lastSyncUs),
      functions: functions.length,
      logsRetained: summary.logs.length,
      failedInvocations: 0,
      runsWithFailedInvocations: 0,
    };
  }

  /**
   * The deployed functions from `deployment_resources_table[id].deployed_regions`
   * (a JSON string inside the JSON value, as the reference stores it); undefined when the
   * workflow has no resources entry.
   */
  private async deployedFunctions(workflowId: string): Promise<DeployedFunction[] | undefined> {
    const resources = await readRow(this.deps.store, Tables.deploymentResources, workflowId);
    if (resources === undefined) return undefined;
    return Object.entries(resources.deployed_regions).map(([name, entry]) => ({
      name,
      region: { provider: entry.deploy_region.provider, region: entry.deploy_region.region },
    }));
  }

  private report(workflowId: string, status: LogSyncStatus, extra: { message?: string; functions?: number }): WorkflowLogSyncReport {
    return {
      ...emptyLogSyncStats(),
      malformedExamples: [],
      workflowId,
      status,
      ...(extra.message !== undefined && { message: extra.message }),
      intervals: 0,
      intervalsLeft: 0,
      functions: extra.functions ?? 0,
      logsRetained: 0,
      failedInvocations: 0,
      runsWithFailedInvocations: 0,
    };
  }
}
