import { CaribouError, type ProviderRegion } from '@caribou/domain-common';
import { environmentVariablesOf, type EnvironmentVariable, type ProjectConfig } from './config-schema';
import { buildWorkflowDag, type DagFunction, type Edge } from './dag';
import { functionRoleNameOf, physicalFunctionName, verifyNameAndVersion, workflowIdOf } from './naming';
import type { RegionsAndProviders } from './placement';
import { checkDataLocation, mergeAndVerifyRegionsAndProviders, providersForFunction, type FunctionRegionsAndProviders } from './region-checks';

/** A registered function as plain data: what the app registers plus what static discovery found. */
export interface WorkflowFunctionSpec extends DagFunction {
  regionsAndProviders?: FunctionRegionsAndProviders;
  environmentVariables?: readonly EnvironmentVariable[] | null;
  allowPlacementDecisionOverride?: boolean;
  /** Where the data the function reads lives (`dataRegion` of `serverlessFunction`). */
  dataRegion?: ProviderRegion | null;
  /** Bytes it reads from `dataRegion` per invocation. */
  dataBytesPerInvocation?: number | null;
}

/** Where an instance's data lives and how much it reads per invocation (the solver prices reaching it). */
export interface DataLocation {
  provider: string;
  region: string;
  bytesPerInvocation: number;
}

/**
 * The variable that tells a function (and the local provider, which simulates reading it) where
 * its data lives, as `provider:region`. Set from `dataRegion`; a function may also set it itself.
 */
export const DATA_REGION_VARIABLE = 'CARIBOU_DATA_REGION';

/**
 * Set on the entry point: where its clients call from (`client_region`, else the home region),
 * as `provider:region`. The local provider sends a run's first message from there.
 */
export const CLIENT_REGION_VARIABLE = 'CARIBOU_CLIENT_REGION';

/** One function deployed in one region (the reference's `Function` resource). */
export interface FunctionResource {
  /** Physical name, e.g. `wf-0_0_1-First_Function_aws-us-east-1`. */
  physicalName: string;
  functionName: string;
  entryPoint: boolean;
  deployRegion: ProviderRegion;
  providers: RegionsAndProviders['providers'];
  /** Workflow variables overridden by the function's own. */
  environmentVariables: Record<string, string>;
  roleName: string;
}

/** One node of the DAG with the regions it may be placed in. */
export interface WorkflowInstance {
  name: string;
  functionName: string;
  entryPoint: boolean;
  regionsAndProviders: RegionsAndProviders;
  dataLocation: DataLocation | null;
  /** Physical name of the function serving this instance in the first (home) region. */
  functionResourceName: string;
}

export interface BuiltWorkflow {
  workflowName: string;
  workflowVersion: string;
  workflowId: string;
  homeRegion: ProviderRegion;
  resources: FunctionResource[];
  instances: WorkflowInstance[];
  edges: Edge[];
  entryPointInstance: string;
}

/** Global environment variables with the function's own on top (`merge_environment_variables`). */
export function mergeEnvironmentVariables(
  functionVariables: readonly EnvironmentVariable[] | null | undefined,
  workflowVariables: Record<string, string>,
): Record<string, string> {
  const merged = { ...workflowVariables };
  for (const variable of functionVariables ?? []) merged[variable.key] = variable.value;
  return merged;
}

/**
 * `WorkflowBuilder.build_workflow` (reference-system §2.4): one resource per function and
 * region (the initial deploy uses only the home region), the DAG from the entry point,
 * each instance's merged `regions_and_providers`, then `verify_name_and_version`.
 */
export function buildWorkflow(
  config: ProjectConfig,
  functions: readonly WorkflowFunctionSpec[],
  regions: readonly ProviderRegion[] = [config.home_region],
): BuiltWorkflow {
  if (regions.length === 0) throw new CaribouError('At least one region must be defined');
  const name = config.workflow_name;
  const version = config.workflow_version;
  const workflowVariables = environmentVariablesOf(config);

  for (const fn of functions) checkDataLocation(fn.name, fn.dataRegion, fn.dataBytesPerInvocation, config.home_region);
  const resources: FunctionResource[] = [];
  for (const region of regions) {
    for (const fn of functions) {
      const environmentVariables = mergeEnvironmentVariables(fn.environmentVariables, workflowVariables);
      if (fn.dataRegion && environmentVariables[DATA_REGION_VARIABLE] === undefined)
        environmentVariables[DATA_REGION_VARIABLE] = `${fn.dataRegion.provider}:${fn.dataRegion.region}`;
      const client = config.client_region ?? config.home_region;
      if (fn.entryPoint && environmentVariables[CLIENT_REGION_VARIABLE] === undefined)
        environmentVariables[CLIENT_REGION_VARIABLE] = `${client.provider}:${client.region}`;
      const physicalName = physicalFunctionName(name, version, fn.name, region);
      resources.push({
        physicalName,
        functionName: fn.name,
        entryPoint: fn.entryPoint,
        deployRegion: { provider: region.provider, region: region.region },
        providers: providersForFunction(fn.name, fn.regionsAndProviders, config.regions_and_providers, config.home_region),
        environmentVariables,
        roleName: functionRoleNameOf(name, version, fn.name),
      });
    }
  }

  const firstRegion = regions[0]!;
  const dag = buildWorkflowDag({ workflowName: name, workflowVersion: version, region: firstRegion, functions });
  const specOf = new Map(functions.map((fn) => [fn.name, fn]));
  const dataLocationOf = (spec: WorkflowFunctionSpec): DataLocation | null =>
    spec.dataRegion ? { provider: spec.dataRegion.provider, region: spec.dataRegion.region, bytesPerInvocation: spec.dataBytesPerInvocation ?? 0 } : null;
  const instances = dag.instances.map((instance) => ({
    ...instance,
    dataLocation: dataLocationOf(specOf.get(instance.functionName)!),
    regionsAndProviders: mergeAndVerifyRegionsAndProviders(
      instance.functionName,
      specOf.get(instance.functionName)!.regionsAndProviders,
      config.regions_and_providers,
      config.home_region,
    ),
    functionResourceName: physicalFunctionName(name, version, instance.functionName, firstRegion),
  }));

  verifyNameAndVersion(
    name,
    version,
    resources.map((resource) => resource.physicalName),
  );
  return {
    workflowName: name,
    workflowVersion: version,
    workflowId: workflowIdOf(name, version),
    homeRegion: { provider: config.home_region.provider, region: config.home_region.region },
    resources,
    instances,
    edges: dag.edges,
    entryPointInstance: dag.entryPointInstance,
  };
}
