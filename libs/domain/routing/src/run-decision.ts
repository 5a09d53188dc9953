import { CaribouError, utf8Length } from '@caribou/domain-common';
import {
  checkCopies,
  checkEncodedDag,
  checkRegions,
  decodeAddress,
  encodeAddresses,
  encodeDag,
  FieldChecker,
  placementDecisionOf,
  type EncodedCopy,
  type EncodedDag,
  type InstancePlacement,
  type PlacementInstance,
  type RegionAddressing,
  type WorkflowPlacementDecision,
} from '@caribou/domain-workflow';
import { NO_TIME_KEY } from './time-key';

/**
 * What a message carries of the placement decision: the DAG (instances named once, lists
 * of indices) and where each instance runs *in this run* — one placement, the one the run's
 * time key (or the home deployment) selects — instead of the whole decision with every hour
 * (the reference's choice, reference-system §3.4). The client or the entry point reads the
 * stored decision once per run and builds this; every function after it routes from the
 * message alone, so no function reads the store again and a plan published mid-run does
 * not change a run that already started.
 */
export const RUN_DECISION_FORMAT = 'caribou-ts/run-placement@1';

/** The per-run fields, named as in the reference's decision so log and metadata code reads the same. */
export interface RunFields {
  run_id: string;
  time_key: string;
  send_to_home_region: boolean;
  data_size?: number;
  consumed_read_capacity?: number;
  user_payload_size?: number;
  overriden_workflow_placement_size?: number;
}

export interface RunDecision extends RunFields, EncodedDag {
  format: typeof RUN_DECISION_FORMAT;
  plan_version: number;
  current_instance_name: string;
  regions: RegionAddressing[];
  /** The copy each instance runs on in this run, one per instance. */
  placement: EncodedCopy[];
}

/** Neighbours of an instance: what successor resolution and fan-in bookkeeping read. */
export type InstanceLinks = Pick<PlacementInstance, 'succeeding_instances' | 'preceding_instances' | 'dependent_sync_predecessors'>;

export interface InstanceGraph {
  links(instance: string): InstanceLinks | undefined;
}

/**
 * Where `instance` runs in a run: the home deployment when the run was sent home (10 % of
 * runs keep home data fresh), when there is no usable plan (time key "N/A"), or when the
 * plan does not place the instance; otherwise the plan of the run's time key.
 */
export function placementForRun(
  wpd: WorkflowPlacementDecision,
  instance: string,
  run: Pick<RunFields, 'time_key' | 'send_to_home_region'>,
): InstancePlacement {
  const current = wpd.workflow_placement.current_deployment;
  if (!run.send_to_home_region && current && run.time_key !== NO_TIME_KEY) {
    const planned = current.instances[run.time_key]?.[instance];
    if (planned) return planned;
  }
  const home = wpd.workflow_placement.home_deployment[instance];
  if (!home) throw new CaribouError(`placement decision has no home deployment for instance ${instance}`);
  return home;
}

/** The decision one run carries in its messages, addressed to the decision's entry point. */
export function runDecisionOf(wpd: WorkflowPlacementDecision, run: RunFields): RunDecision {
  const dag = encodeDag(wpd.instances);
  const { regions, copies } = encodeAddresses(dag.instances.map((instance) => placementForRun(wpd, instance, run)));
  return {
    format: RUN_DECISION_FORMAT,
    plan_version: wpd.plan_version ?? 0,
    ...run,
    current_instance_name: wpd.current_instance_name,
    ...dag,
    regions,
    placement: copies,
  };
}

function checkRunDecision(document: Record<string, unknown>, where: string): RunDecision {
  const check = new FieldChecker(where);
  const dag = checkEncodedDag(check, document);
  const current = check.string(document.current_instance_name, 'current_instance_name');
  if (!dag.instances.includes(current)) check.fail('current_instance_name', `${current} is not one of the instances`);
  const regions = checkRegions(check, document.regions, 'regions');
  const placement = checkCopies(check, document.placement, 'placement', regions.length);
  check.array(placement, 'placement', dag.instances.length);
  const version = document.plan_version;
  if (!Number.isInteger(version) || (version as number) < 0) check.fail('plan_version', 'Input should be a non-negative integer');
  const sendHome = typeof document.send_to_home_region === 'boolean' ? document.send_to_home_region : check.fail('send_to_home_region', 'Input should be a valid boolean');
  const decision: RunDecision = {
    format: RUN_DECISION_FORMAT,
    plan_version: version as number,
    run_id: check.string(document.run_id, 'run_id'),
    time_key: check.string(document.time_key, 'time_key'),
    send_to_home_region: sendHome,
    current_instance_name: current,
    ...dag,
    regions,
    placement,
  };
  for (const field of ['data_size', 'consumed_read_capacity', 'user_payload_size', 'overriden_workflow_placement_size'] as const) {
    const value = document[field];
    if (value === undefined) continue;
    decision[field] = typeof value === 'number' ? value : check.fail(field, 'Input should be a valid number');
  }
  return decision;
}

/** A run's decision with lookups by instance name (what the runtime routes with). */
export class RunPlacement implements InstanceGraph {
  private readonly indexOf: Map<string, number>;
  private readonly linkCache = new Map<string, InstanceLinks>();

  constructor(readonly decision: RunDecision) {
    this.indexOf = new Map(decision.instances.map((name, i) => [name, i]));
  }

  /**
   * The decision a message carries: the compact run decision, or a whole decision in the
   * reference's shape with its run fields (what the reference sends; a time key missing
   * from it means home).
   */
  static fromMessage(value: unknown, where = 'workflow_placement_decision of the message'): RunPlacement {
    const document = new FieldChecker(where).object(value, 'workflow_placement_decision');
    if (document.format === RUN_DECISION_FORMAT) return new RunPlacement(checkRunDecision(document, where));
    if ('format' in document) {
      throw new CaribouError(`${where}: format: ${JSON.stringify(document.format)} is not a run placement format this version reads (${RUN_DECISION_FORMAT})`);
    }
    const wpd = placementDecisionOf(document, where);
    const run: RunFields = {
      run_id: typeof wpd.run_id === 'string' ? wpd.run_id : 'UNKNOWN',
      time_key: typeof wpd.time_key === 'string' ? wpd.time_key : NO_TIME_KEY,
      send_to_home_region: wpd.send_to_home_region === true,
    };
    for (const field of ['data_size', 'consumed_read_capacity', 'user_payload_size', 'overriden_workflow_placement_size'] as const) {
      if (typeof wpd[field] === 'number') run[field] = wpd[field];
    }
    return new RunPlacement(runDecisionOf(wpd, run));
  }

  get currentInstance(): string {
    return this.decision.current_instance_name;
  }

  has(instance: string): boolean {
    return this.indexOf.has(instance);
  }

  links(instance: string): InstanceLinks | undefined {
    const cached = this.linkCache.get(instance);
    if (cached) return cached;
    const i = this.indexOf.get(instance);
    if (i === undefined) return undefined;
    const { instances } = this.decision;
    const links: InstanceLinks = {
      succeeding_instances: this.decision.succeeding_instances[i]!.map((j) => instances[j]!),
      preceding_instances: this.decision.preceding_instances[i]!.map((j) => instances[j]!),
      dependent_sync_predecessors: this.decision.dependent_sync_predecessors[i]!.map(([p, s]): [string, string] => [instances[p]!, instances[s]!]),
    };
    this.linkCache.set(instance, links);
    return links;
  }

  /** Where `instance` runs in this run. */
  placementOf(instance: string): InstancePlacement {
    const i = this.indexOf.get(instance);
    if (i === undefined) throw new CaribouError(`The run's placement decision has no instance ${instance}`);
    return decodeAddress(this.decision.regions, this.decision.placement[i]!);
  }

  /** The same decision addressed to another instance (what a successor receives). */
  addressedTo(instance: string): RunDecision {
    return { ...this.decision, current_instance_name: instance };
  }

  withFields(fields: Partial<RunFields>): RunPlacement {
    return new RunPlacement({ ...this.decision, ...fields });
  }

  /** UTF-8 bytes of the decision as a message carries it. */
  bytes(): number {
    return utf8Length(JSON.stringify(this.decision));
  }

  /** A readable view for workflow code (`getWorkflowPlacementDecision()`): names instead of indices. */
  readable(): ReadableRunDecision {
    const { format: _format, instances, succeeding_instances: _s, preceding_instances: _p, dependent_sync_predecessors: _d, regions: _r, placement: _pl, ...fields } =
      this.decision;
    return {
      ...fields,
      instances: Object.fromEntries(instances.map((name) => [name, { instance_name: name, ...this.links(name)!, placement: this.placementOf(name) }])),
    };
  }
}

export type ReadableRunDecision = Omit<RunDecision, 'format' | keyof EncodedDag | 'regions' | 'placement'> & {
  instances: Record<string, InstanceLinks & { instance_name: string; placement: InstancePlacement }>;
};
