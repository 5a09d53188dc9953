import { CaribouError } from '@caribou/domain-common';
import { isObject, type JsonObject } from './json-path';
import { DEFAULT_SYSTEM_REGION } from './constants';

/** `{value, type}` of one resource constraint; relative values are percent of the home deployment. */
export interface ResourceConstraint {
  value: number;
  type: 'absolute' | 'relative';
}

export type Objective = 'cost' | 'runtime' | 'carbon';

export interface SolverConstraints {
  hard_resource_constraints: Partial<Record<Objective, ResourceConstraint | null>> | null;
  soft_resource_constraints: Partial<Record<Objective, ResourceConstraint | null>> | null;
  priority_order: Objective[];
}

export interface RegionSelector {
  provider: string;
  region: string;
}

/** `regions_and_providers` of the workflow or of one instance (§1.1). */
export interface SolverRegionsAndProviders {
  allowed_regions?: RegionSelector[] | null;
  disallowed_regions?: RegionSelector[] | null;
  providers?: Record<string, { config?: Record<string, unknown> }>;
}

/** Where an instance's data lives (`dataRegion` of `serverlessFunction`) and how much it reads per invocation. */
export interface DataLocation {
  provider: string;
  region: string;
  bytes_per_invocation: number;
}

export interface SolverInstanceConfig {
  instance_name: string;
  data_location?: DataLocation | null;
  regions_and_providers: SolverRegionsAndProviders;
  succeeding_instances: string[];
  preceding_instances: string[];
}

/** The parts of the stored workflow config the solver reads (reference `WorkflowConfigSchema`). */
export interface SolverWorkflowConfig {
  workflow_name: string;
  workflow_version: string;
  workflow_id: string;
  regions_and_providers: SolverRegionsAndProviders;
  /** Insertion order defines the instance index. */
  instances: Record<string, SolverInstanceConfig>;
  constraints: SolverConstraints;
  home_region: RegionSelector;
  /** Where the workflow's client calls the entry point from (default: the home region). */
  client_region?: RegionSelector | null;
  num_calls_in_one_month?: number;
  deployment_algorithm?: string | null;
}

/**
 * Everything the solver reads, as parsed rows. Each table maps its key to the row object;
 * `available_regions_table` key order is the region order (JSON.parse keeps non-integer keys
 * in document order, and region keys are never integer-like).
 */
export interface SolverTables {
  available_regions_table: Record<string, unknown>;
  provider_region_table: Record<string, unknown>;
  carbon_region_table: Record<string, unknown>;
  performance_region_table: Record<string, unknown>;
  /** The workflow collector's output for this workflow (reference `workflow_instance_table[id]`). */
  workflow_summary: unknown;
}

export interface SolverInput {
  workflowConfig: SolverWorkflowConfig;
  tables: SolverTables;
  /** Region key of Caribou's own tables (WPD source); `aws:us-west-2` unless stated. */
  systemRegion: string;
}

const OBJECTIVES: readonly Objective[] = ['cost', 'runtime', 'carbon'];

function fail(field: string, fix: string): never {
  throw new CaribouError(`workflow config: ${field} ${fix}`);
}

function checkConstraintGroup(value: unknown, field: string): SolverConstraints['hard_resource_constraints'] {
  if (value === null || value === undefined) return null;
  if (!isObject(value)) fail(field, 'must be an object of {cost, runtime, carbon} constraints or null');
  const group: Partial<Record<Objective, ResourceConstraint | null>> = {};
  for (const objective of OBJECTIVES) {
    const constraint = value[objective];
    if (constraint === null || constraint === undefined) {
      group[objective] = null;
      continue;
    }
    if (!isObject(constraint) || typeof constraint.value !== 'number' || !Number.isFinite(constraint.value))
      fail(`${field}.${objective}`, 'must be {"value": <number>, "type": "absolute"|"relative"} or null');
    if (constraint.type !== 'absolute' && constraint.type !== 'relative')
      fail(`${field}.${objective}.type`, 'must be "absolute" or "relative"');
    group[objective] = { value: constraint.value, type: constraint.type };
  }
  return group;
}

/** Checks the fields the solver relies on and returns them typed; extra keys are ignored. */
export function parseSolverWorkflowConfig(raw: unknown): SolverWorkflowConfig {
  if (!isObject(raw)) fail('', 'must be a JSON object');
  for (const key of ['workflow_name', 'workflow_version', 'workflow_id'] as const) {
    if (typeof raw[key] !== 'string') fail(key, 'must be a string');
  }
  const home = raw.home_region;
  if (!isObject(home) || typeof home.provider !== 'string' || typeof home.region !== 'string')
    fail('home_region', 'must be {"provider": ..., "region": ...}');
  if (!isObject(raw.regions_and_providers)) fail('regions_and_providers', 'must be an object with "providers"');
  if (!isObject(raw.instances) || Object.keys(raw.instances).length === 0)
    fail('instances', 'must be a non-empty object of instance name → instance');
  const instances: Record<string, SolverInstanceConfig> = {};
  for (const [name, instance] of Object.entries(raw.instances)) {
    if (!isObject(instance)) fail(`instances.${name}`, 'must be an object');
    const succeeding = instance.succeeding_instances ?? [];
    const preceding = instance.preceding_instances ?? [];
    if (!Array.isArray(succeeding) || !succeeding.every((s) => typeof s === 'string'))
      fail(`instances.${name}.succeeding_instances`, 'must be a list of instance names');
    if (!Array.isArray(preceding) || !preceding.every((s) => typeof s === 'string'))
      fail(`instances.${name}.preceding_instances`, 'must be a list of instance names');
    const regions = instance.regions_and_providers;
    if (regions !== undefined && !isObject(regions))
      fail(`instances.${name}.regions_and_providers`, 'must be an object');
    const data = instance.data_location;
    if (
      data !== undefined &&
      data !== null &&
      (!isObject(data) ||
        typeof data.provider !== 'string' ||
        typeof data.region !== 'string' ||
        typeof data.bytes_per_invocation !== 'number' ||
        !Number.isFinite(data.bytes_per_invocation) ||
        data.bytes_per_invocation < 0)
    )
      fail(`instances.${name}.data_location`, 'must be {"provider": ..., "region": ..., "bytes_per_invocation": <number ≥ 0>} or null');
    instances[name] = {
      instance_name: typeof instance.instance_name === 'string' ? instance.instance_name : name,
      ...(isObject(data) ? { data_location: data as unknown as DataLocation } : {}),
      regions_and_providers: (regions ?? {}) as SolverRegionsAndProviders,
      succeeding_instances: succeeding as string[],
      preceding_instances: preceding as string[],
    };
  }
  const constraints = isObject(raw.constraints) ? raw.constraints : fail('constraints', 'must be an object');
  const priority = constraints.priority_order ?? ['carbon', 'cost', 'runtime'];
  if (!Array.isArray(priority) || !priority.every((p) => OBJECTIVES.includes(p as Objective)))
    fail('constraints.priority_order', 'must list "carbon", "cost" and/or "runtime"');
  const client = raw.client_region;
  if (client !== undefined && client !== null && (!isObject(client) || typeof client.provider !== 'string' || typeof client.region !== 'string'))
    fail('client_region', 'must be {"provider": ..., "region": ...} or null');
  const algorithm = raw.deployment_algorithm;
  if (algorithm !== undefined && algorithm !== null && typeof algorithm !== 'string')
    fail('deployment_algorithm', 'must be a string');
  return {
    workflow_name: raw.workflow_name as string,
    workflow_version: raw.workflow_version as string,
    workflow_id: raw.workflow_id as string,
    regions_and_providers: raw.regions_and_providers as SolverRegionsAndProviders,
    instances,
    constraints: {
      hard_resource_constraints: checkConstraintGroup(constraints.hard_resource_constraints, 'constraints.hard_resource_constraints'),
      soft_resource_constraints: checkConstraintGroup(constraints.soft_resource_constraints, 'constraints.soft_resource_constraints'),
      priority_order: priority as Objective[],
    },
    home_region: { provider: home.provider as string, region: home.region as string },
    ...(isObject(client) ? { client_region: { provider: client.provider as string, region: client.region as string } } : {}),
    ...(typeof raw.num_calls_in_one_month === 'number' ? { num_calls_in_one_month: raw.num_calls_in_one_month } : {}),
    deployment_algorithm: (algorithm as string | null | undefined) ?? null,
  };
}

function tableOf(tables: JsonObject, name: string): Record<string, unknown> {
  const table = tables[name];
  if (table === undefined) return {};
  if (!isObject(table)) throw new CaribouError(`solver instance: tables.${name} must be an object of key → row`);
  return table;
}

/**
 * Reads the solver-instance file format (`caribou-solver-instance/v1`: `workflow_config`,
 * `tables.<table>.<key>` rows, `system_region`), the format of the reference's fixtures.
 */
export function solverInputFromInstanceFile(file: unknown): SolverInput {
  if (!isObject(file)) throw new CaribouError('solver instance: the file must hold a JSON object');
  if (!isObject(file.tables)) throw new CaribouError('solver instance: "tables" is missing; expected tables.<table>.<key> rows');
  const workflowConfig = parseSolverWorkflowConfig(file.workflow_config);
  const instanceTable = tableOf(file.tables, 'workflow_instance_table');
  const summary = instanceTable[workflowConfig.workflow_id];
  if (summary === undefined)
    throw new CaribouError(
      `solver instance: workflow_instance_table has no row for '${workflowConfig.workflow_id}'; add the workflow collector output`,
    );
  return {
    workflowConfig,
    tables: {
      available_regions_table: tableOf(file.tables, 'available_regions_table'),
      provider_region_table: tableOf(file.tables, 'provider_region_table'),
      carbon_region_table: tableOf(file.tables, 'carbon_region_table'),
      performance_region_table: tableOf(file.tables, 'performance_region_table'),
      workflow_summary: summary,
    },
    systemRegion: typeof file.system_region === 'string' ? file.system_region : DEFAULT_SYSTEM_REGION,
  };
}
