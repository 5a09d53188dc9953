import {
  boolField,
  floatField,
  floatOrNotAvailableField,
  optionalField,
  parsePythonFloat,
  stringField,
} from './message-fields';
import { MalformedLogError } from './malformed-log-error';

/**
 * The `MESSAGE (…)` part of a `[CARIBOU]` line, typed per marker (reference-system §3.7).
 * Only the fields the log syncer reads are kept; sizes in GB, times in seconds.
 */
export type CaribouMessage =
  | EntryPointMessage
  | RetrieveWpdMessage
  | RedirectMessage
  | InvokedMessage
  | ExecutedMessage
  | InvokingSuccessorMessage
  | InvokingSyncNodeMessage
  | ConditionalNonExecutionMessage
  | UsedCpuModelMessage
  | DownloadDataFromSyncTableMessage
  | ClientCodeExceptionMessage
  | IgnoredMessage
  | UntrackedMessage;

export interface EntryPointMessage {
  marker: 'ENTRY_POINT';
  instance: string;
  userPayloadSizeGb: number;
  redirected: boolean;
  /** null when the writer printed N/A (no client time in the request). */
  initLatencyFromClientS: number | null;
  initLatencyFirstReceivedS: number;
  timeFromFunctionStartS: number;
  requestSource: string;
  wpdSizeGb: number;
  consumedReadCapacity: number;
  overriddenWpdSizeGb?: number;
}

export interface RetrieveWpdMessage {
  marker: 'RETRIVE_WPD';
  retrievedFromPlatform: boolean;
}

export interface RedirectMessage {
  marker: 'REDIRECT';
  instance: string;
  toProvider: string;
  toRegion: string;
  inputPayloadSizeGb: number;
  outputPayloadSizeGb: number;
  taint: string;
  invocationTimeFromFunctionStartS: number;
  finishTimeFromInvocationStartS: number;
  initLatencyFromClientS: number | null;
}

export interface InvokedMessage {
  marker: 'INVOKED';
  taint: string;
}

export interface ExecutedMessage {
  marker: 'EXECUTED';
  instance: string;
  userExecutionTimeS: number;
  totalExecutionTimeS: number;
}

export interface SyncUpload {
  uploadSizeGb: number;
  consumedWriteCapacity: number;
  syncDataResponseSizeGb: number;
  uploadRttS: number;
}

export interface InvokingSuccessorMessage {
  marker: 'INVOKING_SUCCESSOR';
  instance: string;
  successor: string;
  payloadSizeGb: number;
  taint: string;
  provider: string;
  region: string;
  successorInvoked: boolean;
  invocationTimeFromFunctionStartS: number;
  finishTimeFromInvocationStartS: number;
  /** Present iff UPLOADED_DATA_TO_SYNC_TABLE (True). */
  upload?: SyncUpload;
}

export interface InvokingSyncNodeMessage {
  marker: 'INVOKING_SYNC_NODE';
  instance: string;
  successor: string;
  predecessorInstance: string;
  syncNode: string;
  successorInvoked: boolean;
  payloadSizeGb: number;
  syncDataResponseSizeGb: number;
  consumedWriteCapacity: number;
  taint: string;
  provider: string;
  region: string;
}

export interface ConditionalNonExecutionMessage {
  marker: 'CONDITIONAL_NON_EXECUTION';
  instance: string;
  successor: string;
  consumedWriteCapacity: number;
  syncDataResponseSizeGb: number;
  provider: string;
  region: string;
  invocationTimeFromFunctionStartS: number;
}

export interface UsedCpuModelMessage {
  marker: 'USED_CPU_MODEL';
  instance: string;
  /** With `<`/`>` turned back into `(`/`)`. */
  cpuModel: string;
  fromRedirector: boolean;
}

export interface DownloadDataFromSyncTableMessage {
  marker: 'DOWNLOAD_DATA_FROM_SYNC_TABLE';
  instance: string;
  downloadSizeGb: number;
  consumedReadCapacity: number;
  downloadTimeS: number;
}

export interface ClientCodeExceptionMessage {
  marker: 'CLIENT_CODE_EXCEPTION';
}

/** Markers the syncer reads past on purpose (DEBUG_MESSAGE). */
export interface IgnoredMessage {
  marker: 'DEBUG_MESSAGE';
}

/** Any other marker (EXCEED_HOP_ERROR, unknown ones): counted, otherwise ignored. */
export interface UntrackedMessage {
  marker: 'UNTRACKED';
  name: string;
}

type MessageParser = (message: string) => CaribouMessage;

const parsers: Record<string, MessageParser> = {
  ENTRY_POINT: (m) => {
    const overridden = optionalField(m, 'OVERRIDEN_WORKFLOW_PLACEMENT_SIZE');
    const parsed: EntryPointMessage = {
      marker: 'ENTRY_POINT',
      instance: stringField(m, 'INSTANCE'),
      userPayloadSizeGb: floatField(m, 'USER_PAYLOAD_SIZE'),
      redirected: boolField(m, 'REDIRECTED'),
      initLatencyFromClientS: floatOrNotAvailableField(m, 'INIT_LATENCY_FROM_CLIENT'),
      initLatencyFirstReceivedS: floatField(m, 'INIT_LATENCY_FIRST_RECIEVED'),
      timeFromFunctionStartS: floatField(m, 'TIME_FROM_FUNCTION_START'),
      requestSource: stringField(m, 'REQUEST_SOURCE'),
      wpdSizeGb: floatField(m, 'WORKFLOW_PLACEMENT_DECISION_SIZE'),
      consumedReadCapacity: floatField(m, 'CONSUMED_READ_CAPACITY'),
    };
    if (overridden !== undefined) {
      const value = parsePythonFloat(overridden);
      if (value === undefined) throw new MalformedLogError(`field OVERRIDEN_WORKFLOW_PLACEMENT_SIZE is not a number: '${overridden}'`);
      parsed.overriddenWpdSizeGb = value;
    }
    return parsed;
  },
  RETRIVE_WPD: (m) => ({ marker: 'RETRIVE_WPD', retrievedFromPlatform: boolField(m, 'RETRIEVED_PLACEMENT_DECISION_FROM_PLATFORM') }),
  REDIRECT: (m) => ({
    marker: 'REDIRECT',
    instance: stringField(m, 'REDIRECTING_INSTANCE'),
    toProvider: stringField(m, 'TO_PROVIDER'),
    toRegion: stringField(m, 'TO_REGION'),
    inputPayloadSizeGb: floatField(m, 'INPUT_PAYLOAD_SIZE'),
    outputPayloadSizeGb: floatField(m, 'OUTPUT_PAYLOAD_SIZE'),
    taint: stringField(m, 'TAINT'),
    invocationTimeFromFunctionStartS: floatField(m, 'INVOCATION_TIME_FROM_FUNCTION_START'),
    finishTimeFromInvocationStartS: floatField(m, 'FINISH_TIME_FROM_INVOCATION_START'),
    initLatencyFromClientS: floatOrNotAvailableField(m, 'INIT_LATENCY_FROM_CLIENT'),
  }),
  INVOKED: (m) => ({ marker: 'INVOKED', taint: stringField(m, 'TAINT') }),
  EXECUTED: (m) => ({
    marker: 'EXECUTED',
    instance: stringField(m, 'INSTANCE'),
    userExecutionTimeS: floatField(m, 'USER_EXECUTION_TIME'),
    totalExecutionTimeS: floatField(m, 'TOTAL_EXECUTION_TIME'),
  }),
  INVOKING_SUCCESSOR: (m) => {
    const parsed: InvokingSuccessorMessage = {
      marker: 'INVOKING_SUCCESSOR',
      instance: stringField(m, 'INSTANCE'),
      successor: stringField(m, 'SUCCESSOR'),
      payloadSizeGb: floatField(m, 'PAYLOAD_SIZE'),
      taint: stringField(m, 'TAINT'),
      provider: stringField(m, 'PROVIDER'),
      region: stringField(m, 'REGION'),
      successorInvoked: boolField(m, 'SUCCESSOR_INVOKED'),
      invocationTimeFromFunctionStartS: floatField(m, 'INVOCATION_TIME_FROM_FUNCTION_START'),
      finishTimeFromInvocationStartS: floatField(m, 'FINISH_TIME_FROM_INVOCATION_START'),
    };
    if (boolField(m, 'UPLOADED_DATA_TO_SYNC_TABLE')) {
      parsed.upload = {
        uploadSizeGb: floatField(m, 'UPLOAD_DATA_SIZE'),
        consumedWriteCapacity: floatField(m, 'CONSUMED_WRITE_CAPACITY'),
        syncDataResponseSizeGb: floatField(m, 'SYNC_DATA_RESPONSE_SIZE'),
        uploadRttS: floatField(m, 'UPLOAD_RTT'),
      };
    }
    return parsed;
  },
  INVOKING_SYNC_NODE: (m) => ({
    marker: 'INVOKING_SYNC_NODE',
    instance: stringField(m, 'INSTANCE'),
    successor: stringField(m, 'SUCCESSOR'),
    predecessorInstance: stringField(m, 'PREDECESSOR_INSTANCE'),
    syncNode: stringField(m, 'SYNC_NODE'),
    successorInvoked: boolField(m, 'SUCCESSOR_INVOKED'),
    payloadSizeGb: floatField(m, 'PAYLOAD_SIZE'),
    syncDataResponseSizeGb: floatField(m, 'SYNC_DATA_RESPONSE_SIZE'),
    consumedWriteCapacity: floatField(m, 'CONSUMED_WRITE_CAPACITY'),
    taint: stringField(m, 'TAINT'),
    provider: stringField(m, 'PROVIDER'),
    region: stringField(m, 'REGION'),
  }),
  CONDITIONAL_NON_EXECUTION: (m) => ({
    marker: 'CONDITIONAL_NON_EXECUTION',
    instance: stringField(m, 'INSTANCE'),
    successor: stringField(m, 'SUCCESSOR'),
    consumedWriteCapacity: floatField(m, 'CONSUMED_WRITE_CAPACITY'),
    syncDataResponseSizeGb: floatField(m, 'SYNC_DATA_RESPONSE_SIZE'),
    provider: stringField(m, 'PROVIDER'),
    region: stringField(m, 'REGION'),
    invocationTimeFromFunctionStartS: floatField(m, 'INVOCATION_TIME_FROM_FUNCTION_START'),
  }),
  USED_CPU_MODEL: (m) => ({
    marker: 'USED_CPU_MODEL',
    instance: stringField(m, 'INSTANCE'),
    cpuModel: stringField(m, 'CPU_MODEL').replace(/</g, '(').replace(/>/g, ')'),
    fromRedirector: boolField(m, 'FROM_REDIRECTOR'),
  }),
  DOWNLOAD_DATA_FROM_SYNC_TABLE: (m) => ({
    marker: 'DOWNLOAD_DATA_FROM_SYNC_TABLE',
    instance: stringField(m, 'INSTANCE'),
    downloadSizeGb: floatField(m, 'DOWNLOAD_SIZE'),
    consumedReadCapacity: floatField(m, 'CONSUMED_READ_CAPACITY'),
    downloadTimeS: floatField(m, 'DOWNLOAD_TIME'),
  }),
  CLIENT_CODE_EXCEPTION: () => ({ marker: 'CLIENT_CODE_EXCEPTION' }),
  DEBUG_MESSAGE: () => ({ marker: 'DEBUG_MESSAGE' }),
};

/**
 * Parses one message by its marker (the text before the first `:`). The reference
 * dispatches with `startswith`, so `INVOKED_SYNCHRONOUSLY` would be read as INVOKED and
 * break; an exact marker makes it an untracked message instead.
 * Throws MalformedLogError when a field the marker needs is missing or garbled.
 */
export function parseCaribouMessage(message: string): CaribouMessage {
  const colon = message.indexOf(':');
  const name = colon < 0 ? message : message.slice(0, colon);
  const parser = parsers[name];
  if (parser === undefined) return { marker: 'UNTRACKED', name };
  return parser(message);
}
