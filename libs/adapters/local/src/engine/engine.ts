import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { regionKey, type ProviderRegion } from '@caribou/domain-common';
import type { AsyncInvocationConfig, FunctionInvoker, RandomSource } from '@caribou/ports';
import { CLIENT_REGION_VARIABLE, DATA_REGION_VARIABLE } from '@caribou/domain-workflow';
import type { LocalDatabase } from '../database';
import { LocalFailureDestinations } from '../failure-destinations';
import { localFunctionIdentifier, type LocalFunctionPlatform, type LocalFunctionRow } from '../function-platform';
import { LocalRunJournal } from '../run-journal';
import type { LocalSyncStoreProvider } from '../sync-store';
import type { LatencyModel } from './latency-model';
import { COLD_START_MS, simulatedInvoker } from './run-invocation';
import type { SimulationClock } from './simulation-clock';
import type { InvocationExecutor, InvocationOutcome, OutgoingMessage } from './types';


/** A `provider:region` environment variable of a deployed function, if it is one. */
function regionVariable(fn: LocalFunctionRow, name: string): ProviderRegion | null {
  let value: unknown;
  try {
    value = (JSON.parse(fn.environment) as Record<string, unknown>)[name];
  } catch {
    return null;
  }
  if (typeof value !== 'string') return null;
  const [provider, region, ...rest] = value.split(':');
  return provider && region && rest.length === 0 ? { provider, region } : null;
}

/** How long an idle function copy stays warm (Lambda keeps sandboxes for minutes). */
const KEEP_WARM_MS = 10 * 60 * 1000;

interface PendingInvocation {
  seq: number;
  deliverAtMs: number;
  region: ProviderRegion;
  functionName: string;
  message: string;
  /** 0 for the first delivery, then Lambda's retries of a failed event. */
  attempt: number;
  /** When the event was first queued: its age counts from here (maximum_event_age). */
  queuedAtMs: number;
  /** Lambda keeps the request id across the retries of one event. */
  requestId?: string;
}

/** Lambda waits a minute before the first retry of a failed asynchronous event and two before the second. */
const RETRY_DELAYS_MS = [60_000, 120_000];

export interface ExecutionRecord {
  run_id: string;
  workflow_id: string;
  instance_name: string;
  function_name: string;
  region: string;
  request_id: string;
  status: 'succeeded' | 'failed';
  started_at: number;
  ended_at: number;
  error: string | null;
}

export interface LocalEngineOptions {
  db: LocalDatabase;
  platform: LocalFunctionPlatform;
  syncStores: LocalSyncStoreProvider;
  clock: SimulationClock;
  latency: LatencyModel;
  executor: InvocationExecutor;
  random?: RandomSource;
  /** Invocations running at once (across runs). */
  concurrency?: number;
  /** Simulated ÷ real execution time per region (default 1 everywhere). */
  slowdown?: (region: ProviderRegion) => number;
  cpuModel?: string;
}

/**
 * Discrete-event execution of local workflow runs. Every message gets a simulated
 * delivery time (sender's time + latency from the region matrix); the invocations of
 * one run execute one at a time in delivery-time order, so the simulated timeline of
 * a run is causal; different runs execute concurrently. Nothing sleeps: timestamps
 * carry the model, wall-clock time only pays for the handlers' real work.
 */
export class LocalExecutionEngine {
  private readonly queues = new Map<string, PendingInvocation[]>();
  private readonly busyRuns = new Set<string>();
  /** Simulated time each function copy last started (warm copies start without initialisation). */
  private readonly warmCopies = new Map<string, number>();
  private readonly failedRuns = new Set<string>();
  /** Latest simulated time each unfinished run reached (its invocations' ends). */
  private readonly runEnds = new Map<string, number>();
  private readonly runWaiters = new Map<string, Array<() => void>>();
  private idleWaiters: Array<() => void> = [];
  private slotWaiters: Array<() => void> = [];
  private readonly journal: LocalRunJournal;
  private readonly failureDestinations: LocalFailureDestinations;
  private inFlight = 0;
  private seq = 0;
  private readonly concurrency: number;
  private readonly random: RandomSource;
  private fatal: unknown;

  constructor(private readonly options: LocalEngineOptions) {
    this.concurrency = options.concurrency ?? Math.max(2, Math.min(8, cpus().length * 2));
    this.random = options.random ?? { random: Math.random, uuid: () => randomUUID().replace(/-/g, '') };
    // DynamoDB's TTL, locally: fan-in rows older than a day go when an engine starts.
    options.syncStores.expire(options.clock.now());
    // Copies a killed deploy or migration was making are no code of any function.
    options.platform.removeScratch();
    this.journal = new LocalRunJournal(options.db);
    this.failureDestinations = new LocalFailureDestinations(options.db);
    this.journal.recoverInterrupted();
    this.journal.prune(options.clock.now());
  }

  /** The invoker a client outside the simulation uses (its messages start "now"). */
  clientInvoker(): FunctionInvoker {
    return simulatedInvoker(this.options.platform, null, () => this.options.clock.now(), (send) => this.accept(send));
  }

  /** Adds a message sent by a function (or the client) to the simulation. */
  accept(send: OutgoingMessage): void {
    let runId = 'unknown';
    let syncTarget: string | undefined;
    try {
      const envelope = JSON.parse(send.message) as { workflow_placement_decision?: { run_id?: string; current_instance_name?: string } };
      runId = envelope.workflow_placement_decision?.run_id ?? runId;
      const target = envelope.workflow_placement_decision?.current_instance_name;
      if (target?.split(':')[1] === 'sync') syncTarget = target;
    } catch {
      /* delivered as-is; the handler reports it */
    }
    let departure = send.sentAtMs;
    if (syncTarget) {
      // A sync node starts after the last predecessor reached it, whichever invocation sent the trigger.
      const latestMark = this.options.syncStores.forRegion(send.target).latestMarkTime(syncTarget, runId);
      if (latestMark !== undefined) departure = Math.max(departure, latestMark);
    }
    const from = send.from ?? this.clientRegionOf(send);
    let deliverAtMs = departure + this.options.latency.deliverySeconds(from, send.target, this.random.random) * 1000;
    // A client's message starts a run: recorded durably (a log sync in any process waits for it).
    if (send.from === null && runId !== 'unknown') deliverAtMs = this.journal.started(runId, deliverAtMs);
    const functionName = send.identifier.split(':').slice(2).join(':');
    const queue = this.queues.get(runId) ?? [];
    queue.push({ seq: this.seq++, deliverAtMs, region: send.target, functionName, message: send.message, attempt: 0, queuedAtMs: deliverAtMs });
    queue.sort((a, b) => a.deliverAtMs - b.deliverAtMs || a.seq - b.seq);
    this.queues.set(runId, queue);
    queueMicrotask(() => this.dispatch());
  }

  /** Runs accepted here and not finished yet. */
  get runsInFlight(): number {
    return new Set([...this.queues.keys(), ...this.busyRuns]).size;
  }

  /**
   * Resolves when fewer than `limit` runs are unfinished here. A client that starts many
   * runs waits for a slot before each, so each run is stamped when it really starts rather
   * than when it was queued behind the others.
   */
  async waitForRunSlot(limit: number = this.concurrency * 2): Promise<void> {
    while (this.runsInFlight >= Math.max(1, limit)) {
      await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
      this.throwIfFatal();
    }
  }

  /** Resolves when every queued and running invocation has finished. */
  async idle(): Promise<void> {
    if (this.isIdle()) return this.throwIfFatal();
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.throwIfFatal();
  }

  /** Resolves when the run has no queued or running invocation left. */
  async waitForRun(runId: string): Promise<{ failed: boolean }> {
    if (this.runDone(runId)) return { failed: this.failedRuns.has(runId) };
    await new Promise<void>((resolve) => {
      const waiters = this.runWaiters.get(runId) ?? [];
      waiters.push(resolve);
      this.runWaiters.set(runId, waiters);
    });
    this.throwIfFatal();
    return { failed: this.failedRuns.has(runId) };
  }

  executions(runId: string): ExecutionRecord[] {
    return this.options.db.all<ExecutionRecord & Record<string, unknown>>(
      'SELECT run_id, workflow_id, instance_name, function_name, region, request_id, status, started_at, ended_at, error FROM executions WHERE run_id = ? ORDER BY started_at, id',
      runId,
    );
  }

  async close(): Promise<void> {
    await this.options.executor.close();
  }

  private throwIfFatal(): void {
    if (this.fatal !== undefined) throw this.fatal;
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && [...this.queues.values()].every((q) => q.length === 0);
  }

  private runDone(runId: string): boolean {
    return !this.busyRuns.has(runId) && (this.queues.get(runId)?.length ?? 0) === 0;
  }

  private dispatch(): void {
    while (this.inFlight < this.concurrency) {
      let chosen: string | undefined;
      for (const [runId, queue] of this.queues) {
        if (queue.length === 0 || this.busyRuns.has(runId)) continue;
        if (chosen === undefined || queue[0]!.deliverAtMs < this.queues.get(chosen)![0]!.deliverAtMs) chosen = runId;
      }
      if (chosen === undefined) break;
      const pending = this.queues.get(chosen)!.shift()!;
      this.busyRuns.add(chosen);
      this.inFlight += 1;
      void this.execute(chosen, pending)
        .catch((error: unknown) => {
          this.fatal ??= error;
        })
        .finally(() => {
          this.inFlight -= 1;
          this.busyRuns.delete(chosen);
          if ((this.queues.get(chosen)?.length ?? 0) === 0) {
            this.queues.delete(chosen);
            this.journal.finished(chosen, this.runEnds.get(chosen) ?? 0, this.failedRuns.has(chosen));
            this.runEnds.delete(chosen);
            const slotWaiters = this.slotWaiters;
            this.slotWaiters = [];
            for (const resolve of slotWaiters) resolve();
            for (const resolve of this.runWaiters.get(chosen) ?? []) resolve();
            this.runWaiters.delete(chosen);
          }
          this.dispatch();
          if (this.isIdle()) {
            const waiters = this.idleWaiters;
            this.idleWaiters = [];
            for (const resolve of waiters) resolve();
          }
        });
    }
  }

  private async execute(runId: string, pending: PendingInvocation): Promise<void> {
    const { platform, clock, db } = this.options;
    const fn = platform.find(pending.region, pending.functionName);
    const requestId = pending.requestId ?? randomUUID();
    if (!fn) {
      // Removed between send and delivery: the platform drops the event, as Lambda would fail it.
      this.recordFailure(runId, pending, requestId, `Function ${pending.functionName} no longer exists in ${regionKey(pending.region)}`);
      this.failedRuns.add(runId);
      return;
    }
    const coldStart = this.takeColdStart(`${fn.region}/${fn.name}/${fn.artifact_sha256}`, pending.deliverAtMs);
    const startMs = pending.deliverAtMs + (coldStart ? COLD_START_MS : 0);
    let outcome: InvocationOutcome;
    try {
      outcome = await this.options.executor.execute(
        {
          requestId,
          region: pending.region,
          fn,
          message: pending.message,
          startMs,
          coldStart,
          slowdown: this.options.slowdown?.(pending.region) ?? 1,
          dataAccessMs: this.dataAccessMs(fn, pending.region),
          cpuModel: this.options.cpuModel ?? 'Simulated CPU (local provider)',
        },
        (send) => this.accept(send),
      );
    } catch (error) {
      // The sandbox itself failed (an uncaught asynchronous error in user code, a bundle that
      // does not load): this invocation failed, the engine and every other run go on.
      const message = `${fn.name}: ${error instanceof Error ? error.message : String(error)}`;
      this.recordFailure(runId, pending, requestId, message);
      this.retryOrGiveUp(runId, pending, fn, requestId, pending.deliverAtMs, message);
      return;
    }
    clock.advanceTo(outcome.endMs);
    this.reached(runId, outcome.endMs);
    if (outcome.status === 'failed') this.retryOrGiveUp(runId, pending, fn, requestId, outcome.endMs, outcome.error ?? 'unknown error');
    db.run(
      `INSERT INTO executions (run_id, workflow_id, instance_name, function_name, region, request_id, status, started_at, ended_at, error)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      runId,
      outcome.workflowId,
      outcome.instanceName,
      fn.name,
      regionKey(pending.region),
      requestId,
      outcome.status,
      startMs,
      outcome.endMs,
      outcome.error ?? null,
    );
  }

  /**
   * Where the client of a run's first message sits: the entry point's `CARIBOU_CLIENT_REGION`
   * (the workflow's client_region, home by default), else inside the target region.
   */
  private clientRegionOf(send: OutgoingMessage): ProviderRegion | null {
    const fn = this.options.platform.find(send.target, send.identifier.split(':').slice(2).join(':'));
    return fn ? regionVariable(fn, CLIENT_REGION_VARIABLE) : null;
  }

  /** One round trip to the function's data when its `CARIBOU_DATA_REGION` is another region (ms). */
  private dataAccessMs(fn: LocalFunctionRow, region: ProviderRegion): number {
    const data = regionVariable(fn, DATA_REGION_VARIABLE);
    const access = this.options.latency.dataAccessSeconds;
    if (!data || !access || data.provider !== region.provider) return 0;
    return access.call(this.options.latency, region, data, this.random.random) * 1000;
  }

  /**
   * Like a Lambda sandbox, a function copy stays warm for a while after it ran (in
   * simulated time, across CLI processes); the first invocation after that is a cold start.
   */
  private takeColdStart(copy: string, atMs: number): boolean {
    const key = `warm:${copy}`;
    let lastUse = this.warmCopies.get(copy);
    if (lastUse === undefined) {
      const row = this.options.db.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', key);
      lastUse = row ? Number(row.value) : undefined;
    }
    this.warmCopies.set(copy, Math.max(lastUse ?? atMs, atMs));
    this.options.db.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, String(atMs));
    return lastUse === undefined || atMs - lastUse > KEEP_WARM_MS;
  }

  private reached(runId: string, timeMs: number): void {
    this.runEnds.set(runId, Math.max(this.runEnds.get(runId) ?? timeMs, timeMs));
  }

  /**
   * What Lambda does with a failed asynchronous event: delivers it again after one, then two
   * minutes (simulated), up to the copy's retry_attempts and while it is younger than its
   * maximum_event_age; then writes an invocation record to the region's on-failure
   * destination and the run counts as failed.
   */
  private retryOrGiveUp(runId: string, pending: PendingInvocation, fn: LocalFunctionRow, requestId: string, failedAtMs: number, error: string): void {
    const config = fn.async_invocation ? (JSON.parse(fn.async_invocation) as AsyncInvocationConfig) : undefined;
    let condition = 'RetriesExhausted';
    if (config && pending.attempt < config.retryAttempts) {
      const deliverAtMs = failedAtMs + (RETRY_DELAYS_MS[pending.attempt] ?? RETRY_DELAYS_MS.at(-1)!);
      if (deliverAtMs - pending.queuedAtMs <= config.maximumEventAgeSeconds * 1000) {
        const queue = this.queues.get(runId) ?? [];
        queue.push({ ...pending, seq: this.seq++, deliverAtMs, attempt: pending.attempt + 1, requestId });
        queue.sort((a, b) => a.deliverAtMs - b.deliverAtMs || a.seq - b.seq);
        this.queues.set(runId, queue);
        return;
      }
      condition = 'EventAgeExceeded';
    }
    this.failedRuns.add(runId);
    if (!config) return;
    let requestPayload: unknown = pending.message;
    try {
      requestPayload = JSON.parse(pending.message);
    } catch {
      /* kept as the text it was */
    }
    const record = {
      version: '1.0',
      timestamp: new Date(failedAtMs).toISOString(),
      requestContext: { requestId, functionArn: localFunctionIdentifier(pending.region, fn.name), condition, approximateInvokeCount: pending.attempt + 1 },
      requestPayload,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: error },
    };
    this.failureDestinations.write(pending.region, JSON.stringify(record), failedAtMs);
  }

  private recordFailure(runId: string, pending: PendingInvocation, requestId: string, error: string): void {
    this.reached(runId, pending.deliverAtMs);
    let instance = '';
    try {
      instance = (JSON.parse(pending.message) as { workflow_placement_decision?: { current_instance_name?: string } }).workflow_placement_decision?.current_instance_name ?? '';
    } catch {
      /* an unreadable message has no instance */
    }
    this.options.db.run(
      `INSERT INTO executions (run_id, workflow_id, instance_name, function_name, region, request_id, status, started_at, ended_at, error)
       VALUES (?, '', ?, ?, ?, ?, 'failed', ?, ?, ?)`,
      runId,
      instance,
      pending.functionName,
      regionKey(pending.region),
      requestId,
      pending.deliverAtMs,
      pending.deliverAtMs,
      error,
    );
  }
}
