import { CaribouError, parseRegionKey, regionKey } from '@caribou/domain-common';
import type { CurrentDeployment, InstancePlacement, PlacementInstance, WorkflowPlacementDecision } from './placement';

/**
 * The compact encoding of the placement decision (what `workflow_placement_decision_table`
 * holds). The reference's shape repeats every instance name in every list and the full
 * `{provider_region, identifier, function_identifier}` of every instance for every hour:
 * ~260 bytes per instance per hour, so a 24-hour plan of a 60-function workflow passed the
 * 256,000-byte message limit and DynamoDB's 400 KB item limit. Here:
 *
 * - instances are named once (`instances`); the DAG lists refer to them by index;
 * - regions are named once (`regions`), each with the prefix and suffix all identifiers of
 *   copies in that region share (`arn:aws:lambda:us-east-1:…:function:wf-0_0_1-` … `_aws-us-east-1`);
 * - each function copy is `[region index, middle of its identifier]` (plus its function
 *   identifier when that differs from the identifier, as in reference-written rows);
 * - a placement is one copy index per instance, and identical hours share one placement.
 *
 * Hand-written checks rather than a zod schema: the function runtime decodes this row at
 * the entry point, and zod would add ~750 KB to every deployed function's bundle.
 */
export const STORED_DECISION_FORMAT = 'caribou-ts/placement-decision@1';

/** One region the encoded decision uses, with the common start and end of its copies' identifiers. */
export interface RegionAddressing {
  /** `provider:region` */
  region: string;
  identifier_prefix: string;
  identifier_suffix: string;
}

/** A function copy: region index, the middle of its identifier, and its function identifier when that differs. */
export type EncodedCopy = [region: number, identifierMiddle: string] | [region: number, identifierMiddle: string, functionIdentifier: string];

/** The instance DAG with instances named once and referred to by index. */
export interface EncodedDag {
  instances: string[];
  succeeding_instances: number[][];
  preceding_instances: number[][];
  dependent_sync_predecessors: Array<Array<[number, number]>>;
}

export interface StoredPlacementDecision extends EncodedDag {
  format: typeof STORED_DECISION_FORMAT;
  /** 1 at deploy, +1 per published plan. */
  plan_version: number;
  /** The entry point instance. */
  current_instance_name: string;
  regions: RegionAddressing[];
  copies: EncodedCopy[];
  /** Copy index per instance. */
  home_deployment: number[];
  current_deployment?: {
    expiry_time: string | null;
    time_keys: string[];
    /** Index into `placements` per time key (same order as `time_keys`). */
    placement_of_time_key: number[];
    /** Distinct placements: a copy index per instance. */
    placements: number[][];
  };
}

// ---------------------------------------------------------------------------------------
// Encoding

export function encodeDag(instances: Record<string, PlacementInstance>): EncodedDag {
  const names = Object.keys(instances);
  const index = new Map(names.map((name, i) => [name, i]));
  const ref = (name: string, field: string, owner: string): number => {
    const found = index.get(name);
    if (found === undefined) throw new CaribouError(`placement decision: ${owner}.${field} names ${name}, which is not an instance of the decision`);
    return found;
  };
  return {
    instances: names,
    succeeding_instances: names.map((name) => instances[name]!.succeeding_instances.map((s) => ref(s, 'succeeding_instances', name))),
    preceding_instances: names.map((name) => instances[name]!.preceding_instances.map((p) => ref(p, 'preceding_instances', name))),
    dependent_sync_predecessors: names.map((name) =>
      instances[name]!.dependent_sync_predecessors.map(([p, s]): [number, number] => [
        ref(p, 'dependent_sync_predecessors', name),
        ref(s, 'dependent_sync_predecessors', name),
      ]),
    ),
  };
}

function commonPrefixLength(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let i = 0;
  while (i < limit && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function commonSuffixLength(a: string, b: string, limit: number): number {
  let i = 0;
  while (i < limit && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

/**
 * Encodes a list of placements: the regions they use (in first-use order, with each
 * region's common identifier prefix and suffix) and one encoded copy per placement.
 */
export function encodeAddresses(placements: readonly InstancePlacement[]): { regions: RegionAddressing[]; copies: EncodedCopy[] } {
  const regionIndex = new Map<string, number>();
  const identifiersByRegion: string[][] = [];
  const regionOf = placements.map((placement) => {
    const key = regionKey(placement.provider_region);
    let i = regionIndex.get(key);
    if (i === undefined) {
      i = regionIndex.size;
      regionIndex.set(key, i);
      identifiersByRegion.push([]);
    }
    identifiersByRegion[i]!.push(placement.identifier);
    return i;
  });
  const regions: RegionAddressing[] = [...regionIndex.keys()].map((region, i) => {
    const identifiers = identifiersByRegion[i]!;
    const first = identifiers[0]!;
    let prefix = first.length;
    let shortest = first.length;
    for (const identifier of identifiers) {
      prefix = Math.min(prefix, commonPrefixLength(first, identifier));
      shortest = Math.min(shortest, identifier.length);
    }
    // The suffix may not overlap the prefix in the shortest identifier.
    let suffix = shortest - prefix;
    for (const identifier of identifiers) suffix = Math.min(suffix, commonSuffixLength(first, identifier, suffix));
    return { region, identifier_prefix: first.slice(0, prefix), identifier_suffix: suffix > 0 ? first.slice(first.length - suffix) : '' };
  });
  const copies = placements.map((placement, i): EncodedCopy => {
    const r = regionOf[i]!;
    const { identifier_prefix: prefix, identifier_suffix: suffix } = regions[r]!;
    const middle = placement.identifier.slice(prefix.length, placement.identifier.length - suffix.length);
    return placement.function_identifier === placement.identifier ? [r, middle] : [r, middle, placement.function_identifier];
  });
  return { regions, copies };
}

export function decodeAddress(regions: readonly RegionAddressing[], copy: EncodedCopy): InstancePlacement {
  const region = regions[copy[0]]!;
  const identifier = region.identifier_prefix + copy[1] + region.identifier_suffix;
  return { provider_region: parseRegionKey(region.region), identifier, function_identifier: copy[2] ?? identifier };
}

const copyKey = (placement: InstancePlacement): string =>
  `${regionKey(placement.provider_region)}\u0000${placement.identifier}\u0000${placement.function_identifier}`;

/** The compact form of a decision (per-run fields are not stored). */
export function encodePlacementDecision(wpd: WorkflowPlacementDecision): StoredPlacementDecision {
  const dag = encodeDag(wpd.instances);
  const unique: InstancePlacement[] = [];
  const copyIndex = new Map<string, number>();
  const copyOf = (placement: InstancePlacement): number => {
    const key = copyKey(placement);
    let i = copyIndex.get(key);
    if (i === undefined) {
      i = unique.length;
      copyIndex.set(key, i);
      unique.push(placement);
    }
    return i;
  };
  const home = wpd.workflow_placement.home_deployment;
  const homeCopies = dag.instances.map((name) => {
    const placement = home[name];
    if (!placement) throw new CaribouError(`placement decision: workflow_placement.home_deployment has no placement for instance ${name}`);
    return copyOf(placement);
  });
  let current: StoredPlacementDecision['current_deployment'];
  const plan = wpd.workflow_placement.current_deployment;
  if (plan) {
    const placements: number[][] = [];
    const placementIndex = new Map<string, number>();
    const placement_of_time_key = plan.time_keys.map((timeKey) => {
      const byInstance = plan.instances[timeKey] ?? {};
      // An instance the plan does not place runs at home (resolvePlacement), so it is stored as its home copy.
      const copies = dag.instances.map((name, i) => (byInstance[name] ? copyOf(byInstance[name]) : homeCopies[i]!));
      const key = copies.join(',');
      let i = placementIndex.get(key);
      if (i === undefined) {
        i = placements.length;
        placementIndex.set(key, i);
        placements.push(copies);
      }
      return i;
    });
    current = { expiry_time: plan.expiry_time, time_keys: [...plan.time_keys], placement_of_time_key, placements };
  }
  const { regions, copies } = encodeAddresses(unique);
  const stored: StoredPlacementDecision = {
    format: STORED_DECISION_FORMAT,
    plan_version: wpd.plan_version ?? 1,
    current_instance_name: wpd.current_instance_name,
    ...dag,
    regions,
    copies,
    home_deployment: homeCopies,
  };
  if (current) stored.current_deployment = current;
  return stored;
}

/** The row text written to `workflow_placement_decision_table`. */
export function serializePlacementDecision(wpd: WorkflowPlacementDecision): string {
  return JSON.stringify(encodePlacementDecision(wpd));
}

// ---------------------------------------------------------------------------------------
// Decoding and checking

/** Structural checks that name the field, e.g. `<where>: copies[3][0]: 9 is not an index of the 6 regions`. */
export class FieldChecker {
  /** `fix` (what to do about it) ends every message when given. */
  constructor(
    private readonly where: string,
    private readonly fix?: string,
  ) {}

  fail(path: string, message: string): never {
    throw new CaribouError(`${this.where}: ${path}: ${message}${this.fix ? `; ${this.fix}` : ''}`);
  }

  object(value: unknown, path: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(path, 'Input should be a valid dictionary');
    return value as Record<string, unknown>;
  }

  array(value: unknown, path: string, length?: number): unknown[] {
    if (!Array.isArray(value)) this.fail(path, 'Input should be a valid list');
    if (length !== undefined && value.length !== length) this.fail(path, `has ${value.length} entries, expected ${length}`);
    return value;
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string') this.fail(path, 'Input should be a valid string');
    return value;
  }

  index(value: unknown, bound: number, path: string, what: string): number {
    if (!Number.isInteger(value) || (value as number) < 0 || (value as number) >= bound) {
      this.fail(path, `${JSON.stringify(value)} is not an index of the ${bound} ${what}`);
    }
    return value as number;
  }

  indexLists(value: unknown, path: string, length: number, bound: number, what: string): number[][] {
    return this.array(value, path, length).map((list, i) =>
      this.array(list, `${path}[${i}]`).map((item, j) => this.index(item, bound, `${path}[${i}][${j}]`, what)),
    );
  }
}

/** The DAG fields of a stored decision or a run decision, with every index in range. */
export function checkEncodedDag(check: FieldChecker, document: Record<string, unknown>): EncodedDag {
  const instances = check.array(document.instances, 'instances').map((name, i) => check.string(name, `instances[${i}]`));
  const n = instances.length;
  const succeeding = check.indexLists(document.succeeding_instances, 'succeeding_instances', n, n, 'instances');
  const preceding = check.indexLists(document.preceding_instances, 'preceding_instances', n, n, 'instances');
  const dependent = check.array(document.dependent_sync_predecessors, 'dependent_sync_predecessors', n).map((pairs, i) =>
    check.array(pairs, `dependent_sync_predecessors[${i}]`).map((pair, j): [number, number] => {
      const path = `dependent_sync_predecessors[${i}][${j}]`;
      const [p, s] = check.array(pair, path, 2);
      return [check.index(p, n, `${path}[0]`, 'instances'), check.index(s, n, `${path}[1]`, 'instances')];
    }),
  );
  return { instances, succeeding_instances: succeeding, preceding_instances: preceding, dependent_sync_predecessors: dependent };
}

export function checkRegions(check: FieldChecker, value: unknown, path: string): RegionAddressing[] {
  return check.array(value, path).map((entry, i): RegionAddressing => {
    const region = check.object(entry, `${path}[${i}]`);
    const key = check.string(region.region, `${path}[${i}].region`);
    if (!/^[^:]+:.+$/.test(key)) check.fail(`${path}[${i}].region`, `'${key}' is not of the form provider:region`);
    return {
      region: key,
      identifier_prefix: check.string(region.identifier_prefix, `${path}[${i}].identifier_prefix`),
      identifier_suffix: check.string(region.identifier_suffix, `${path}[${i}].identifier_suffix`),
    };
  });
}

function checkStored(document: Record<string, unknown>, check: FieldChecker): StoredPlacementDecision {
  if (document.format !== STORED_DECISION_FORMAT) {
    check.fail('format', `${JSON.stringify(document.format)} is not a placement decision format this version reads (${STORED_DECISION_FORMAT})`);
  }
  const version = document.plan_version;
  if (!Number.isInteger(version) || (version as number) < 0) check.fail('plan_version', 'Input should be a non-negative integer');
  const dag = checkEncodedDag(check, document);
  const n = dag.instances.length;
  const current = check.string(document.current_instance_name, 'current_instance_name');
  if (!dag.instances.includes(current)) check.fail('current_instance_name', `${current} is not one of the instances`);
  const regions = checkRegions(check, document.regions, 'regions');
  const copies = checkCopies(check, document.copies, 'copies', regions.length);
  const home = check
    .array(document.home_deployment, 'home_deployment', n)
    .map((value, i) => check.index(value, copies.length, `home_deployment[${i}]`, 'copies'));
  const stored: StoredPlacementDecision = {
    format: STORED_DECISION_FORMAT,
    plan_version: version as number,
    current_instance_name: current,
    ...dag,
    regions,
    copies,
    home_deployment: home,
  };
  if (document.current_deployment !== undefined && document.current_deployment !== null) {
    const plan = check.object(document.current_deployment, 'current_deployment');
    const expiry = plan.expiry_time === null ? null : check.string(plan.expiry_time, 'current_deployment.expiry_time');
    const timeKeys = check.array(plan.time_keys, 'current_deployment.time_keys').map((key, i) => check.string(key, `current_deployment.time_keys[${i}]`));
    const placements = check
      .array(plan.placements, 'current_deployment.placements')
      .map((placement, i) =>
        check
          .array(placement, `current_deployment.placements[${i}]`, n)
          .map((value, j) => check.index(value, copies.length, `current_deployment.placements[${i}][${j}]`, 'copies')),
      );
    const of = check
      .array(plan.placement_of_time_key, 'current_deployment.placement_of_time_key', timeKeys.length)
      .map((value, i) => check.index(value, placements.length, `current_deployment.placement_of_time_key[${i}]`, 'placements'));
    stored.current_deployment = { expiry_time: expiry, time_keys: timeKeys, placement_of_time_key: of, placements };
  }
  return stored;
}

export function checkCopies(check: FieldChecker, value: unknown, path: string, regionCount: number): EncodedCopy[] {
  return check.array(value, path).map((entry, i): EncodedCopy => {
    const at = `${path}[${i}]`;
    const copy = check.array(entry, at);
    if (copy.length !== 2 && copy.length !== 3) check.fail(at, `has ${copy.length} entries, expected 2 or 3`);
    const region = check.index(copy[0], regionCount, `${at}[0]`, 'regions');
    const middle = check.string(copy[1], `${at}[1]`);
    return copy.length === 3 ? [region, middle, check.string(copy[2], `${at}[2]`)] : [region, middle];
  });
}

/**
 * The reference's shape, checked for what the runtime and the migrator read. Hand-written, not
 * zod: the deployed function runtime decodes placement decisions too and must not bundle zod
 * (the application's row schema calls this checker), so the cast below follows a full check.
 */
function checkReference(document: Record<string, unknown>, check: FieldChecker): WorkflowPlacementDecision {
  const strings = (value: unknown, path: string): string[] => check.array(value, path).map((item, i) => check.string(item, `${path}[${i}]`));
  const instances = check.object(document.instances, 'instances');
  for (const [name, value] of Object.entries(instances)) {
    const instance = check.object(value, `instances.${name}`);
    strings(instance.succeeding_instances, `instances.${name}.succeeding_instances`);
    strings(instance.preceding_instances, `instances.${name}.preceding_instances`);
    check.array(instance.dependent_sync_predecessors, `instances.${name}.dependent_sync_predecessors`).forEach((pair, i) =>
      strings(check.array(pair, `instances.${name}.dependent_sync_predecessors[${i}]`, 2), `instances.${name}.dependent_sync_predecessors[${i}]`),
    );
  }
  check.string(document.current_instance_name, 'current_instance_name');
  const placement = check.object(document.workflow_placement, 'workflow_placement');
  const checkPlacements = (value: unknown, path: string): void => {
    for (const [name, entry] of Object.entries(check.object(value, path))) {
      const at = `${path}.${name}`;
      const p = check.object(entry, at);
      const region = check.object(p.provider_region, `${at}.provider_region`);
      check.string(region.provider, `${at}.provider_region.provider`);
      check.string(region.region, `${at}.provider_region.region`);
      check.string(p.identifier, `${at}.identifier`);
      check.string(p.function_identifier, `${at}.function_identifier`);
    }
  };
  checkPlacements(placement.home_deployment, 'workflow_placement.home_deployment');
  if (placement.current_deployment !== undefined && placement.current_deployment !== null) {
    const plan = check.object(placement.current_deployment, 'workflow_placement.current_deployment');
    if (plan.expiry_time !== null) check.string(plan.expiry_time, 'workflow_placement.current_deployment.expiry_time');
    const keys = strings(plan.time_keys, 'workflow_placement.current_deployment.time_keys');
    const byKey = check.object(plan.instances, 'workflow_placement.current_deployment.instances');
    for (const key of keys) {
      if (byKey[key] !== undefined) checkPlacements(byKey[key], `workflow_placement.current_deployment.instances.${key}`);
    }
  }
  return document as unknown as WorkflowPlacementDecision;
}

/** The decision in the reference's shape; placements shared by several hours are shared objects. */
export function decodePlacementDecision(stored: StoredPlacementDecision): WorkflowPlacementDecision {
  const { instances: names } = stored;
  const instances: Record<string, PlacementInstance> = {};
  names.forEach((name, i) => {
    instances[name] = {
      instance_name: name,
      succeeding_instances: stored.succeeding_instances[i]!.map((j) => names[j]!),
      preceding_instances: stored.preceding_instances[i]!.map((j) => names[j]!),
      dependent_sync_predecessors: stored.dependent_sync_predecessors[i]!.map(([p, s]): [string, string] => [names[p]!, names[s]!]),
    };
  });
  const copies = stored.copies.map((copy) => decodeAddress(stored.regions, copy));
  const placementOf = (copyIndices: readonly number[]): Record<string, InstancePlacement> =>
    Object.fromEntries(names.map((name, i) => [name, copies[copyIndices[i]!]!]));
  const wpd: WorkflowPlacementDecision = {
    instances,
    current_instance_name: stored.current_instance_name,
    workflow_placement: { home_deployment: placementOf(stored.home_deployment) },
    plan_version: stored.plan_version,
  };
  const plan = stored.current_deployment;
  if (plan) {
    const decoded = plan.placements.map(placementOf);
    const current: CurrentDeployment = {
      expiry_time: plan.expiry_time,
      time_keys: [...plan.time_keys],
      instances: Object.fromEntries(plan.time_keys.map((key, i) => [key, decoded[plan.placement_of_time_key[i]!]!])),
    };
    wpd.workflow_placement.current_deployment = current;
  }
  return wpd;
}

const DEFAULT_FIX = 'deploy the workflow again';

/**
 * Reads a placement decision row: the compact form this framework writes, or the
 * reference's shape (rows written by the Python Caribou, or by hand). `where` names the
 * row in messages, e.g. `workflow_placement_decision_table[wf-0.0.1]`; `fix` ends them.
 */
export function parsePlacementDecision(text: string, where: string, fix = DEFAULT_FIX): WorkflowPlacementDecision {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new CaribouError(`${where} is not a placement decision (not JSON: ${(error as Error).message}); ${fix}`);
  }
  return placementDecisionOf(document, where, fix);
}

/** As parsePlacementDecision, for a value already parsed (e.g. from a message). */
export function placementDecisionOf(document: unknown, where: string, fix?: string): WorkflowPlacementDecision {
  const check = new FieldChecker(where, fix);
  const object = check.object(document, 'placement decision');
  if ('format' in object) return decodePlacementDecision(checkStored(object, check));
  return checkReference(object, check);
}
