import { CaribouError } from '@caribou/domain-common';
import type { RegionsAndProviders } from '@caribou/domain-workflow';
import { currentInvocation } from './invocation-context';

export interface EnvironmentVariable {
  key: string;
  value: string;
}

export interface ServerlessFunctionOptions {
  /** Function name used in resource and instance names; defaults to the handler's own name. */
  name?: string;
  /** Exactly one function of a workflow is its entry point. */
  entryPoint?: boolean;
  /** Overrides `allowed_regions`, `disallowed_regions` and `providers` of the workflow for this function. */
  regionsAndProviders?: Partial<RegionsAndProviders>;
  environmentVariables?: EnvironmentVariable[];
  /** Entry point only, for debugging: lets an event carry `debug_workflow_placement_override`. */
  allowPlacementDecisionOverride?: boolean;
  /**
   * Where the data this function reads lives, e.g. `{ provider: 'aws', region: 'us-east-1' }`.
   * Caribou then prices moving the function away from it: one round trip to the data per
   * invocation and the transfer of `dataBytesPerInvocation` from that region. The function
   * sees it as `CARIBOU_DATA_REGION` (`provider:region`).
   */
  dataRegion?: DataRegion;
  /** Bytes the function reads from `dataRegion` per invocation (needs `dataRegion`; default 0). */
  dataBytesPerInvocation?: number;
}

export interface DataRegion {
  provider: string;
  region: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler = (event: any) => unknown;

/** A registered workflow function; pass it to `invokeServerlessFunction` to call it. */
export class CaribouFunction {
  constructor(
    readonly workflow: CaribouWorkflow,
    readonly name: string,
    readonly handler: Handler,
    readonly entryPoint: boolean,
    readonly regionsAndProviders: Partial<RegionsAndProviders>,
    readonly environmentVariables: EnvironmentVariable[],
    readonly allowPlacementDecisionOverride: boolean,
    readonly dataRegion: DataRegion | null = null,
    readonly dataBytesPerInvocation: number | null = null,
  ) {}
}

export interface CaribouMetadata {
  workflow_name: string;
  run_id: string;
  current_instance_name: string;
  current_provider: string;
  current_region: string;
  cpu_model: string;
  function_start_time: string;
}

/**
 * The registry a workflow app builds at import time (reference-system §3.1).
 * Calls that only make sense while a function runs (`invokeServerlessFunction`,
 * `getPredecessorData`, …) read the current invocation from async context, so
 * concurrent invocations in one process never see each other's state.
 */
export class CaribouWorkflow {
  readonly name: string;
  readonly version: string;
  private readonly registry = new Map<string, CaribouFunction>();
  private readonly handlers = new Set<Handler>();

  constructor(options: { name: string; version: string }) {
    if (!options || typeof options.name !== 'string' || typeof options.version !== 'string') {
      throw new CaribouError('CaribouWorkflow needs { name: string, version: string }');
    }
    this.name = options.name;
    this.version = options.version;
  }

  /** All registered functions in registration order. */
  get functions(): CaribouFunction[] {
    return [...this.registry.values()];
  }

  getFunction(name: string): CaribouFunction | undefined {
    return this.registry.get(name);
  }

  serverlessFunction(options: ServerlessFunctionOptions, handler: Handler): CaribouFunction {
    if (typeof handler !== 'function') throw new CaribouError('serverlessFunction needs a handler function');
    const name = options.name ?? handler.name;
    if (!name) throw new CaribouError('serverlessFunction needs a name: pass { name } or a named handler function');
    if (name.includes(':')) throw new CaribouError("Function name cannot contain ':'");
    const environmentVariables = options.environmentVariables ?? [];
    validateEnvironmentVariables(environmentVariables);
    if (this.handlers.has(handler)) {
      throw new CaribouError(`Function with function name ${handler.name || name} already registered`);
    }
    if (this.registry.has(name)) throw new CaribouError(`Function with given name ${name} already registered`);
    validateDataRegion(name, options.dataRegion, options.dataBytesPerInvocation);
    const fn = new CaribouFunction(
      this,
      name,
      handler,
      options.entryPoint ?? false,
      options.regionsAndProviders ?? {},
      environmentVariables,
      options.allowPlacementDecisionOverride ?? false,
      options.dataRegion ? { provider: options.dataRegion.provider, region: options.dataRegion.region } : null,
      options.dataRegion ? (options.dataBytesPerInvocation ?? 0) : null,
    );
    this.registry.set(name, fn);
    this.handlers.add(handler);
    return fn;
  }

  /**
   * Asynchronously calls `fn` as a successor of the running function. Must run on every
   * invocation (never inside `if`/loops): pass `conditional = false` to skip the call so
   * that fan-in nodes downstream learn about it. Sends complete before the handler returns.
   */
  invokeServerlessFunction(fn: CaribouFunction, payload?: unknown, conditional = true): void {
    currentInvocation('invokeServerlessFunction').invokeSuccessor(fn, payload, conditional);
  }

  /** In a fan-in (sync) function: the payloads its predecessors sent it directly. */
  getPredecessorData(): Promise<unknown[]> {
    return currentInvocation('getPredecessorData').getPredecessorData();
  }

  getRunId(): string {
    return currentInvocation('getRunId').runId;
  }

  getMetadata(): CaribouMetadata {
    return currentInvocation('getMetadata').metadata();
  }

  /** Same as getMetadata (the reference's name). */
  getCaribouMetadata(): CaribouMetadata {
    return this.getMetadata();
  }

  getWorkflowPlacementDecision(): unknown {
    return currentInvocation('getWorkflowPlacementDecision').placementDecision();
  }

  /** Writes a `[CARIBOU]` line the log syncer keeps with the run. */
  logForRetrieval(message: string, runId?: string, messageTimeMs?: number): void {
    currentInvocation('logForRetrieval').logForRetrieval(message, runId, messageTimeMs);
  }
}

function validateEnvironmentVariables(variables: unknown): asserts variables is EnvironmentVariable[] {
  if (!Array.isArray(variables)) throw new CaribouError('environment_variables must be a list of {key, value}');
  for (const variable of variables) {
    if (typeof variable !== 'object' || variable === null) {
      throw new CaribouError('environment_variables must be a list of {key, value}');
    }
    const { key, value } = variable as Record<string, unknown>;
    if (typeof key !== 'string') throw new CaribouError('Environment variable key need to be a str');
    if (typeof value !== 'string') throw new CaribouError('Environment variable value need to be a str');
    if (key.includes('AWS_REGION')) throw new CaribouError('environment_variables cannot contain AWS_REGION');
  }
}

function validateDataRegion(name: string, region: unknown, bytes: unknown): void {
  if (region === undefined || region === null) {
    if (bytes !== undefined) throw new CaribouError(`${name}: dataBytesPerInvocation needs dataRegion, where the data lives`);
    return;
  }
  const value = region as Record<string, unknown>;
  if (typeof region !== 'object' || typeof value['provider'] !== 'string' || typeof value['region'] !== 'string')
    throw new CaribouError(`${name}: dataRegion must be { provider, region }, e.g. { provider: 'aws', region: 'us-east-1' }`);
  if (bytes !== undefined && (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0))
    throw new CaribouError(`${name}: dataBytesPerInvocation must be a number of bytes ≥ 0 (got ${JSON.stringify(bytes)})`);
}
