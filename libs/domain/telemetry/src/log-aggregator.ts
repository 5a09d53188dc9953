import { FORGETTING_NUMBER, regionKey, type ProviderRegion } from '@caribou/domain-common';
import type {
  CaribouMessage,
  ConditionalNonExecutionMessage,
  EntryPointMessage,
  InvokingSuccessorMessage,
  InvokingSyncNodeMessage,
  RedirectMessage,
} from './caribou-message';
import { parseCaribouBody, parseCaribouHeader, parseLogLine, type LogLine, type ReportLogLine } from './log-line';
import { MalformedLogError } from './malformed-log-error';
import { mergePlatformMetrics, metricsFromReport, parseInsightsRecord, type PlatformMetrics } from './platform-metrics';
import type { ExecutionData } from './run-sample/execution-data';
import { detach, StringPool } from './string-pool';
import { WorkflowRunSample } from './run-sample/workflow-run-sample';
import type { RunLog } from './summary-types';
import { dayKeyOfMicros } from './time-micros';

/** Where a batch of lines came from: the function's region and the end of the interval read. */
export interface LogBatchContext {
  region: ProviderRegion;
  /** End of the synced interval (epoch µs): an entry point logged at or after it belongs to the next sync. */
  intervalEndUs: number;
  /**
   * The function's Lambda Insights records (JSON) around the interval — read with a margin,
   * as they are written after the invocation. Used for the executions of this batch only.
   */
  insights?: Iterable<string>;
}

/** A batch being read in chunks (LogAggregator.openBatch). */
export interface LogBatch {
  /** The next lines of the batch, in log order. */
  add(lines: Iterable<string>): void;
  /** Ends the batch: its Insights records and unmatched REPORT lines are dropped, as after `addLines`. */
  close(): void;
}

/** Counts a sync reports; nothing here aborts a sync. */
export interface LogSyncStats {
  linesRead: number;
  caribouLines: number;
  reportLines: number;
  /** Lines that are neither `[CARIBOU]` nor REPORT (START/END, user output): read past. */
  otherLines: number;
  /** `[CARIBOU]`/REPORT lines missing a field or with a garbled one: counted and skipped. */
  malformedLines: number;
  /** The first few reasons, for the report. */
  malformedExamples: string[];
  /** Messages with a marker the syncer does not use (EXCEED_HOP_ERROR, unknown ones). */
  untrackedMessages: number;
  insightsRecords: number;
  malformedInsightsRecords: number;
  /** Runs whose start (entry point, or redirector) was logged in this sync: what daily counts add. */
  runsStarted: number;
  /** Complete runs added to the summary by this sync. */
  runsSynced: number;
  /** Of those, runs where at least one invocation met a cold start (kept and flagged). */
  runsWithColdStart: number;
  /** Runs whose user code raised (CLIENT_CODE_EXCEPTION): counted as failures, not sampled. */
  runsFailed: number;
  /** Runs left out because a line of theirs was malformed. */
  runsWithMalformedLines: number;
  /** Runs left out because an invocation ran twice (duplicate REPORT or two request ids). */
  runsWithDuplicateInvocations: number;
  /** Runs left out because some of their lines are not (yet) in the logs. */
  runsIncomplete: number;
  /** Runs not sampled because this sync had already collected the maximum (FORGETTING_NUMBER). */
  runsBeyondSampleLimit: number;
}

/** All counters at zero: the statistics of a sync that read nothing. */
export function emptyLogSyncStats(): LogSyncStats {
  return {
  linesRead: 0,
  caribouLines: 0,
  reportLines: 0,
  otherLines: 0,
  malformedLines: 0,
  malformedExamples: [],
  untrackedMessages: 0,
  insightsRecords: 0,
  malformedInsightsRecords: 0,
  runsStarted: 0,
  runsSynced: 0,
  runsWithColdStart: 0,
  runsFailed: 0,
  runsWithMalformedLines: 0,
  runsWithDuplicateInvocations: 0,
  runsIncomplete: 0,
  runsBeyondSampleLimit: 0,

  };
}

export interface LogAggregation {
  /** Complete runs of this sync, oldest start first. */
  logs: RunLog[];
  /** Runs per UTC day of their start, for `daily_invocation_counts`. */
  dailyInvocationCounts: Record<string, number>;
  /** Failed runs per UTC day of their start, for `daily_user_code_failure_counts`. */
  dailyFailureCounts: Record<string, number>;
  stats: LogSyncStats;
}

const MAX_MALFORMED_EXAMPLES = 5;

/**
 * Folds a workflow's log lines into run samples (reference-system §8.3–§8.5), with the
 * deviations of DESIGN.md §4 items 5–6 and §12.2 #14:
 * - a malformed line is counted and skipped (its run is left out, as its data would be partial);
 * - Lambda Insights is optional: without a record, the REPORT line gives duration and memory;
 * - runs that met a cold start are kept, their executions flagged `cold_start: true`;
 * - a run is counted once, on the UTC day it started (not once per day it logged on).
 *
 * Memory stays bounded by the sampled runs, not by the length of the log: Insights records
 * live for their batch (as in the reference), a REPORT line is attached to its execution when
 * read (it follows the execution's own lines), and kept strings are copied out of the lines.
 */
export class LogAggregator {
  private readonly forgettingNumber: number;
  private readonly samples = new Map<string, WorkflowRunSample>();
  private readonly blacklisted = new Set<string>();
  /** Request ids of damaged lines whose run id could not be read: their run is found through its other lines. */
  private readonly damagedRequests = new Set<string>();
  private forgetting = false;
  private readonly runStartUs = new Map<string, number>();
  private readonly runFailureUs = new Map<string, number>();
  /** Executions of sampled runs by the request id of their EXECUTED/REDIRECT line, for REPORT lines. */
  private readonly executionsByRequest = new Map<string, ExecutionData>();
  /** This batch's Insights records, and its REPORT lines read before their execution. */
  private batchInsights = new Map<string, PlatformMetrics>();
  private batchReports = new Map<string, { metrics: PlatformMetrics; count: number }>();
  private readonly names = new StringPool();
  private readonly stats: LogSyncStats = emptyLogSyncStats();

  constructor(options: { forgettingNumber?: number } = {}) {
    this.forgettingNumber = options.forgettingNumber ?? FORGETTING_NUMBER;
  }

  /** The sample collected for a run so far (for inspection; finish() decides what is kept). */
  sample(runId: string): WorkflowRunSample | undefined {
    return this.samples.get(runId);
  }

  /** One batch: a function's lines over one interval, with its Insights records. */
  addLines(lines: Iterable<string>, context: LogBatchContext): void {
    const batch = this.openBatch(context);
    try {
      batch.add(lines);
    } finally {
      batch.close();
    }
  }

  /**
   * One batch whose lines come in chunks (a streamed function-day): adding the chunks in order
   * folds exactly as `addLines` with all of them, while only one chunk is held at a time.
   * Close it (also on failure) before the next batch.
   */
  openBatch(context: LogBatchContext): LogBatch {
    const region = this.names.intern(regionKey(context.region));
    const { intervalEndUs } = context;
    if (context.insights !== undefined) this.readInsights(context.insights);
    return {
      add: (lines) => {
        for (const line of lines) {
          if (line.startsWith('[CARIBOU]')) this.addCaribouText(line, region, intervalEndUs);
          else this.addParsedLine(parseLogLine(line), region, intervalEndUs);
        }
      },
      close: () => {
        this.batchInsights = new Map();
        this.batchReports = new Map();
      },
    };
  }

  /**
   * Whether the lines of a run are still read in full: it is sampled, or can still be. Runs
   * beyond the sample limit (and dropped ones) only count: the reference, too, reads no more
   * than their run id and time.
   */
  isCollecting(runId: string): boolean {
    if (this.samples.has(runId)) return true;
    if (this.blacklisted.has(runId)) return false;
    return !this.forgetting && this.samples.size < this.forgettingNumber;
  }

  /**
   * A `[CARIBOU]` line: the header always, the message only when the run is collected or the
   * line counts the run (its start, its failure). So a malformed message of a run that is not
   * collected goes unnoticed; it would have been ignored anyway.
   */
  private addCaribouText(line: string, region: string, intervalEndUs: number): void {
    const header = parseCaribouHeader(line);
    if (header.kind === 'malformed') {
      this.addParsedLine(header, region, intervalEndUs);
      return;
    }
    const at = header.messageStart;
    const counts = line.startsWith('ENTRY_POINT:', at) || line.startsWith('REDIRECT:', at) || line.startsWith('CLIENT_CODE_EXCEPTION:', at);
    if (!counts && !this.isCollecting(header.runId)) {
      this.stats.linesRead++;
      this.stats.caribouLines++;
      return;
    }
    const sample = this.samples.get(header.runId);
    if (sample !== undefined && !sample.firstSight(line)) {
      // The same line delivered twice would count its data twice.
      this.stats.linesRead++;
      this.stats.caribouLines++;
      this.countMalformed(`a line of run ${header.runId} was logged twice`);
      sample.damaged = true;
      return;
    }
    this.addParsedLine(parseCaribouBody(line, header), region, intervalEndUs);
    if (sample === undefined) this.samples.get(header.runId)?.firstSight(line);
  }

  /** One already-parsed line (`region` is the `provider:region` key the function ran in). */
  addParsedLine(line: LogLine, region: string, intervalEndUs: number): void {
    this.stats.linesRead++;
    switch (line.kind) {
      case 'other':
        this.stats.otherLines++;
        return;
      case 'report':
        this.stats.reportLines++;
        this.addReport(line);
        return;
      case 'malformed':
        this.countMalformed(line.reason);
        if (line.runId !== undefined) this.markDamaged(line.runId);
        else if (line.requestId !== undefined) this.damagedRequests.add(detach(line.requestId));
        return;
      case 'caribou':
        this.stats.caribouLines++;
        this.addCaribouLine(line.runId, line.requestId, line.timeUs, line.message, region, intervalEndUs);
    }
  }

  /** Validates the samples and returns the complete runs and this sync's counts. */
  finish(): LogAggregation {
    const logs: Array<{ startUs: number; log: RunLog }> = [];
    let sampledStarts = 0;
    for (const sample of this.samples.values()) {
      if (this.runStartUs.has(sample.runId)) sampledStarts++;
      let reportedTwice = false;
      for (const execution of sample.allExecutions()) {
        execution.platform = mergePlatformMetrics(execution.insights, execution.report);
        if (execution.reportCount > 1) reportedTwice = true;
      }
      if (this.damagedRequests.size > 0 && sample.requestIds.some((id) => this.damagedRequests.has(id))) sample.damaged = true;
      if (reportedTwice || sample.hasDuplicateInstances()) {
        this.stats.runsWithDuplicateInvocations++;
        continue;
      }
      if (sample.damaged) {
        this.stats.runsWithMalformedLines++;
        continue;
      }
      if (!sample.isValidAndComplete()) {
        this.stats.runsIncomplete++;
        continue;
      }
      if (sample.hasColdStart()) this.stats.runsWithColdStart++;
      logs.push({ startUs: sample.startUs!, log: sample.toRunLog() });
    }
    logs.sort((a, b) => a.startUs - b.startUs);
    let droppedStarts = 0;
    for (const runId of this.blacklisted) if (this.runStartUs.has(runId)) droppedStarts++;
    this.stats.runsSynced = logs.length;
    this.stats.runsStarted = this.runStartUs.size;
    this.stats.runsFailed = this.runFailureUs.size;
    this.stats.runsBeyondSampleLimit = this.runStartUs.size - sampledStarts - droppedStarts;
    return {
      logs: logs.map((entry) => entry.log),
      dailyInvocationCounts: countPerDay(this.runStartUs.values()),
      dailyFailureCounts: countPerDay(this.failureDays()),
      stats: { ...this.stats, malformedExamples: [...this.stats.malformedExamples] },
    };
  }

  private readInsights(records: Iterable<string>): void {
    for (const text of records) {
      try {
        const record = parseInsightsRecord(text);
        if (record === undefined) continue;
        this.stats.insightsRecords++;
        this.batchInsights.set(record.requestId, record.metrics);
      } catch (error) {
        if (!(error instanceof MalformedLogError)) throw error;
        this.stats.malformedInsightsRecords++;
      }
    }
  }

  /** A failed run counts on the day it started when that is known, else on the day it failed. */
  private *failureDays(): Iterable<number> {
    for (const [runId, failedUs] of this.runFailureUs) yield this.runStartUs.get(runId) ?? failedUs;
  }

  /**
   * A REPORT line follows its invocation's own lines, so its execution is known by now. A
   * second one for the same request id means the invocation ran twice (timeout, retry); as in
   * the reference, that run is left out. A report of a run not sampled is dropped with its batch.
   */
  private addReport(report: ReportLogLine): void {
    const metrics = metricsFromReport(report);
    const execution = this.executionsByRequest.get(report.requestId);
    if (execution !== undefined) {
      execution.reportCount++;
      execution.report = metrics;
      return;
    }
    const early = this.batchReports.get(report.requestId);
    this.batchReports.set(early === undefined ? detach(report.requestId) : report.requestId, { metrics, count: (early?.count ?? 0) + 1 });
  }

  /** The execution finished under `requestId`: join the batch's Insights and a REPORT already read. */
  private registerExecution(execution: ExecutionData, requestId: string): void {
    this.executionsByRequest.set(requestId, execution);
    execution.insights = this.batchInsights.get(requestId);
    const early = this.batchReports.get(requestId);
    if (early !== undefined) {
      this.batchReports.delete(requestId);
      execution.reportCount += early.count;
      execution.report = early.metrics;
    }
  }

  private countMalformed(reason: string): void {
    this.stats.malformedLines++;
    if (this.stats.malformedExamples.length < MAX_MALFORMED_EXAMPLES) this.stats.malformedExamples.push(reason);
  }

  private markDamaged(runId: string): void {
    const sample = this.sampleFor(runId);
    if (sample !== undefined) sample.damaged = true;
  }

  /** The run's sample, created on first sight unless the run is blacklisted or beyond the limit. */
  private sampleFor(runId: string): WorkflowRunSample | undefined {
    const existing = this.samples.get(runId);
    if (existing !== undefined) return existing;
    if (this.blacklisted.has(runId)) return undefined;
    if (!this.forgetting && this.samples.size >= this.forgettingNumber) this.forgetting = true;
    if (this.forgetting) return undefined;
    const sample = new WorkflowRunSample(detach(runId));
    this.samples.set(sample.runId, sample);
    return sample;
  }

  private dropRun(runId: string): void {
    const sample = this.samples.get(runId);
    if (sample !== undefined) {
      for (const execution of sample.allExecutions()) {
        if (execution.requestId !== undefined && this.executionsByRequest.get(execution.requestId) === execution) {
          this.executionsByRequest.delete(execution.requestId);
        }
      }
      this.samples.delete(runId);
    }
    if (!this.blacklisted.has(runId)) this.blacklisted.add(sample?.runId ?? detach(runId));
  }

  private addCaribouLine(runId: string, requestId: string, timeUs: number, message: CaribouMessage, region: string, intervalEndUs: number): void {
    // Counting (start day, failures) covers every run, also those not sampled.
    const startsRun = message.marker === 'REDIRECT' || (message.marker === 'ENTRY_POINT' && !message.redirected);
    if (startsRun) {
      const known = this.runStartUs.get(runId);
      if (known === undefined) this.runStartUs.set(detach(runId), timeUs);
      else if (timeUs < known) this.runStartUs.set(runId, timeUs);
    }
    if (message.marker === 'CLIENT_CODE_EXCEPTION') {
      if (!this.runFailureUs.has(runId)) this.runFailureUs.set(detach(runId), timeUs);
      this.dropRun(runId);
      return;
    }
    if (message.marker === 'UNTRACKED') this.stats.untrackedMessages++;
    // Like the reference, any line opens a sample (one with only untracked lines never completes).
    const sample = this.sampleFor(runId);
    if (sample === undefined) return;
    sample.extendEnd(timeUs);
    const request = sample.requestId(requestId);
    try {
      this.apply(sample, message, request, timeUs, region, intervalEndUs);
    } catch (error) {
      if (!(error instanceof MalformedLogError)) throw error;
      this.countMalformed(error.message);
      sample.damaged = true;
    }
  }

  /** The per-marker effect of reference-system §8.3. Strings kept in the sample come from the pool. */
  private apply(sample: WorkflowRunSample, message: CaribouMessage, requestId: string, timeUs: number, region: string, intervalEndUs: number): void {
    const n = this.names;
    switch (message.marker) {
      case 'ENTRY_POINT':
        // An entry point logged after the interval starts a run of the next sync.
        if (timeUs < intervalEndUs) applyEntryPoint(sample, message, requestId, timeUs, region, n);
        else this.dropRun(sample.runId);
        return;
      case 'RETRIVE_WPD':
        sample.startHop.retrievedWpdAtFunction = message.retrievedFromPlatform;
        return;
      case 'REDIRECT': {
        const redirector = applyRedirect(sample, message, requestId, timeUs, region, n);
        if (redirector.requestId === requestId) this.registerExecution(redirector, requestId);
        return;
      }
      case 'INVOKED': {
        const transmission = sample.transmission(message.taint);
        transmission.toRegion = region;
        transmission.endUs = timeUs;
        return;
      }
      case 'EXECUTED': {
        const execution = sample.execution(n.intern(message.instance), requestId);
        execution.requestId = requestId;
        execution.finished = true;
        execution.userExecutionDurationS = message.userExecutionTimeS;
        execution.executionDurationS = message.totalExecutionTimeS;
        execution.providerRegion = region;
        this.registerExecution(execution, requestId);
        return;
      }
      case 'INVOKING_SUCCESSOR':
        applyInvokingSuccessor(sample, message, requestId, timeUs, region, n);
        return;
      case 'INVOKING_SYNC_NODE':
        applyInvokingSyncNode(sample, message, requestId, timeUs, region, n);
        return;
      case 'CONDITIONAL_NON_EXECUTION':
        applyConditionalNonExecution(sample, message, requestId, n);
        return;
      case 'USED_CPU_MODEL': {
        const instance = n.intern(message.instance);
        const execution = message.fromRedirector ? sample.startHop.redirectorExecution(instance, requestId) : sample.execution(instance, requestId);
        const model = n.intern(message.cpuModel);
        execution.cpuModel = model;
        sample.addCpuModel(model);
        return;
      }
      case 'DOWNLOAD_DATA_FROM_SYNC_TABLE': {
        const execution = sample.execution(n.intern(message.instance), requestId);
        execution.downloadSizeGb = message.downloadSizeGb;
        execution.downloadTimeS = message.downloadTimeS;
        execution.consumedReadCapacity = message.consumedReadCapacity;
        return;
      }
      case 'CLIENT_CODE_EXCEPTION':
      case 'DEBUG_MESSAGE':
      case 'UNTRACKED':
        return;
    }
  }
}

function countPerDay(timesUs: Iterable<number>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const timeUs of timesUs) {
    const day = dayKeyOfMicros(timeUs);
    counts[day] = (counts[day] ?? 0) + 1;
  }
  return counts;
}

/** `provider:region`, one shared copy per pair. */
const providerRegionKey = (n: StringPool, provider: string, region: string): string => n.intern(`${provider}:${region}`);

function applyEntryPoint(sample: WorkflowRunSample, m: EntryPointMessage, requestId: string, timeUs: number, region: string, n: StringPool): void {
  // A redirector, when there is one, logged earlier and already set the start.
  if (sample.startUs === undefined) sample.startUs = timeUs;
  const instance = n.intern(m.instance);
  const hop = sample.startHop;
  hop.destination = region;
  hop.requestSource = n.intern(m.requestSource);
  hop.userPayloadSizeGb = m.userPayloadSizeGb;
  hop.wpdSizeGb = m.wpdSizeGb;
  hop.consumedReadCapacity = m.consumedReadCapacity;
  hop.timeFromFunctionStartToEntryPointS = m.timeFromFunctionStartS;
  hop.startHopInstanceName = instance;
  // Keep the earliest arrival: a redirector's latency, if logged, is the one from the client.
  if (hop.latencyFromClientS === undefined) hop.latencyFromClientS = m.initLatencyFromClientS ?? 0.0;
  hop.initLatencyFromFirstReceivedS = m.initLatencyFirstReceivedS;
  // When redirected, the redirector already accounted the payload into this instance.
  if (!m.redirected) sample.execution(instance, requestId).inputPayloadSizeGb += m.userPayloadSizeGb;
  // The reference tests the override for truthiness: 0.0 means none.
  if (m.overriddenWpdSizeGb) hop.overriddenWpdSizeGb = m.overriddenWpdSizeGb;
}

function applyRedirect(sample: WorkflowRunSample, m: RedirectMessage, requestId: string, timeUs: number, region: string, n: StringPool): ExecutionData {
  const instance = n.intern(m.instance);
  // The redirected-to entry point runs under the same instance name; its input is our output.
  sample.execution(instance, undefined).inputPayloadSizeGb += m.outputPayloadSizeGb;

  const transmission = sample.transmission(m.taint);
  transmission.fromRegion = region;
  transmission.fromInstance = instance;
  transmission.toInstance = instance;
  transmission.startUs = timeUs;
  transmission.payloadSizeGb = m.outputPayloadSizeGb;
  transmission.successorInvoked = true;
  transmission.fromDirectSuccessor = true;
  transmission.redirectorTransmission = true;

  const redirector = sample.startHop.redirectorExecution(instance, requestId);
  redirector.providerRegion = region;
  redirector.finished = true;
  redirector.inputPayloadSizeGb += m.inputPayloadSizeGb;
  const call = redirector.successor(instance);
  call.invocationTimeFromFunctionStartS = m.invocationTimeFromFunctionStartS;
  call.finishTimeFromInvocationStartS = m.finishTimeFromInvocationStartS;
  call.outputPayloadSizeGb = m.outputPayloadSizeGb;
  call.destinationRegion = providerRegionKey(n, m.toProvider, m.toRegion);
  call.taskType = 'REDIRECT_ONLY';

  // The redirector received the request first: its latency and log time are the run's start.
  sample.startHop.latencyFromClientS = m.initLatencyFromClientS ?? 0.0;
  sample.startUs = timeUs;
  return redirector;
}

function applyInvokingSuccessor(sample: WorkflowRunSample, m: InvokingSuccessorMessage, requestId: string, timeUs: number, region: string, n: StringPool): void {
  const destination = providerRegionKey(n, m.provider, m.region);
  const caller = n.intern(m.instance);
  const successor = n.intern(m.successor);
  const transmission = sample.transmission(m.taint);
  transmission.fromRegion = region;
  transmission.fromInstance = caller;
  transmission.toInstance = successor;
  transmission.startUs = timeUs;
  transmission.payloadSizeGb = m.payloadSizeGb;
  transmission.successorInvoked = m.successorInvoked;
  transmission.fromDirectSuccessor = true;

  const call = sample.execution(caller, requestId).successor(successor);
  call.invocationTimeFromFunctionStartS = m.invocationTimeFromFunctionStartS;
  call.finishTimeFromInvocationStartS = m.finishTimeFromInvocationStartS;
  call.outputPayloadSizeGb = m.payloadSizeGb;
  call.destinationRegion = destination;

  sample.execution(successor, undefined).inputPayloadSizeGb += m.payloadSizeGb;

  if (m.upload === undefined) {
    // Without an upload the successor is not a sync node, so it is always invoked.
    if (m.successorInvoked) call.taskType = 'INVOKE_SUCCESSOR_ONLY';
    return;
  }
  call.taskType = m.successorInvoked ? 'SYNC_UPLOAD_AND_INVOKE' : 'SYNC_UPLOAD_ONLY';
  call.uploadSizeGb = m.upload.uploadSizeGb;
  call.consumedWriteCapacity = m.upload.consumedWriteCapacity;
  call.syncDataResponseSizeGb = m.upload.syncDataResponseSizeGb;
  transmission.containsSyncInformation = true;
  transmission.uploadSizeGb = m.upload.uploadSizeGb;
  transmission.consumedWriteCapacity = m.upload.consumedWriteCapacity;
  transmission.syncDataResponseSizeGb = m.upload.syncDataResponseSizeGb;
  transmission.uploadRttS = m.upload.uploadRttS;
  // Nobody will log INVOKED for an upload-only call: its destination is the sync node's region.
  if (!m.successorInvoked) transmission.toRegion = destination;
}

function applyInvokingSyncNode(sample: WorkflowRunSample, m: InvokingSyncNodeMessage, requestId: string, timeUs: number, region: string, n: StringPool): void {
  const caller = n.intern(m.instance);
  const skipped = n.intern(m.successor);
  const syncNode = n.intern(m.syncNode);
  // Only a call that invoked the sync node is a transmission; otherwise it was a table update.
  if (m.successorInvoked) {
    const transmission = sample.transmission(m.taint);
    transmission.fromRegion = region;
    transmission.fromInstance = caller;
    transmission.toInstance = syncNode;
    transmission.startUs = timeUs;
    transmission.payloadSizeGb = m.payloadSizeGb;
    transmission.successorInvoked = true;
    transmission.fromDirectSuccessor = false;
    transmission.containsSyncInformation = true;
    transmission.consumedWriteCapacity = m.consumedWriteCapacity;
    transmission.syncDataResponseSizeGb = m.syncDataResponseSizeGb;
    transmission.uninvokedInstance = skipped;
    transmission.simulatedSyncPredecessor = skipped;
  }
  const call = sample.execution(caller, requestId).successor(skipped);
  call.addSyncProxyOutput(n.intern(`${m.predecessorInstance}>${m.syncNode}`), {
    data_transfer_size: m.payloadSizeGb,
    sync_data_response_size_gb: m.syncDataResponseSizeGb,
    consumed_write_capacity: m.consumedWriteCapacity,
    destination_region: providerRegionKey(n, m.provider, m.region),
  });
}

function applyConditionalNonExecution(sample: WorkflowRunSample, m: ConditionalNonExecutionMessage, requestId: string, n: StringPool): void {
  const call = sample.execution(n.intern(m.instance), requestId).successor(n.intern(m.successor));
  call.taskType = 'CONDITIONALLY_NOT_INVOKE';
  call.consumedWriteCapacity = m.consumedWriteCapacity;
  call.syncDataResponseSizeGb = m.syncDataResponseSizeGb;
  call.invocationTimeFromFunctionStartS = m.invocationTimeFromFunctionStartS;
  call.destinationRegion = providerRegionKey(n, m.provider, m.region);
}
