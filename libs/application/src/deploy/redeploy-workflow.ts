import { DEFAULT_LAMBDA_RUNTIME, DeploymentError, esbuildTargetOf, projectGoogleRuntime, projectLambdaRuntime, regionKey, Tables, type ProviderRegion } from '@caribou/domain-common';
import {
  logRetentionDaysOf,
  physicalNameOfInstance,
  serializePlacementDecision,
  workflowConfigOf,
  type FunctionResource,
  type WorkflowPlacementDecision,
} from '@caribou/domain-workflow';
import type { Artifact } from '@caribou/ports';
import { ResourceLedger } from '../ledger/index';
import { readRow } from '../stored-rows';
import type { DeployableProject, DeployedRegionEntry, DeploymentResourcesRecord, FunctionDescription } from './deployable-project';
import { recordArtifactStore, rolePolicyOf, type DeployChange, type DeployOptions, type DeployResult, type DeployWorkflowDeps } from './deploy-workflow.service';
import { releaseFingerprint, withRelease, type ReleaseHistory } from './releases';

/** What `deployment_resources_table` says about one function: how its copies are configured. */
export function describeResource(resource: FunctionResource, runtime: string, policy: string): FunctionDescription {
  const providerConfig = resource.providers[resource.deployRegion.provider]?.config ?? {};
  return {
    name: resource.physicalName,
    function_name: resource.functionName,
    entry_point: resource.entryPoint,
    role: { policy, role_name: resource.roleName },
    environment_variables: resource.environmentVariables,
    handler: resource.functionName,
    runtime,
    providers: resource.providers,
    memory_mb: Number(providerConfig.memory ?? 128),
    timeout_s: Number(providerConfig.timeout ?? 60),
  };
}

/** The runtime of a project's functions: Cloud Run's on gcp, else Lambda's (the local provider simulates Lambda and records it too). */
export function runtimeOf(project: DeployableProject, nowMs: number): string {
  if (project.workflow.homeRegion.provider === 'gcp') return projectGoogleRuntime(project.config, nowMs).runtime.id;
  return projectLambdaRuntime(project.config, nowMs)?.runtime.id ?? DEFAULT_LAMBDA_RUNTIME;
}

export function bundle(deps: DeployWorkflowDeps, project: DeployableProject, runtime: string): Promise<Artifact> {
  const { workflow, config } = project;
  const home = workflow.homeRegion;
  return deps.progress.step(`Bundling ${project.appEntry}`, () =>
    deps.packages.build({
      workflowName: workflow.workflowName,
      workflowVersion: workflow.workflowVersion,
      projectDir: project.projectDir,
      appEntry: project.appEntry,
      provider: home.provider,
      ...(config.packaging ? { packaging: config.packaging } : {}),
      ...(home.provider === 'aws' ? { nodeTarget: esbuildTargetOf(runtime) } : {}),
    }),
  );
}

interface DeployedState {
  deploymentConfig: Record<string, unknown>;
  descriptions: FunctionDescription[];
  deployedRegions: Record<string, DeployedRegionEntry>;
  retiring: Record<string, unknown> | undefined;
  wpd: WorkflowPlacementDecision;
  releases: ReleaseHistory | undefined;
  /** The registered workflow's instances: its shape. */
  instances: Record<string, { succeeding_instances: string[]; preceding_instances: string[] }>;
}

async function readDeployed(deps: DeployWorkflowDeps, workflowId: string): Promise<DeployedState> {
  const { store } = deps;
  const [resources, wpd, manager] = await Promise.all([
    readRow(store, Tables.deploymentResources, workflowId),
    readRow(store, Tables.workflowPlacementDecision, workflowId),
    readRow(store, Tables.deploymentManagerResource, workflowId),
  ]);
  if (!resources || !wpd || !manager) {
    throw new DeploymentError(`Workflow ${workflowId} is registered but its deployment rows are missing; run caribou remove ${workflowId}, then deploy`);
  }
  return {
    deploymentConfig: resources.deployment_config,
    descriptions: resources.workflow_function_descriptions as FunctionDescription[],
    deployedRegions: resources.deployed_regions,
    retiring: resources.retiring_copies,
    wpd,
    releases: resources.releases as ReleaseHistory | undefined,
    instances: manager.workflow_config.instances,
  };
}

/** Each instance with what it calls and what calls it: equal shapes route every run the same way. */
const shapeOf = (instances: Record<string, { succeeding_instances: readonly string[]; preceding_instances: readonly string[] }>): string =>
  JSON.stringify(
    Object.entries(instances)
      .map(([name, i]) => [name, [...i.succeeding_instances].sort(), [...i.preceding_instances].sort()])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );

/**
 * The workflow may change its code and configuration in place, not its shape: the same
 * functions, calls and home region, or the placement decisions and staged plans no longer fit.
 */
function checkSameShape(project: DeployableProject, state: DeployedState): void {
  const { workflow, config } = project;
  const fix = `deploy it under a new workflow_version (.caribou/config.yml and src/app.ts), or remove ${workflow.workflowId} first`;
  const missing = workflow.resources.filter((r) => !state.deployedRegions[r.physicalName]).map((r) => r.physicalName);
  if (missing.length > 0) throw new DeploymentError(`${workflow.workflowId} is deployed without ${missing[0]} (functions or home region changed); ${fix}`);
  if (shapeOf(workflowConfigOf(workflow, config).instances) !== shapeOf(state.instances)) {
    throw new DeploymentError(`The functions or calls of ${workflow.workflowId} changed since it was deployed; an update in place keeps them; ${fix}`);
  }
}

const where = (region: ProviderRegion): string => regionKey(region);

/**
 * `caribou deploy` of a deployed workflow id: when the package or any function's configuration
 * changed, updates every copy (home and migrated regions) and makes the result one release:
 * with versions (Lambda), every copy's new version is published first and the aliases are
 * switched last, so runs see the old release or the new one, and a failure switches back.
 */
export async function redeployWorkflow(deps: DeployWorkflowDeps, project: DeployableProject, options: DeployOptions): Promise<DeployResult> {
  const { workflow, config } = project;
  const { store, platform, identity, progress, releases } = deps;
  const workflowId = workflow.workflowId;
  const state = await readDeployed(deps, workflowId);
  checkSameShape(project, state);
  const runtime = runtimeOf(project, deps.clock.now());
  const artifact = await bundle(deps, project, runtime);
  const home: FunctionDescription[] = [];
  for (const resource of workflow.resources) {
    home.push(describeResource(resource, runtime, await rolePolicyOf(identity, project, resource.deployRegion.provider)));
  }
  const deploymentConfig = JSON.stringify(config);
  const fingerprint = releaseFingerprint(artifact, home, deploymentConfig);
  const functions = Object.entries(state.deployedRegions).map(([name, entry]) => ({ name, region: where(entry.deploy_region), identifier: entry.identifier }));
  if (state.releases?.history[state.releases.active]?.fingerprint === fingerprint) {
    return { workflowId, outcome: 'unchanged', changes: [], functions };
  }

  // Every copy gets its function's new description; migrated copies keep their own names and roles.
  const byFunction = new Map(home.map((d) => [d.function_name, d]));
  const copies = Object.entries(state.deployedRegions).map(([name, entry]) => {
    const stored = state.descriptions.find((d) => d.name === name);
    const fresh = stored ? byFunction.get(stored.function_name) : undefined;
    if (!stored || !fresh) throw new DeploymentError(`No description of ${name} in the deployment of ${workflowId}; run caribou remove ${workflowId}, then deploy`);
    const description: FunctionDescription = { ...fresh, name, role: { policy: fresh.role.policy, role_name: stored.role.role_name } };
    return { name, entry, stored, description };
  });
  const changes: DeployChange[] = [];
  const updatedRoles = new Set<string>();
  for (const copy of copies) {
    // One role per function, shared by its copies: listed once.
    const role = copy.description.role.role_name;
    if (copy.stored.role.policy !== copy.description.role.policy && !updatedRoles.has(role)) {
      updatedRoles.add(role);
      changes.push({ action: 'update', kind: 'role', region: where(copy.entry.deploy_region), name: role });
    }
    changes.push({ action: 'update', kind: 'function', region: where(copy.entry.deploy_region), name: copy.name });
  }
  if (options.dryRun) return { workflowId, outcome: 'planned', changes, functions };

  const ledger = new ResourceLedger(store, workflowId);
  const ledgerStatus = (await ledger.read())?.status;
  if (ledgerStatus !== 'deployed') {
    throw new DeploymentError(`Workflow ${workflowId} is ${ledgerStatus === 'removing' ? 'being removed' : 'not fully deployed'}; run caribou remove ${workflowId}, then deploy`);
  }
  const homeRegion = workflow.homeRegion;
  const isHome = (region: ProviderRegion) => region.provider === homeRegion.provider && region.region === homeRegion.region;
  // Home copies first: an image package reaches the other regions by copying the home copy's.
  copies.sort((a, b) => Number(!isHome(a.entry.deploy_region)) - Number(!isHome(b.entry.deploy_region)));
  const versions: Record<string, string> = {};
  const previous: Record<string, string | undefined> = {};
  const switched: string[] = [];
  try {
    await progress.step(`Updating ${copies.length} function copies of ${workflowId}`, async (update) => {
      for (const [index, copy] of copies.entries()) {
        update(`${index + 1}/${copies.length} ${copy.name}`);
        const region = copy.entry.deploy_region;
        const { roleIdentifier } = await identity.ensureRole(region, copy.description.role.role_name, copy.description.role.policy);
        const copyArtifact =
          artifact.kind === 'image' && !isHome(region) && deps.copier
            ? await deps.copier.copyToRegion({ region: homeRegion, functionName: homeCopyOf(copy.description, copies, isHome) }, region)
            : artifact;
        const deployed = await platform.createOrUpdate({
          functionName: copy.name,
          region,
          artifact: copyArtifact,
          handler: copy.description.handler,
          entryPoint: copy.description.entry_point,
          environment: copy.description.environment_variables,
          memoryMb: copy.description.memory_mb,
          timeoutSeconds: copy.description.timeout_s,
          roleIdentifier,
          runtime: copy.description.runtime,
        });
        await recordArtifactStore(deps.copier, copyArtifact, ledger, 'deploy');
        if (deps.logGroups) {
          // A copy deployed before log groups were Caribou's gets one now; a changed log_retention_days applies to every copy.
          const logGroupCreated = await ledger.willCreate({ kind: 'log-group', region, name: copy.name, createdBy: 'deploy' });
          await logGroupCreated(await deps.logGroups.ensure(region, copy.name, logRetentionDaysOf(copy.description.providers[region.provider]?.config ?? {})));
        }
        let identifier = deployed.functionIdentifier;
        if (releases) {
          previous[copy.name] = await releases.active(region, copy.name);
          const published = await releases.publish(region, copy.name);
          versions[copy.name] = published.version;
          identifier = published.identifier;
          // An image copy is taken from the live home copy, so the home copies go live first.
          if (artifact.kind === 'image' && isHome(region)) {
            await releases.activate(region, copy.name, published.version);
            switched.push(copy.name);
          }
        }
        state.deployedRegions[copy.name] = { ...copy.entry, identifier, function_identifier: identifier };
      }
    });
    if (releases) {
      await progress.step(`Switching ${copies.length} copies to the new release`, async () => {
        for (const copy of copies) {
          if (switched.includes(copy.name)) continue;
          await releases.activate(copy.entry.deploy_region, copy.name, versions[copy.name]!);
          switched.push(copy.name);
        }
      });
    }
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    if (!releases) {
      throw new DeploymentError(`Update of ${workflowId} failed: ${cause}; some copies may already run the new code, run caribou deploy again`, { cause: error });
    }
    const stuck: string[] = [];
    for (const name of switched) {
      const copy = copies.find((c) => c.name === name)!;
      const back = previous[name];
      try {
        if (back) await releases.activate(copy.entry.deploy_region, name, back);
      } catch {
        stuck.push(name);
      }
    }
    if (stuck.length > 0) {
      throw new DeploymentError(`Update of ${workflowId} failed (${cause}) and ${stuck.join(', ')} could not be switched back; run caribou rollback ${workflowId}`, { cause: error });
    }
    throw new DeploymentError(`Update of ${workflowId} failed and was rolled back (the previous release stays live): ${cause}`, { cause: error });
  }

  await progress.step('Recording the release', async () => {
    const descriptions = copies.map((copy) => copy.description);
    const history = withRelease(state.releases, { fingerprint, versions, descriptions, deployment_config: deploymentConfig });
    const record: DeploymentResourcesRecord = {
      workflow_id: workflowId,
      workflow_function_descriptions: JSON.stringify(descriptions),
      deployment_config: deploymentConfig,
      deployed_regions: JSON.stringify(state.deployedRegions),
      ...(state.retiring ? { retiring_copies: JSON.stringify(state.retiring) } : {}),
      releases: JSON.stringify(history),
    };
    await store.put(Tables.deploymentResources, workflowId, JSON.stringify(record), { compress: true });
    // Deployments from before releases were invoked by function ARN: point their placements at the aliases.
    const wpd = withIdentifiers(state.wpd, state.deployedRegions);
    if (wpd !== state.wpd) await store.put(Tables.workflowPlacementDecision, workflowId, serializePlacementDecision(wpd));
    await store.put(
      Tables.deploymentManagerResource,
      workflowId,
      JSON.stringify({ workflow_id: workflowId, workflow_config: JSON.stringify(workflowConfigOf(workflow, config)) }),
    );
  });
  return {
    workflowId,
    outcome: 'updated',
    changes,
    functions: Object.entries(state.deployedRegions).map(([name, entry]) => ({ name, region: where(entry.deploy_region), identifier: entry.identifier })),
  };
}

function homeCopyOf(description: FunctionDescription, copies: ReadonlyArray<{ name: string; entry: DeployedRegionEntry; description: FunctionDescription }>, isHome: (region: ProviderRegion) => boolean): string {
  const home = copies.find((c) => c.description.function_name === description.function_name && isHome(c.entry.deploy_region));
  if (!home) throw new DeploymentError(`No home copy of ${description.function_name} to copy its image from`);
  return home.name;
}

/** The decision with every placement's address taken from `copies` (the same object when nothing changes). */
export function withIdentifiers(wpd: WorkflowPlacementDecision, copies: Record<string, DeployedRegionEntry>): WorkflowPlacementDecision {
  const next = structuredClone(wpd);
  let changed = false;
  const fix = (placements: Record<string, { provider_region: ProviderRegion; identifier: string; function_identifier: string }>) => {
    for (const [instance, placement] of Object.entries(placements)) {
      const copy = copies[physicalNameOfInstance(instance, placement.provider_region)];
      if (copy && (copy.identifier !== placement.identifier || copy.function_identifier !== placement.function_identifier)) {
        placement.identifier = copy.identifier;
        placement.function_identifier = copy.function_identifier;
        changed = true;
      }
    }
  };
  fix(next.workflow_placement.home_deployment);
  for (const placements of Object.values(next.workflow_placement.current_deployment?.instances ?? {})) fix(placements);
  return changed ? next : wpd;
}
