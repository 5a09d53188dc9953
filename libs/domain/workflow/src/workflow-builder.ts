import { CaribouError, type ProviderRegion } from '@caribou/domain-common';
import { environmentVariablesOf, type EnvironmentVariable, type ProjectConfig } from './config-schema';
import { buildWorkflowDag, type DagFunction, type Edge } from './dag';
import { functionRoleNameOf, physicalFunctionName, verifyNameAndVersion, workflowIdOf } from './naming';
import type { RegionsAndProviders } from './placement';
import { mergeAndVerifyRegionsAndProviders, providersForFunction, type FunctionRegionsAndProviders } from './region-checks';

/** A registered function as plain data: what the app registers plus what static discovery found. */
export interface WorkflowFunctionSpec extends DagFunction {
  regionsAndProviders?: FunctionRegionsAndProviders;
  environmentVariables?: readonly EnvironmentVariable[] | null;
  allowPlacementDecisionOverride?: boolean;
}

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

  const resources: FunctionResource[] = [];
  for (const region of regions) {
    for (const fn of functions) {
      const physicalName = physicalFunctionName(name, version, fn.name, region);
      resources.push({
        physicalName,
        functionName: fn.name,
        entryPoint: fn.entryPoint,
        deployRegion: { provider: region.provider, region: region.region },
        providers: providersForFunction(fn.name, fn.regionsAndProviders, config.regions_and_providers, config.home_region),
        environmentVariables: mergeEnvironmentVariables(fn.environmentVariables, workflowVariables),
        roleName: functionRoleNameOf(name, version, fn.name),
      });
    }
  }

  const firstRegion = regions[0]!;
  const dag = buildWorkflowDag({ workflowName: name, workflowVersion: version, region: firstRegion, functions });
  const specOf = new Map(functions.map((fn) => [fn.name, fn]));
  const instances = dag.instances.map((instance) => ({
    ...instance,
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
