import type { EntryPointFields, ExecutedFields, SyncUploadFields } from './log-messages';
import { MessageFields, parsePythonFloat } from './message-fields';
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

/** The writer's fields (the workflow id is only prose in the line, not a field). */
export interface EntryPointMessage extends Omit<EntryPointFields, 'workflowId'> {
  marker: 'ENTRY_POINT';
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

export interface ExecutedMessage extends ExecutedFields {
  marker: 'EXECUTED';
}

export type SyncUpload = SyncUploadFields;

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

type MessageParser = (fields: MessageFields) => CaribouMessage;

const parsers: Record<string, MessageParser> = {
  ENTRY_POINT: (m) => {
    const overridden = m.optional('OVERRIDEN_WORKFLOW_PLACEMENT_SIZE');
    const parsed: EntryPointMessage = {
      marker: 'ENTRY_POINT',
      instance: m.string('INSTANCE'),
      userPayloadSizeGb: m.float('USER_PAYLOAD_SIZE'),
      redirected: m.bool('REDIRECTED'),
      initLatencyFromClientS: m.floatOrNotAvailable('INIT_LATENCY_FROM_CLIENT'),
      initLatencyFirstReceivedS: m.float('INIT_LATENCY_FIRST_RECIEVED'),
      timeFromFunctionStartS: m.float('TIME_FROM_FUNCTION_START'),
      requestSource: m.string('REQUEST_SOURCE'),
      wpdSizeGb: m.float('WORKFLOW_PLACEMENT_DECISION_SIZE'),
      consumedReadCapacity: m.float('CONSUMED_READ_CAPACITY'),
    };
    if (overridden !== undefined) {
      const value = parsePythonFloat(overridden);
      if (value === undefined) throw new MalformedLogError(`field OVERRIDEN_WORKFLOW_PLACEMENT_SIZE is not a number: '${overridden}'`);
      parsed.overriddenWpdSizeGb = value;
    }
    return parsed;
  },
  RETRIVE_WPD: (m) => ({ marker: 'RETRIVE_WPD', retrievedFromPlatform: m.bool('RETRIEVED_PLACEMENT_DECISION_FROM_PLATFORM') }),
  REDIRECT: (m) => ({
    marker: 'REDIRECT',
    instance: m.string('REDIRECTING_INSTANCE'),
    toProvider: m.string('TO_PROVIDER'),
    toRegion: m.string('TO_REGION'),
    inputPayloadSizeGb: m.float('INPUT_PAYLOAD_SIZE'),
    outputPayloadSizeGb: m.float('OUTPUT_PAYLOAD_SIZE'),
    taint: m.string('TAINT'),
    invocationTimeFromFunctionStartS: m.float('INVOCATION_TIME_FROM_FUNCTION_START'),
    finishTimeFromInvocationStartS: m.float('FINISH_TIME_FROM_INVOCATION_START'),
    initLatencyFromClientS: m.floatOrNotAvailable('INIT_LATENCY_FROM_CLIENT'),
  }),
  INVOKED: (m) => ({ marker: 'INVOKED', taint: m.string('TAINT') }),
  EXECUTED: (m) => ({
    marker: 'EXECUTED',
    instance: m.string('INSTANCE'),
    userExecutionTimeS: m.float('USER_EXECUTION_TIME'),
    totalExecutionTimeS: m.float('TOTAL_EXECUTION_TIME'),
  }),
  INVOKING_SUCCESSOR: (m) => {
    const parsed: InvokingSuccessorMessage = {
      marker: 'INVOKING_SUCCESSOR',
      instance: m.string('INSTANCE'),
      successor: m.string('SUCCESSOR'),
      payloadSizeGb: m.float('PAYLOAD_SIZE'),
      taint: m.string('TAINT'),
      provider: m.string('PROVIDER'),
      region: m.string('REGION'),
      successorInvoked: m.bool('SUCCESSOR_INVOKED'),
      invocationTimeFromFunctionStartS: m.float('INVOCATION_TIME_FROM_FUNCTION_START'),
      finishTimeFromInvocationStartS: m.float('FINISH_TIME_FROM_INVOCATION_START'),
    };
    if (m.bool('UPLOADED_DATA_TO_SYNC_TABLE')) {
      parsed.upload = {
        uploadSizeGb: m.float('UPLOAD_DATA_SIZE'),
        consumedWriteCapacity: m.float('CONSUMED_WRITE_CAPACITY'),
        syncDataResponseSizeGb: m.float('SYNC_DATA_RESPONSE_SIZE'),
        uploadRttS: m.float('UPLOAD_RTT'),
      };
    }
    return parsed;
  },
  INVOKING_SYNC_NODE: (m) => ({
    marker: 'INVOKING_SYNC_NODE',
    instance: m.string('INSTANCE'),
    successor: m.string('SUCCESSOR'),
    predecessorInstance: m.string('PREDECESSOR_INSTANCE'),
    syncNode: m.string('SYNC_NODE'),
    successorInvoked: m.bool('SUCCESSOR_INVOKED'),
    payloadSizeGb: m.float('PAYLOAD_SIZE'),
    syncDataResponseSizeGb: m.float('SYNC_DATA_RESPONSE_SIZE'),
    consumedWriteCapacity: m.float('CONSUMED_WRITE_CAPACITY'),
    taint: m.string('TAINT'),
    provider: m.string('PROVIDER'),
    region: m.string('REGION'),
  }),
  CONDITIONAL_NON_EXECUTION: (m) => ({
    marker: 'CONDITIONAL_NON_EXECUTION',
    instance: m.string('INSTANCE'),
    successor: m.string('SUCCESSOR'),
    consumedWriteCapacity: m.float('CONSUMED_WRITE_CAPACITY'),
    syncDataResponseSizeGb: m.float('SYNC_DATA_RESPONSE_SIZE'),
    provider: m.string('PROVIDER'),
    region: m.string('REGION'),
    invocationTimeFromFunctionStartS: m.float('INVOCATION_TIME_FROM_FUNCTION_START'),
  }),
  USED_CPU_MODEL: (m) => ({
    marker: 'USED_CPU_MODEL',
    instance: m.string('INSTANCE'),
    cpuModel: m.string('CPU_MODEL').replace(/</g, '(').replace(/>/g, ')'),
    fromRedirector: m.bool('FROM_REDIRECTOR'),
  }),
  DOWNLOAD_DATA_FROM_SYNC_TABLE: (m) => ({
    marker: 'DOWNLOAD_DATA_FROM_SYNC_TABLE',
    instance: m.string('INSTANCE'),
    downloadSizeGb: m.float('DOWNLOAD_SIZE'),
    consumedReadCapacity: m.float('CONSUMED_READ_CAPACITY'),
    downloadTimeS: m.float('DOWNLOAD_TIME'),
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
  return parser(new MessageFields(message));
}
