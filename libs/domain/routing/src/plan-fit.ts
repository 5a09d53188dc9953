import { CaribouError, formatTime, MAX_STORED_VALUE_SIZE, MAX_TRANSFER_SIZE, utf8Length } from '@caribou/domain-common';
import { serializePlacementDecision, type WorkflowPlacementDecision } from '@caribou/domain-workflow';
import { clientEnvelope } from './envelope';
import { encodePayload } from './payload-codec';
import { runDecisionOf } from './run-decision';
import { NO_TIME_KEY } from './time-key';

/** Run fields as long as they get (a 32-hex run id, GB sizes printed with 17 digits). */
const LONGEST_RUN_FIELDS = {
  run_id: 'f'.repeat(32),
  send_to_home_region: false,
  data_size: 3.8370490074157715e-7,
  consumed_read_capacity: 0.5,
  user_payload_size: 3.8370490074157715e-7,
  overriden_workflow_placement_size: 3.8370490074157715e-7,
};

/**
 * UTF-8 bytes of the largest message of a run under the plan of `timeKey` (home for "N/A"),
 * before any payload: the client's first message, as a redirect forwards it (with a taint).
 * Successor messages carry the same decision with fewer envelope fields.
 */
export function emptyRunMessageBytes(wpd: WorkflowPlacementDecision, timeKey: string): number {
  const decision = runDecisionOf(wpd, { ...LONGEST_RUN_FIELDS, time_key: timeKey });
  const envelope = {
    ...clientEnvelope({ payload: '', timeRequestSent: formatTime(Date.UTC(2024, 0, 1)), decision }),
    redirected: true,
    transmission_taint: 'f'.repeat(32),
  };
  return utf8Length(encodePayload(envelope));
}

export interface PlanSize {
  /** The stored row (compact encoding). */
  storedBytes: number;
  /** The largest payload-less message over the home deployment and every time key. */
  largestMessage: { timeKey: string; bytes: number };
}

export function measurePlan(wpd: WorkflowPlacementDecision): PlanSize {
  let largest = { timeKey: NO_TIME_KEY, bytes: emptyRunMessageBytes(wpd, NO_TIME_KEY) };
  for (const timeKey of wpd.workflow_placement.current_deployment?.time_keys ?? []) {
    const bytes = emptyRunMessageBytes(wpd, timeKey);
    if (bytes > largest.bytes) largest = { timeKey, bytes };
  }
  return { storedBytes: utf8Length(serializePlacementDecision(wpd)), largestMessage: largest };
}

/**
 * Refuses, in one line naming the size and the limit, a decision that a run could not carry
 * (its messages would pass the 256,000-byte limit before any payload) or that one stored
 * row could not hold.
 */
export function checkPlanFits(wpd: WorkflowPlacementDecision, subject: string): PlanSize {
  const size = measurePlan(wpd);
  const { timeKey, bytes } = size.largestMessage;
  if (bytes > MAX_TRANSFER_SIZE) {
    const hour = timeKey === NO_TIME_KEY ? 'the home deployment' : `time key ${timeKey}`;
    throw new CaribouError(
      `${subject}: its placement decision would make every message of a run ${bytes} bytes before any payload (${hour}), over the ${MAX_TRANSFER_SIZE}-byte message limit`,
    );
  }
  if (size.storedBytes > MAX_STORED_VALUE_SIZE) {
    throw new CaribouError(
      `${subject}: its stored placement decision would be ${size.storedBytes} bytes, over the ${MAX_STORED_VALUE_SIZE}-byte limit of a stored row (a DynamoDB item holds 400 KB)`,
    );
  }
  return size;
}

/**
 * The error for a message over the 256,000-byte limit, naming which part is large: the
 * user's data (the run's argument, a successor's payload) or the placement decision.
 */
export function oversizeMessageError(input: {
  /** "The first message of the run", "Message to resize". */
  message: string;
  bytes: number;
  dataLabel: 'argument' | 'payload';
  dataBytes: number;
  decisionBytes: number;
}): CaribouError {
  const fix =
    input.dataBytes >= input.decisionBytes
      ? `pass large ${input.dataLabel === 'argument' ? 'input' : 'data'} by reference (e.g. an object store key)`
      : 'the placement decision is the large part: the workflow has too many instances (one per call site) to route in one message';
  return new CaribouError(
    `${input.message} is ${input.bytes} bytes, over the limit of ${MAX_TRANSFER_SIZE} bytes: the ${input.dataLabel} is ${input.dataBytes} bytes and the placement decision ${input.decisionBytes} bytes; ${fix}`,
  );
}
