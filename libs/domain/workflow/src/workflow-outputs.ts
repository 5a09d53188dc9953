import { CaribouError } from '@caribou/domain-common';
import type { ProjectConfig } from './config-schema';
import { dependentSyncPredecessors, precedingInstances, succeedingInstances } from './dag';
import type { Constraints, InstanceDescription, InstancePlacement, WorkflowConfig, WorkflowPlacementDecision } from './placement';
import type { BuiltWorkflow } from './workflow-builder';

/** Every instance with its neighbours and fan-in dependencies, keyed by name in creation order. */
export function describeInstances(workflow: BuiltWorkflow): Record<string, InstanceDescription> {
  const descriptions: Record<string, InstanceDescription> = {};
  for (const instance of workflow.instances) {
    descriptions[instance.name] = {
      instance_name: instance.name,
      regions_and_providers: structuredClone(instance.regionsAndProviders),
      succeeding_instances: succeedingInstances(workflow.edges, instance.name),
      preceding_instances: precedingInstances(workflow.edges, instance.name),
      dependent_sync_predecessors: dependentSyncPredecessors(workflow.edges, instance.name),
    };
  }
  return descriptions;
}

/** The workflow config the deployment manager and the solver read (reference-system §2.3). */
export function workflowConfigOf(workflow: BuiltWorkflow, config: ProjectConfig): WorkflowConfig {
  // Where data lives is the solver's business only: the placement decision messages carry describeInstances without it.
  const instances: WorkflowConfig['instances'] = describeInstances(workflow);
  for (const instance of workflow.instances) {
    const data = instance.dataLocation;
    if (data) instances[instance.name] = { ...instances[instance.name]!, data_location: { provider: data.provider, region: data.region, bytes_per_invocation: data.bytesPerInvocation } };
  }
  return {
    workflow_name: workflow.workflowName,
    workflow_version: workflow.workflowVersion,
    workflow_id: workflow.workflowId,
    instances,
    home_region: { provider: config.home_region.provider, region: config.home_region.region },
    ...(config.client_region ? { client_region: { provider: config.client_region.provider, region: config.client_region.region } } : {}),
    estimated_invocations_per_month: config.estimated_invocations_per_month ?? null,
    constraints: structuredClone(config.constraints) as Constraints,
    regions_and_providers: structuredClone(config.regions_and_providers),
    num_calls_in_one_month: config.num_calls_in_one_month ?? 0,
    solver: config.solver ?? '',
  };
}

/** Addresses of one deployed function, keyed by its physical name (`deployed_regions` of §4.5). */
export type DeployedFunctionAddresses = Record<string, Pick<InstancePlacement, 'identifier' | 'function_identifier'>>;

/**
 * The placement decision written at deploy time (reference-system §3.4): every instance in
 * the region its function was deployed to, entry point as the current instance.
 */
export function initialPlacementDecision(
  workflow: BuiltWorkflow,
  deployed: DeployedFunctionAddresses,
): WorkflowPlacementDecision {
  const homeDeployment: Record<string, InstancePlacement> = {};
  for (const instance of workflow.instances) {
    const addresses = deployed[instance.functionResourceName];
    const resource = workflow.resources.find((candidate) => candidate.physicalName === instance.functionResourceName);
    if (!addresses || !resource) {
      throw new CaribouError(`No deployed function ${instance.functionResourceName} recorded for instance ${instance.name}`);
    }
    homeDeployment[instance.name] = {
      identifier: addresses.identifier,
      provider_region: { ...resource.deployRegion },
      function_identifier: addresses.function_identifier,
    };
  }
  return {
    instances: describeInstances(workflow),
    current_instance_name: workflow.entryPointInstance,
    workflow_placement: { home_deployment: homeDeployment },
  };
}

/** What `caribou validate --json` prints: the DAG without placement details. */
export interface ValidatedWorkflow {
  workflow_id: string;
  instances: Array<{
    instance_name: string;
    preceding_instances: string[];
    succeeding_instances: string[];
    dependent_sync_predecessors: Array<[string, string]>;
  }>;
  edges: Array<[string, string]>;
}

export function validatedWorkflowOf(workflow: BuiltWorkflow): ValidatedWorkflow {
  return {
    workflow_id: workflow.workflowId,
    instances: workflow.instances.map((instance) => ({
      instance_name: instance.name,
      preceding_instances: precedingInstances(workflow.edges, instance.name),
      succeeding_instances: succeedingInstances(workflow.edges, instance.name),
      dependent_sync_predecessors: dependentSyncPredecessors(workflow.edges, instance.name),
    })),
    edges: workflow.edges.map(([from, to]) => [from, to]),
  };
}
