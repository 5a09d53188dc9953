import { formatIsoMillis, formatTime, LOG_VERSION, pyBool, pyRepr } from '@caribou/domain-common';

/**
 * The `[CARIBOU]` log lines of reference-system §3.7, byte-compatible with LOG_VERSION
 * 0.0.4 so that one parser reads logs of both implementations. Values are printed as
 * Python prints them (float repr, True/False); `(`/`)` inside free text would break
 * the `NAME \((.*?)\)` fields, so they become `<`/`>` as the reference does for CPU models.
 */

const float = (value: number): string => pyRepr(value);
const int = (value: number): string => String(Math.trunc(value));
const bool = (value: boolean): string => pyBool(value);
export const sanitizeLogValue = (text: string): string => text.replace(/\(/g, '<').replace(/\)/g, '>');
const orNA = (value: number | undefined | null, format = float): string =>
  value === undefined || value === null ? 'N/A' : format(value);

export interface EntryPointFields {
  instance: string;
  workflowId: string;
  userPayloadSizeGb: number;
  redirected: boolean;
  initLatencyFromClientS: number | null;
  initLatencyFirstReceivedS: number;
  timeFromFunctionStartS: number;
  requestSource: string;
  wpdSizeGb: number;
  consumedReadCapacity: number;
  overriddenWpdSizeGb?: number;
}

/** What an upload to a fan-in (sync) store reports, in INVOKING_SUCCESSOR. */
export interface SyncUploadFields {
  uploadSizeGb: number;
  consumedWriteCapacity: number;
  syncDataResponseSizeGb: number;
  uploadRttS: number;
}

export interface ExecutedFields {
  instance: string;
  userExecutionTimeS: number;
  totalExecutionTimeS: number;
}

export const LogMessages = {
  entryPoint(f: EntryPointFields): string {
    let message =
      `ENTRY_POINT: Entry Point INSTANCE (${f.instance}) of workflow ${f.workflowId} called with ` +
      `USER_PAYLOAD_SIZE (${float(f.userPayloadSizeGb)}) GB and is REDIRECTED (${bool(f.redirected)}) with ` +
      `INIT_LATENCY_FROM_CLIENT (${orNA(f.initLatencyFromClientS)}) s INIT_LATENCY_FIRST_RECIEVED (${float(f.initLatencyFirstReceivedS)}) s ` +
      `TIME_FROM_FUNCTION_START (${float(f.timeFromFunctionStartS)}) s from REQUEST_SOURCE (${sanitizeLogValue(f.requestSource)}) ` +
      `with WORKFLOW_PLACEMENT_DECISION_SIZE (${float(f.wpdSizeGb)}) GB and CONSUMED_READ_CAPACITY (${float(f.consumedReadCapacity)})`;
    if (f.overriddenWpdSizeGb !== undefined) {
      message += ` OVERRIDEN_WORKFLOW_PLACEMENT_SIZE (${float(f.overriddenWpdSizeGb)}) GB`;
    }
    return message;
  },

  invoked(f: { instance: string; taint: string | null; hops: number }): string {
    return `INVOKED: INSTANCE (${f.instance}) called with TAINT (${f.taint ?? 'N/A'}) with NUMBER_OF_HOPS_FROM_CLIENT_REQUEST (${int(f.hops)})`;
  },

  retrieveWpd(f: { sendToHome: boolean; timeKey: string; wpdSizeGb: number; consumedReadCapacity: number; timeFromFunctionStartS: number }): string {
    return (
      `RETRIVE_WPD: SEND_TO_HOME_DECISION (${bool(f.sendToHome)}) TIME_KEY (${f.timeKey}) ` +
      `RETRIEVED_PLACEMENT_DECISION_FROM_PLATFORM (True) WORKFLOW_PLACEMENT_DECISION_SIZE (${float(f.wpdSizeGb)}) GB ` +
      `and CONSUMED_READ_CAPACITY (${float(f.consumedReadCapacity)}) with TIME_FROM_FUNCTION_START (${float(f.timeFromFunctionStartS)}) s`
    );
  },

  redirect(f: {
    instance: string;
    fromRegion: string;
    fromProvider: string;
    toRegion: string;
    toProvider: string;
    workflowId: string;
    inputPayloadSizeGb: number;
    outputPayloadSizeGb: number;
    identifier: string;
    taint: string;
    hops: number;
    invocationTimeFromFunctionStartS: number;
    finishTimeFromInvocationStartS: number;
    initLatencyFromClientS: number | null;
  }): string {
    return (
      `REDIRECT: REDIRECTING_INSTANCE (${f.instance}) FROM_REGION (${f.fromRegion}) FROM_PROVIDER (${f.fromProvider}) ` +
      `TO_REGION (${f.toRegion}) TO_PROVIDER (${f.toProvider}) of WORKFLOW ${f.workflowId} called with ` +
      `INPUT_PAYLOAD_SIZE (${float(f.inputPayloadSizeGb)}) GB OUTPUT_PAYLOAD_SIZE (${float(f.outputPayloadSizeGb)}) GB ` +
      `Invoking IDENTIFIER (${f.identifier}) with TAINT (${f.taint}) NUMBER_OF_HOPS_FROM_CLIENT_REQUEST (${int(f.hops)}) ` +
      `INVOCATION_TIME_FROM_FUNCTION_START (${float(f.invocationTimeFromFunctionStartS)}) s and ` +
      `FINISH_TIME_FROM_INVOCATION_START (${float(f.finishTimeFromInvocationStartS)}) s ` +
      `INIT_LATENCY_FROM_CLIENT (${orNA(f.initLatencyFromClientS)}) s`
    );
  },

  executed(f: ExecutedFields): string {
    return `EXECUTED: INSTANCE (${f.instance}) with USER_EXECUTION_TIME (${float(f.userExecutionTimeS)}) s and TOTAL_EXECUTION_TIME (${float(f.totalExecutionTimeS)}) s`;
  },

  invokingSuccessor(f: {
    instance: string;
    successor: string;
    payloadSizeGb: number;
    taint: string;
    provider: string;
    region: string;
    successorInvoked: boolean;
    invocationTimeFromFunctionStartS: number;
    finishTimeFromInvocationStartS: number;
    upload?: SyncUploadFields;
  }): string {
    let message =
      `INVOKING_SUCCESSOR: INSTANCE (${f.instance}) potentially calling SUCCESSOR (${f.successor}) with ` +
      `PAYLOAD_SIZE (${float(f.payloadSizeGb)}) GB and TAINT (${f.taint}) to PROVIDER (${f.provider}) and REGION (${f.region}) ` +
      `SUCCESSOR_INVOKED (${bool(f.successorInvoked)}) at INVOCATION_TIME_FROM_FUNCTION_START (${float(f.invocationTimeFromFunctionStartS)}) s ` +
      `and FINISH_TIME_FROM_INVOCATION_START (${float(f.finishTimeFromInvocationStartS)}) s ` +
      `UPLOADED_DATA_TO_SYNC_TABLE (${bool(f.upload !== undefined)})`;
    if (f.upload) {
      message +=
        ` UPLOAD_DATA_SIZE (${float(f.upload.uploadSizeGb)}) GB consuming CONSUMED_WRITE_CAPACITY (${float(f.upload.consumedWriteCapacity)}) ` +
        `loaded SYNC_DATA_RESPONSE_SIZE (${float(f.upload.syncDataResponseSizeGb)}) GB with UPLOAD_RTT (${float(f.upload.uploadRttS)}) s`;
    }
    return message;
  },

  invokingSyncNode(f: {
    instance: string;
    successor: string;
    predecessor: string;
    syncNode: string;
    successorInvoked: boolean;
    payloadSizeGb: number;
    syncDataResponseSizeGb: number;
    consumedWriteCapacity: number;
    taint: string | null;
    provider: string;
    region: string;
    invocationTimeFromFunctionStartS: number;
    finishTimeFromInvocationStartS: number;
    callStartToFinishS: number;
  }): string {
    return (
      `INVOKING_SYNC_NODE: INSTANCE (${f.instance}) to SUCCESSOR (${f.successor}) for PREDECESSOR_INSTANCE (${f.predecessor}) ` +
      `calling SYNC_NODE (${f.syncNode}) where SUCCESSOR_INVOKED (${bool(f.successorInvoked)}) with ` +
      `PAYLOAD_SIZE (${float(f.payloadSizeGb)}) GB and SYNC_DATA_RESPONSE_SIZE (${float(f.syncDataResponseSizeGb)}) GB and ` +
      `CONSUMED_WRITE_CAPACITY (${float(f.consumedWriteCapacity)}) with TAINT (${f.taint ?? 'None'}) to PROVIDER (${f.provider}) ` +
      `and REGION (${f.region}) with INVOCATION_TIME_FROM_FUNCTION_START (${float(f.invocationTimeFromFunctionStartS)}) s and ` +
      `FINISH_TIME_FROM_INVOCATION_START (${float(f.finishTimeFromInvocationStartS)}) s and CALL_START_TO_FINISH (${float(f.callStartToFinishS)}) s`
    );
  },

  conditionalNonExecution(f: {
    instance: string;
    successor: string;
    consumedWriteCapacity: number;
    syncDataResponseSizeGb: number;
    provider: string;
    region: string;
    invocationTimeFromFunctionStartS: number;
    finishTimeFromInvocationStartS: number;
  }): string {
    return (
      `CONDITIONAL_NON_EXECUTION: INSTANCE (${f.instance}) calling SUCCESSOR (${f.successor}) consuming ` +
      `CONSUMED_WRITE_CAPACITY (${float(f.consumedWriteCapacity)}) with SYNC_DATA_RESPONSE_SIZE (${float(f.syncDataResponseSizeGb)}) GB ` +
      `to PROVIDER (${f.provider}) and REGION (${f.region}) with INVOCATION_TIME_FROM_FUNCTION_START (${float(f.invocationTimeFromFunctionStartS)}) s ` +
      `and FINISH_TIME_FROM_INVOCATION_START (${float(f.finishTimeFromInvocationStartS)}) s`
    );
  },

  downloadDataFromSyncTable(f: { instance: string; downloadSizeGb: number; consumedReadCapacity: number; downloadTimeS: number }): string {
    return (
      `DOWNLOAD_DATA_FROM_SYNC_TABLE: INSTANCE (${f.instance}) loaded SYNC_NODE_PREDECESSOR_DATA with ` +
      `DOWNLOAD_SIZE (${float(f.downloadSizeGb)}) GB and CONSUMED_READ_CAPACITY (${float(f.consumedReadCapacity)}) ` +
      `and taken DOWNLOAD_TIME (${float(f.downloadTimeS)}) s`
    );
  },

  usedCpuModel(f: { cpuModel: string; instance: string; fromRedirector: boolean }): string {
    return `USED_CPU_MODEL: CPU_MODEL (${sanitizeLogValue(f.cpuModel)}) used in INSTANCE (${f.instance}) and from FROM_REDIRECTOR (${bool(f.fromRedirector)})`;
  },

  clientCodeException(f: { instance: string; error: string }): string {
    const oneLine = sanitizeLogValue(f.error).replace(/\s*\n\s*/g, ' ');
    return `CLIENT_CODE_EXCEPTION: Client Code Exception! INSTANCE (${f.instance}) raised EXCEPTION (${oneLine})`;
  },

  debugPayloadTooLarge(f: { payloadSizeGb: number; payloadSizeBytes: number; limitBytes: number }): string {
    return `DEBUG_MESSAGE: PAYLOAD_SIZE (${float(f.payloadSizeGb)}) GB PAYLOAD_SIZE_BYTE (${int(f.payloadSizeBytes)}) BytesExceeds the limit of ${int(f.limitBytes)} bytes`;
  },

  exceedHopError(f: { hops: number; maximum: number }): string {
    return `EXCEED_HOP_ERROR: NUMBER_OF_HOPS_FROM_CLIENT_REQUEST (${int(f.hops)}) EXCEEDS_MAXIMUM_HOPS_FROM_CLIENT_REQUEST (${int(f.maximum)})`;
  },
};

/** `TIME (…) RUN_ID (…) MESSAGE (…) LOG_VERSION (0.0.4)`: the text `log_for_retrieval` emits. */
export function formatRetrievalText(timeMs: number, runId: string, message: string): string {
  return `TIME (${formatTime(timeMs)}) RUN_ID (${runId}) MESSAGE (${message}) LOG_VERSION (${LOG_VERSION})`;
}

/** The whole line as the Lambda runtime stores it: `[CARIBOU]\t<iso>\t<request id>\t<text>`. */
export function formatCaribouLine(timeMs: number, requestId: string, runId: string, message: string): string {
  return `[CARIBOU]\t${formatIsoMillis(timeMs)}\t${requestId}\t${formatRetrievalText(timeMs, runId, message)}`;
}

/** The platform's per-invocation line the log syncer reads (duration, memory, cold start). */
export function formatReportLine(f: {
  requestId: string;
  durationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number;
}): string {
  const billed = Math.max(1, Math.ceil(f.durationMs));
  let line =
    `REPORT RequestId: ${f.requestId}\tDuration: ${f.durationMs.toFixed(2)} ms\tBilled Duration: ${billed} ms\t` +
    `Memory Size: ${f.memorySizeMb} MB\tMax Memory Used: ${Math.round(f.maxMemoryUsedMb)} MB\t`;
  if (f.initDurationMs !== undefined) line += `Init Duration: ${f.initDurationMs.toFixed(2)} ms\t`;
  return line;
}
