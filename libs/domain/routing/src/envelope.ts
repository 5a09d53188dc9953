import type { WorkflowPlacementDecision } from '@caribou/domain-workflow';

/** The message that reaches a workflow function (client, redirect or predecessor). */
export interface Envelope {
  payload?: unknown;
  time_request_sent?: string;
  workflow_placement_decision?: WorkflowPlacementDecision;
  transmission_taint?: string;
  number_of_hops_from_client_request?: number;
  permit_redirection?: boolean;
  redirected?: boolean;
  request_source?: string;
  run_id?: string;
  debug_workflow_placement_override?: { workflow_placement_decision?: WorkflowPlacementDecision };
}

/** The client's first message, with the reference's key order (reference-system §5.1). */
export function clientEnvelope(input: { payload: unknown; timeRequestSent: string; wpd: WorkflowPlacementDecision }): Envelope {
  return {
    payload: input.payload,
    time_request_sent: input.timeRequestSent,
    workflow_placement_decision: input.wpd,
    number_of_hops_from_client_request: 0,
    permit_redirection: false,
    redirected: false,
    request_source: 'Caribou CLI',
  };
}

/** A successor message: the whole placement decision travels, addressed to the successor instance. */
export function successorEnvelope(input: {
  wpd: WorkflowPlacementDecision;
  successorInstance: string;
  taint: string;
  hops: number;
  payload?: unknown;
  includePayload: boolean;
}): Envelope {
  const envelope: Envelope = {
    workflow_placement_decision: { ...input.wpd, current_instance_name: input.successorInstance },
    transmission_taint: input.taint,
    number_of_hops_from_client_request: input.hops,
  };
  if (input.includePayload) envelope.payload = input.payload;
  return envelope;
}
