import type { WorkflowPlacementDecision } from '@caribou/domain-workflow';
import type { RunDecision } from './run-decision';

/** The message that reaches a workflow function (client, redirect or predecessor). */
export interface Envelope {
  payload?: unknown;
  time_request_sent?: string;
  /** This framework sends a run decision; a decision in the reference's shape is accepted too. */
  workflow_placement_decision?: RunDecision | WorkflowPlacementDecision;
  transmission_taint?: string;
  number_of_hops_from_client_request?: number;
  permit_redirection?: boolean;
  redirected?: boolean;
  request_source?: string;
  run_id?: string;
  debug_workflow_placement_override?: { workflow_placement_decision?: WorkflowPlacementDecision };
}

/** The client's first message, with the reference's key order (reference-system §5.1). */
export function clientEnvelope(input: { payload: unknown; timeRequestSent: string; decision: RunDecision }): Envelope {
  return {
    payload: input.payload,
    time_request_sent: input.timeRequestSent,
    workflow_placement_decision: input.decision,
    number_of_hops_from_client_request: 0,
    permit_redirection: false,
    redirected: false,
    request_source: 'Caribou CLI',
  };
}

/** A successor message: the run's decision travels, addressed to the successor instance. */
export function successorEnvelope(input: {
  decision: RunDecision;
  successorInstance: string;
  taint: string;
  hops: number;
  payload?: unknown;
  includePayload: boolean;
}): Envelope {
  const envelope: Envelope = {
    workflow_placement_decision: { ...input.decision, current_instance_name: input.successorInstance },
    transmission_taint: input.taint,
    number_of_hops_from_client_request: input.hops,
  };
  if (input.includePayload) envelope.payload = input.payload;
  return envelope;
}
