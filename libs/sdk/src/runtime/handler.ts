import {
  CaribouError,
  formatTime,
  HOME_REGION_THRESHOLD,
  MAX_TRANSFER_SIZE,
  MAXIMUM_HOPS_FROM_CLIENT_REQUEST,
  parseTime,
  stringSizeGb,
  Tables,
  utf8Length,
} from '@caribou/domain-common';
import {
  decodeBinaryStrings,
  encodePayload,
  type Envelope,
  edgeCountFrom,
  edgeKey,
  expectedEdgeCount,
  instancePrefix,
  isSyncInstance,
  isTruthyPayload,
  oversizeMessageError,
  RunPlacement,
  runDecisionOf,
  successorEnvelope,
  successorInstance,
  timeKeyForRun,
  type RunFields,
} from '@caribou/domain-routing';
import { formatCaribouLine, LogMessages } from '@caribou/domain-telemetry';
import { parsePlacementDecision, placementDecisionOf } from '@caribou/domain-workflow';
import type { ExecutionKey } from '@caribou/ports';
import { runInInvocation, type InvocationScope } from '../invocation-context';
import type { CaribouFunction, CaribouMetadata, CaribouWorkflow } from '../workflow';
import type { RuntimeServices } from './services';

const seconds = (ms: number): number => ms / 1000;

/** Added to an invocation's remaining time for its marker's lease: the platform's own slack in ending it. */
export const LEASE_MARGIN_MS = 10_000;

/** Raised for a breach of the runtime's own limits (hop limit, message size). */
export class CaribouRuntimeError extends CaribouError {}

interface Unwrapped {
  envelope: Envelope;
  /** GB of the incoming message (entry point only; -1 elsewhere, as the reference logs it). */
  inputSizeGb: number;
}

function unwrap(event: unknown, entryPoint: boolean): Unwrapped {
  if (typeof event === 'string') {
    return unwrap(JSON.parse(event) as unknown, entryPoint);
  }
  if (!event || typeof event !== 'object' || Array.isArray(event)) {
    throw new CaribouRuntimeError('Input event must be a JSON object');
  }
  const records = (event as { Records?: Array<{ Sns?: { Message?: string } }> }).Records;
  if (Array.isArray(records) && records.length === 1 && typeof records[0]?.Sns?.Message === 'string') {
    const message = records[0].Sns.Message;
    return { envelope: decodeBinaryStrings(JSON.parse(message)) as Envelope, inputSizeGb: entryPoint ? stringSizeGb(message) : -1 };
  }
  return {
    envelope: decodeBinaryStrings(event) as Envelope,
    inputSizeGb: entryPoint ? stringSizeGb(JSON.stringify(event)) : -1,
  };
}

/**
 * Runs one invocation of `fn` (reference-system §3.3): unwrap, hop limit, placement
 * decision, optional redirect, the user handler, successor sends (awaited before
 * returning), fan-in bookkeeping and the `[CARIBOU]` log lines. All state lives in
 * this call, so a process may serve many invocations at once.
 */
export async function handleInvocation(
  workflow: CaribouWorkflow,
  functionName: string,
  event: unknown,
  services: RuntimeServices,
): Promise<unknown> {
  const fn = workflow.getFunction(functionName);
  if (!fn) throw new CaribouRuntimeError(`Function ${functionName} is not registered in workflow ${workflow.name}`);
  return new Invocation(workflow, fn, services).run(event);
}

class Invocation {
  private readonly functionStart: number;
  private readonly workflowId: string;
  /** The run's placement: from the message, or read from the store by an entry point called without one. */
  private plan!: RunPlacement;
  private runId = 'UNKNOWN';
  private hops = 0;
  private callIndex = 0;
  /** Calls made so far to each sync node: the ordinal identifies the edge a call accounts for. */
  private readonly callsToSync = new Map<string, number>();
  /** Successor sends run one after another in call order, asynchronously to user code. */
  private sendChain: Promise<void> = Promise.resolve();
  private sendFailure: unknown;
  /** Set once the handler returned and its sends were awaited: later calls would be lost. */
  private finished = false;
  /** Successor sends an earlier attempt of this execution made (`<call index>:<successor>`): a retry skips them. */
  private completedSends = new Set<string>();
  private marker: { key: ExecutionKey; holder: string } | undefined;

  constructor(
    private readonly workflow: CaribouWorkflow,
    private readonly fn: CaribouFunction,
    private readonly services: RuntimeServices,
  ) {
    this.functionStart = services.clock.now();
    this.workflowId = `${workflow.name}-${workflow.version}`;
  }

  private get currentInstance(): string {
    return this.plan.currentInstance;
  }

  private log(message: string, at: number = this.services.clock.now(), runId: string = this.runId): void {
    this.services.log(formatCaribouLine(at, this.services.requestId, runId, message));
  }

  private sinceStart(at: number = this.services.clock.now()): number {
    return seconds(at - this.functionStart);
  }

  async run(event: unknown): Promise<unknown> {
    const entryPoint = this.fn.entryPoint;
    const { envelope, inputSizeGb } = unwrap(event, entryPoint);
    if (typeof envelope.run_id === 'string') this.runId = envelope.run_id;

    const previousHops = Math.max(Number.parseInt(String(envelope.number_of_hops_from_client_request ?? 0), 10) || 0, 0);
    this.hops = previousHops + 1;
    if (this.hops > MAXIMUM_HOPS_FROM_CLIENT_REQUEST) {
      const runId = envelope.workflow_placement_decision?.run_id;
      if (typeof runId === 'string') this.runId = runId;
      this.log(LogMessages.exceedHopError({ hops: this.hops, maximum: MAXIMUM_HOPS_FROM_CLIENT_REQUEST }));
      throw new CaribouRuntimeError(
        `Number of hops from the client request (${this.hops}) exceeds the maximum of ${MAXIMUM_HOPS_FROM_CLIENT_REQUEST}`,
      );
    }

    if (envelope.workflow_placement_decision) {
      this.plan = RunPlacement.fromMessage(envelope.workflow_placement_decision);
    } else if (entryPoint) {
      await this.retrievePlacementDecision(envelope);
    } else {
      throw new CaribouRuntimeError(`Function ${this.fn.name} received no placement decision and is not the entry point`);
    }
    if (this.plan.decision.run_id !== 'UNKNOWN') this.runId = this.plan.decision.run_id;

    if (entryPoint) {
      const redirected = await this.redirectIfElsewhere(envelope, inputSizeGb);
      if (redirected) return redirected;
      this.logEntryPoint(envelope, inputSizeGb);
    }
    const skipped = await this.takeExecutionMarker();
    if (skipped) return skipped;
    this.log(
      LogMessages.invoked({ instance: this.currentInstance, taint: envelope.transmission_taint ?? null, hops: this.hops }),
      this.functionStart,
    );

    const userStart = this.services.clock.now();
    let result: unknown;
    try {
      result = await runInInvocation(this.scope(), () => this.fn.handler(envelope.payload ?? {}));
      await this.sendChain;
      this.finished = true;
      if (this.sendFailure !== undefined) throw this.sendFailure;
    } catch (error) {
      // Let queued sends settle so no work of this invocation outlives it (§12.2 #20).
      await this.sendChain.catch(() => undefined);
      this.log(LogMessages.clientCodeException({ instance: this.currentInstance, error: describeError(error) }));
      // The platform's retry may run it again at once, making only the sends not yet made.
      await this.services.markers.release(this.marker!.key, this.marker!.holder).catch(() => undefined);
      throw error;
    }
    await this.services.markers.finish(this.marker!.key, this.marker!.holder);
    const end = this.services.clock.now();
    this.log(
      LogMessages.executed({
        instance: this.currentInstance,
        userExecutionTimeS: seconds(end - userStart),
        totalExecutionTimeS: seconds(end - this.functionStart),
      }),
    );
    this.log(LogMessages.usedCpuModel({ cpuModel: this.services.cpuModel, instance: this.currentInstance, fromRedirector: false }));
    return result;
  }

  /**
   * Idempotent execution: platforms deliver events at least once and retry failed ones. The
   * (run, instance) marker lets one delivery at a time run the handler; a delivery that finds
   * it held or finished skips (returns what it did instead of the handler's result), and a
   * retry of a failed attempt learns which successor sends that attempt already made.
   */
  private async takeExecutionMarker(): Promise<{ statusCode: number; message: string } | undefined> {
    const key: ExecutionKey = { runId: this.runId, instance: this.currentInstance };
    const holder = this.services.random.uuid();
    const claim = await this.services.markers.acquire(key, holder, this.services.remainingTimeMs() + LEASE_MARGIN_MS);
    if (claim.status === 'acquired') {
      this.marker = { key, holder };
      this.completedSends = new Set(claim.completedSends);
      return undefined;
    }
    const why =
      claim.status === 'finished'
        ? 'another delivery already executed it'
        : `another delivery (${claim.holder}) is executing it, its lease ends at ${formatTime(claim.leaseExpiresAtMs)}`;
    // A plain line, not a [CARIBOU] one: the log syncer must not count this delivery as an execution.
    this.services.log(`Caribou skipped a duplicate delivery of ${key.instance} in run ${key.runId} (request ${this.services.requestId}): ${why}`);
    return { statusCode: 200, message: `Skipped duplicate delivery: ${why}` };
  }

  private async retrievePlacementDecision(envelope: Envelope): Promise<void> {
    const { value, consumedReadCapacity } = await this.services.store.getWithCapacity(
      Tables.workflowPlacementDecision,
      this.workflowId,
    );
    if (!value) {
      throw new CaribouRuntimeError(
        `No workflow placement decision found for workflow, did you deploy the workflow and is the workflow id (${this.workflowId}) correct?`,
      );
    }
    let wpd = parsePlacementDecision(value, `${Tables.workflowPlacementDecision}[${this.workflowId}]`);
    const now = this.services.clock.now();
    const run: RunFields = {
      run_id: this.services.random.uuid(),
      time_key: '',
      send_to_home_region: this.services.random.random() < HOME_REGION_THRESHOLD,
      data_size: stringSizeGb(value),
      consumed_read_capacity: consumedReadCapacity,
    };
    const override = envelope.debug_workflow_placement_override?.workflow_placement_decision;
    if (this.fn.allowPlacementDecisionOverride && override) {
      wpd = placementDecisionOf(override, 'debug_workflow_placement_override.workflow_placement_decision');
      run.overriden_workflow_placement_size = stringSizeGb(JSON.stringify(envelope.debug_workflow_placement_override));
    }
    run.time_key = timeKeyForRun(wpd, now);
    this.plan = new RunPlacement(runDecisionOf(wpd, run));
    this.runId = run.run_id;
    this.log(
      LogMessages.retrieveWpd({
        sendToHome: run.send_to_home_region,
        timeKey: run.time_key,
        wpdSizeGb: run.data_size ?? 0,
        consumedReadCapacity,
        timeFromFunctionStartS: this.sinceStart(now),
      }),
    );
  }

  /** Forwards the run to the entry point's planned region when the caller allowed it (§3.3 step 5). */
  private async redirectIfElsewhere(envelope: Envelope, inputSizeGb: number): Promise<unknown> {
    const target = this.plan.placementOf(this.currentInstance);
    const here = this.services.region;
    const elsewhere = target.provider_region.provider !== here.provider || target.provider_region.region !== here.region;
    if (!elsewhere || !envelope.permit_redirection || envelope.redirected) return undefined;
    this.plan = this.plan.withFields({ user_payload_size: inputSizeGb });
    const taint = this.services.random.uuid();
    const message = encodePayload({ ...envelope, workflow_placement_decision: this.plan.decision, redirected: true, transmission_taint: taint });
    const invocationStart = this.services.clock.now();
    await this.services.invoker.invokeAsync(target.provider_region, target.identifier, message);
    const finish = this.services.clock.now();
    this.log(
      LogMessages.redirect({
        instance: this.currentInstance,
        fromRegion: here.region,
        fromProvider: here.provider,
        toRegion: target.provider_region.region,
        toProvider: target.provider_region.provider,
        workflowId: this.workflowId,
        inputPayloadSizeGb: inputSizeGb,
        outputPayloadSizeGb: stringSizeGb(message),
        identifier: target.identifier,
        taint,
        hops: this.hops,
        invocationTimeFromFunctionStartS: this.sinceStart(invocationStart),
        finishTimeFromInvocationStartS: seconds(finish - invocationStart),
        initLatencyFromClientS: this.initLatencyFromClient(envelope),
      }),
      this.functionStart,
    );
    this.log(LogMessages.usedCpuModel({ cpuModel: this.services.cpuModel, instance: this.currentInstance, fromRedirector: true }));
    return { statusCode: 200, message: `Redirecting to Provider: ${target.provider_region.provider}, Region: ${target.provider_region.region}` };
  }

  private initLatencyFromClient(envelope: Envelope): number | null {
    if (!envelope.time_request_sent) return null;
    try {
      return seconds(this.functionStart - parseTime(envelope.time_request_sent));
    } catch {
      return null;
    }
  }

  private logEntryPoint(envelope: Envelope, inputSizeGb: number): void {
    const fields = {
      instance: this.currentInstance,
      workflowId: this.workflowId,
      userPayloadSizeGb: inputSizeGb,
      redirected: envelope.redirected === true,
      initLatencyFromClientS: this.initLatencyFromClient(envelope),
      initLatencyFirstReceivedS: 0,
      timeFromFunctionStartS: this.sinceStart(),
      requestSource: envelope.request_source ?? 'Unknown',
      wpdSizeGb: this.plan.decision.data_size ?? 0,
      consumedReadCapacity: this.plan.decision.consumed_read_capacity ?? 0,
    };
    const overridden = this.plan.decision.overriden_workflow_placement_size;
    this.log(
      LogMessages.entryPoint(overridden === undefined ? fields : { ...fields, overriddenWpdSizeGb: overridden }),
      this.functionStart,
    );
  }

  private scope(): InvocationScope {
    return {
      runId: this.runId,
      invokeSuccessor: (fn, payload, conditional) => this.invokeSuccessor(fn, payload, conditional),
      getPredecessorData: () => this.getPredecessorData(),
      metadata: () => this.metadata(),
      placementDecision: () => this.plan.readable(),
      logForRetrieval: (message, runId, at) => this.log(message, at ?? this.services.clock.now(), runId ?? this.runId),
    };
  }

  private metadata(): CaribouMetadata {
    return {
      workflow_name: this.workflowId,
      run_id: this.runId,
      current_instance_name: this.currentInstance,
      current_provider: this.services.region.provider,
      current_region: this.services.region.region,
      cpu_model: this.services.cpuModel,
      function_start_time: formatTime(this.functionStart),
    };
  }

  private invokeSuccessor(fn: CaribouFunction, payload: unknown, conditional: boolean): void {
    if (this.finished) {
      throw new CaribouRuntimeError(
        `invokeServerlessFunction(${fn.name}) was called after ${this.fn.name} returned; the call would be lost — make the handler await the work that makes it`,
      );
    }
    const callIndex = this.callIndex++;
    const prefix = instancePrefix(this.workflow.name, this.workflow.version, fn.name);
    const successor = successorInstance(this.plan, this.currentInstance, prefix, callIndex);
    const taint = this.services.random.uuid();
    const includePayload = isTruthyPayload(payload);
    const message = encodePayload(
      successorEnvelope({ decision: this.plan.decision, successorInstance: successor, taint, hops: this.hops, payload, includePayload }),
    );
    const bytes = utf8Length(message);
    if (bytes > MAX_TRANSFER_SIZE) {
      this.log(LogMessages.debugPayloadTooLarge({ payloadSizeGb: bytes / 1024 ** 3, payloadSizeBytes: bytes, limitBytes: MAX_TRANSFER_SIZE }));
      const { message: text } = oversizeMessageError({
        message: `Message to ${fn.name}`,
        bytes,
        dataLabel: 'payload',
        dataBytes: includePayload ? utf8Length(encodePayload(payload)) : 0,
        decisionBytes: this.plan.bytes(),
      });
      throw new CaribouRuntimeError(text);
    }
    const invocationStart = this.services.clock.now();
    const slot = isSyncInstance(successor) ? this.nextSlot(successor) : 0;
    const send = conditional
      ? () => this.sendToSuccessor({ successor, taint, message, payload, invocationStart, slot })
      : () => this.skipSuccessor(successor, invocationStart, slot);
    // Calls happen in the same order on every attempt, so the call index names a send across attempts.
    const sendKey = `${callIndex}:${successor}`;
    if (this.completedSends.has(sendKey)) return;
    this.sendChain = this.sendChain.then(async () => {
      if (this.sendFailure !== undefined) return;
      try {
        await send();
        await this.services.markers.recordSend(this.marker!.key, sendKey);
      } catch (error) {
        this.sendFailure = error;
      }
    });
  }

  private nextSlot(syncInstance: string): number {
    const slot = this.callsToSync.get(syncInstance) ?? 0;
    this.callsToSync.set(syncInstance, slot + 1);
    return slot;
  }

  private async sendToSuccessor(input: {
    successor: string;
    taint: string;
    message: string;
    payload: unknown;
    invocationStart: number;
    slot: number;
  }): Promise<void> {
    const { successor, taint, invocationStart } = input;
    const target = this.plan.placementOf(successor);
    let sentMessage = input.message;
    let invoked = true;
    let upload: { uploadSizeGb: number; consumedWriteCapacity: number; syncDataResponseSizeGb: number; uploadRttS: number } | undefined;
    if (isSyncInstance(successor)) {
      // Fan-in: the payload goes to the sync store; the message that triggers the sync node carries none.
      const syncStore = this.services.syncStore(target.provider_region);
      const data = encodePayload(input.payload ?? null);
      const uploadStart = this.services.clock.now();
      // Keyed by the edge, not the message: a retried invocation replaces its upload instead of adding one.
      const edge = edgeKey(this.currentInstance, input.slot);
      const { consumedWriteCapacity: uploadCapacity } = await syncStore.uploadPredecessorData(successor, this.runId, edge, data);
      const mark = await syncStore.markPredecessorReached({
        predecessor: edge,
        syncInstance: successor,
        runId: this.runId,
        directCall: true,
      });
      const uploadRtt = seconds(this.services.clock.now() - uploadStart);
      sentMessage = encodePayload(
        successorEnvelope({ decision: this.plan.decision, successorInstance: successor, taint, hops: this.hops, includePayload: false }),
      );
      upload = {
        uploadSizeGb: stringSizeGb(data),
        consumedWriteCapacity: uploadCapacity + mark.consumedWriteCapacity,
        syncDataResponseSizeGb: mark.responseSizeGb,
        uploadRttS: uploadRtt,
      };
      invoked = await this.triggerIfComplete(successor, mark.reached, target, edge);
      if (invoked) await this.services.invoker.invokeAsync(target.provider_region, target.identifier, sentMessage);
    } else {
      await this.services.invoker.invokeAsync(target.provider_region, target.identifier, sentMessage);
    }
    const finish = this.services.clock.now();
    const fields = {
      instance: this.currentInstance,
      successor,
      payloadSizeGb: stringSizeGb(sentMessage),
      taint,
      provider: target.provider_region.provider,
      region: target.provider_region.region,
      successorInvoked: invoked,
      invocationTimeFromFunctionStartS: this.sinceStart(invocationStart),
      finishTimeFromInvocationStartS: seconds(finish - invocationStart),
    };
    this.log(LogMessages.invokingSuccessor(upload ? { ...fields, upload } : fields), invocationStart);
  }

  /**
   * Exactly-once fan-in (fixes §12.2 #19): when every incoming edge is accounted for,
   * the one caller that wins the atomic claim decides for everybody — it invokes the
   * sync node when at least one edge was a direct call, and otherwise records that it
   * never runs and tells the sync nodes downstream of it.
   */
  private async triggerIfComplete(
    syncInstance: string,
    reached: boolean[],
    target: { provider_region: { provider: string; region: string } },
    /** The edge this invocation accounts for; a retry of it keeps the claim and finishes the job. */
    claimant: string,
  ): Promise<boolean> {
    if (reached.length !== expectedEdgeCount(this.plan, syncInstance)) return false;
    const claimed = await this.services.syncStore(target.provider_region).claimInvocation(syncInstance, this.runId, claimant);
    if (!claimed) return false;
    if (reached.some(Boolean)) return true;
    await this.propagateNonExecution(syncInstance, this.services.clock.now());
    return false;
  }

  /** A `conditional=false` call: nothing runs, but every sync node waiting on the skipped subtree is told. */
  private async skipSuccessor(successor: string, invocationStart: number, slot: number): Promise<void> {
    let consumedWriteCapacity = 0;
    let syncDataResponseSizeGb = 0;
    const account = (result: { consumedWriteCapacity: number; responseSizeGb: number }): void => {
      consumedWriteCapacity += result.consumedWriteCapacity;
      syncDataResponseSizeGb += result.responseSizeGb;
    };
    if (isSyncInstance(successor)) {
      account(await this.informSyncNode(successor, this.currentInstance, [slot], successor, invocationStart));
    } else {
      // The skipped subtree never runs: each of its calls into a sync node is accounted for here.
      for (const [predecessor, syncNode] of this.plan.links(successor)?.dependent_sync_predecessors ?? []) {
        account(await this.informSyncNode(syncNode, predecessor, this.allSlots(predecessor, syncNode), successor, invocationStart));
      }
    }
    const target = this.plan.placementOf(successor);
    this.log(
      LogMessages.conditionalNonExecution({
        instance: this.currentInstance,
        successor,
        consumedWriteCapacity,
        syncDataResponseSizeGb,
        provider: target.provider_region.provider,
        region: target.provider_region.region,
        invocationTimeFromFunctionStartS: this.sinceStart(invocationStart),
        finishTimeFromInvocationStartS: seconds(this.services.clock.now() - invocationStart),
      }),
      invocationStart,
    );
  }

  /** The sync node that never runs passes the news on to the sync nodes it would have called. */
  private async propagateNonExecution(syncInstance: string, invocationStart: number): Promise<void> {
    for (const [predecessor, syncNode] of this.plan.links(syncInstance)?.dependent_sync_predecessors ?? []) {
      await this.informSyncNode(syncNode, predecessor, this.allSlots(predecessor, syncNode), syncInstance, invocationStart);
    }
  }

  private allSlots(predecessor: string, syncNode: string): number[] {
    return Array.from({ length: edgeCountFrom(this.plan, predecessor, syncNode) }, (_, i) => i);
  }

  private async informSyncNode(
    syncNode: string,
    predecessor: string,
    slots: number[],
    skippedSuccessor: string,
    invocationStart: number,
  ): Promise<{ consumedWriteCapacity: number; responseSizeGb: number }> {
    const callStart = this.services.clock.now();
    const target = this.plan.placementOf(syncNode);
    const store = this.services.syncStore(target.provider_region);
    const mark = { reached: [] as boolean[], responseSizeGb: 0, consumedWriteCapacity: 0 };
    for (const slot of slots) {
      const result = await store.markPredecessorReached({
        predecessor: edgeKey(predecessor, slot),
        syncInstance: syncNode,
        runId: this.runId,
        directCall: false,
      });
      mark.reached = result.reached;
      mark.responseSizeGb = result.responseSizeGb;
      mark.consumedWriteCapacity += result.consumedWriteCapacity;
    }
    let taint: string | null = null;
    let payloadSizeGb = 0;
    if (await this.triggerIfComplete(syncNode, mark.reached, target, edgeKey(predecessor, slots.at(-1) ?? 0))) {
      taint = this.services.random.uuid();
      const message = encodePayload(
        successorEnvelope({ decision: this.plan.decision, successorInstance: syncNode, taint, hops: this.hops, includePayload: false }),
      );
      payloadSizeGb = stringSizeGb(message);
      await this.services.invoker.invokeAsync(target.provider_region, target.identifier, message);
    }
    const finish = this.services.clock.now();
    this.log(
      LogMessages.invokingSyncNode({
        instance: this.currentInstance,
        successor: skippedSuccessor,
        predecessor,
        syncNode,
        successorInvoked: taint !== null,
        payloadSizeGb,
        syncDataResponseSizeGb: mark.responseSizeGb,
        consumedWriteCapacity: mark.consumedWriteCapacity,
        taint,
        provider: target.provider_region.provider,
        region: target.provider_region.region,
        invocationTimeFromFunctionStartS: this.sinceStart(callStart),
        finishTimeFromInvocationStartS: seconds(finish - callStart),
        callStartToFinishS: seconds(finish - invocationStart),
      }),
      callStart,
    );
    return { consumedWriteCapacity: mark.consumedWriteCapacity, responseSizeGb: mark.responseSizeGb };
  }

  private async getPredecessorData(): Promise<unknown[]> {
    if (!isSyncInstance(this.currentInstance)) {
      throw new CaribouRuntimeError(
        `getPredecessorData() is only available in a fan-in (sync) function; ${this.currentInstance} is not one`,
      );
    }
    const start = this.services.clock.now();
    const { payloads, consumedReadCapacity } = await this.services
      .syncStore(this.services.region)
      .getPredecessorData(this.currentInstance, this.runId);
    const downloadSizeGb = payloads.reduce((sum, text) => sum + stringSizeGb(text), 0);
    this.log(
      LogMessages.downloadDataFromSyncTable({
        instance: this.currentInstance,
        downloadSizeGb,
        consumedReadCapacity,
        downloadTimeS: seconds(this.services.clock.now() - start),
      }),
    );
    return payloads.map((text) => decodeBinaryStrings(JSON.parse(text)));
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
