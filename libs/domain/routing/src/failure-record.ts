import { CaribouError } from '@caribou/domain-common';
import { RunPlacement } from './run-decision';

/**
 * An asynchronous invocation the platform gave up on (retries exhausted, or the event
 * expired in its queue), as Caribou keeps it: which run and instance, where, and why.
 */
export interface FailedInvocation {
  run_id: string;
  instance: string;
  /** The function copy's name (the last part of its identifier). */
  function_name: string;
  /** `<provider>:<region>` of the copy. */
  region: string;
  error: string;
  /** `RetriesExhausted` or `EventAgeExceeded` (Lambda's words). */
  condition: string;
  attempts: number;
  /** ISO-8601 time the platform wrote the record. */
  failed_at: string;
  request_id: string;
}

/**
 * The invocation record Lambda sends to an on-failure destination (the shape documented in
 * "Capturing records of Lambda asynchronous invocations",
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html); the
 * local provider writes the same shape with its own function identifiers.
 */
export interface InvocationRecord {
  version?: string;
  timestamp: string;
  requestContext: { requestId: string; functionArn: string; condition: string; approximateInvokeCount: number };
  /** The event as the function received it (Lambda leaves it out when the record would be too large). */
  requestPayload?: unknown;
  responseContext?: { statusCode?: number; executedVersion?: string; functionError?: string };
  responsePayload?: unknown;
}

/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]` or the local `local:<region>:<name>`. */
function functionOf(identifier: string): { provider: string; region: string; name: string } | undefined {
  const arn = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):\d*:function:([^:]+)(?::.*)?$/.exec(identifier);
  if (arn) return { provider: 'aws', region: arn[1]!, name: arn[2]! };
  const local = /^(?!arn:)([a-z0-9]+):([a-z0-9-]+):(.+)$/.exec(identifier);
  if (local) return { provider: local[1]!, region: local[2]!, name: local[3]! };
  return undefined;
}

/** What the function answered on its last attempt: Lambda's `errorType: errorMessage`, or why there was no attempt. */
function errorOf(record: InvocationRecord): string {
  const response = record.responsePayload;
  if (response && typeof response === 'object') {
    const { errorType, errorMessage } = response as { errorType?: unknown; errorMessage?: unknown };
    if (typeof errorMessage === 'string') return typeof errorType === 'string' && errorType ? `${errorType}: ${errorMessage}` : errorMessage;
  }
  if (typeof response === 'string' && response) return response;
  if (record.requestContext.condition === 'EventAgeExceeded') return 'the event waited in the platform queue longer than maximum_event_age and was never run';
  return record.responseContext?.functionError ? `${record.responseContext.functionError} function error` : record.requestContext.condition;
}

/** The run and instance the failed event was addressed to, from its placement decision. */
function addresseeOf(payload: unknown): { runId: string; instance: string } {
  let event = payload;
  if (typeof event === 'string') {
    try {
      event = JSON.parse(event) as unknown;
    } catch {
      return { runId: 'UNKNOWN', instance: '' };
    }
  }
  const decision = (event as { workflow_placement_decision?: unknown } | null)?.workflow_placement_decision;
  if (decision === undefined) return { runId: 'UNKNOWN', instance: '' };
  try {
    const plan = RunPlacement.fromMessage(decision);
    return { runId: plan.decision.run_id, instance: plan.currentInstance };
  } catch {
    return { runId: 'UNKNOWN', instance: '' };
  }
}

/** Reads one destination message; throws one line naming what is wrong with it. */
export function failedInvocationOf(body: string): FailedInvocation {
  let record: InvocationRecord;
  try {
    record = JSON.parse(body) as InvocationRecord;
  } catch {
    throw new CaribouError(`not an invocation record (not JSON): ${body.slice(0, 80)}`);
  }
  const context = record?.requestContext;
  if (!context || typeof context !== 'object' || typeof context.functionArn !== 'string') {
    throw new CaribouError('not an invocation record: requestContext.functionArn is missing');
  }
  const fn = functionOf(context.functionArn);
  if (!fn) throw new CaribouError(`not an invocation record of a function: requestContext.functionArn is ${JSON.stringify(context.functionArn)}`);
  const { runId, instance } = addresseeOf(record.requestPayload);
  return {
    run_id: runId,
    instance,
    function_name: fn.name,
    region: `${fn.provider}:${fn.region}`,
    error: errorOf(record),
    condition: typeof context.condition === 'string' ? context.condition : 'unknown',
    attempts: Number.isFinite(context.approximateInvokeCount) ? context.approximateInvokeCount : 0,
    failed_at: typeof record.timestamp === 'string' ? record.timestamp : '',
    request_id: typeof context.requestId === 'string' ? context.requestId : '',
  };
}
