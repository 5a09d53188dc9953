import { DEFAULT_LAMBDA_RUNTIME, DeploymentError, esbuildTargetOf, projectLambdaRuntime, Tables } from '@caribou/domain-common';
import { checkPlanFits } from '@caribou/domain-routing';
import { asyncInvocationOf, initialPlacementDecision, serializePlacementDecision, workflowConfigOf, type DeployedFunctionAddresses } from '@caribou/domain-workflow';
import type { Clock, FailureDestinations, FunctionPlatform, IdentityManager, KeyValueStore, LogSource, PackageBuilder, ProgressReporter, SyncStoreProvider } from '@caribou/ports';
import { FailureDestinationSetup } from '../failures/index';
import { removeLedgerResources, ResourceLedger } from '../ledger/index';
import {
  type DeployableProject,
  type DeployedRegionEntry,
  type DeploymentResourcesRecord,
  type FunctionDescription,
} from './deployable-project';

export interface DeployWorkflowDeps {
  store: KeyValueStore;
  platform: FunctionPlatform;
  identity: IdentityManager;
  packages: PackageBuilder;
  syncStores: SyncStoreProvider;
  /** Where a copy's failed asynchronous events go; without it copies keep the platform's defaults and no destination. */
  failureDestinations?: FailureDestinations;
  progress: ProgressReporter;
  clock: Clock;
  logs?: LogSource;
}

export interface DeployResult {
  workflowId: string;
  functions: Array<{ name: string; region: string; identifier: string }>;
}

/** Every framework table the system region holds (created on first deploy, like `setup_tables`). */
export const FRAMEWORK_TABLES = Object.values(Tables);

/**
 * `caribou deploy` (reference-system §4.5) with a resource ledger: every role and
 * function is written to the ledger before it is created; on any failure everything
 * created so far is deleted again and no table row is left behind. The workflow is
 * registered (`deployment_manager_resource_table`) last, so a half deploy is never
 * visible as deployed (the reference registers first, §12.2 #15).
 */
export class DeployWorkflowService {
  constructor(private readonly deps: DeployWorkflowDeps) {}

  async deploy(project: DeployableProject): Promise<DeployResult> {
    const { workflow } = project;
    const { store, progress } = this.deps;
    const workflowId = workflow.workflowId;
    // Before anything is created: Lambda refuses a blocked runtime, after some functions exist.
    const runtime = projectLambdaRuntime(project.config, this.deps.clock.now());
    if (runtime?.warning) progress.warn(runtime.warning);
    await store.ensureTables(FRAMEWORK_TABLES);
    if (await store.has(Tables.deploymentManagerResource, workflowId)) {
      throw new DeploymentError(
        `Workflow ${workflow.workflowName} with version ${workflow.workflowVersion} already deployed, please use a different version number`,
      );
    }
    // Before anything is created: a workflow whose runs could not carry their placement decision must not deploy.
    // Physical names stand in for the identifiers; the encoding shares their common parts, so the estimate is close.
    const estimated = Object.fromEntries(workflow.resources.map((r) => [r.physicalName, { identifier: r.physicalName, function_identifier: r.physicalName }]));
    checkPlanFits(initialPlacementDecision(workflow, estimated), `Workflow ${workflowId} cannot be deployed`);
    const ledger = new ResourceLedger(store, workflowId);
    await ledger.begin();
    try {
      return await this.deployRecorded(project, ledger);
    } catch (error) {
      const cause = error instanceof Error ? error.message : String(error);
      const leftBehind = await progress.step('Rolling back', async (update) => {
        const record = await ledger.read();
        const failures = await removeLedgerResources(ledger, record?.resources ?? [], this.deps, update);
        for (const table of [Tables.workflowPlacementDecision, Tables.deploymentResources, Tables.deploymentManagerResource]) {
          await store.delete(table, workflowId);
        }
        if (failures.length === 0) await ledger.delete();
        return failures.length;
      });
      if (leftBehind > 0) {
        throw new DeploymentError(
          `Deploy of ${workflowId} failed (${cause}) and ${leftBehind} resource(s) could not be rolled back; run caribou remove ${workflowId}`,
          { cause: error },
        );
      }
      throw new DeploymentError(`Deploy of ${workflowId} failed and was rolled back: ${cause}`, { cause: error });
    }
  }

  private async deployRecorded(project: DeployableProject, ledger: ResourceLedger): Promise<DeployResult> {
    const { workflow, config } = project;
    const { store, platform, identity, packages, syncStores, progress } = this.deps;
    const home = workflow.homeRegion;
    // The local provider simulates Lambda: its functions carry the runtime they would have there.
    const runtime = projectLambdaRuntime(config, this.deps.clock.now())?.runtime.id ?? DEFAULT_LAMBDA_RUNTIME;
    const artifact = await progress.step(`Bundling ${project.appEntry}`, () =>
      packages.build({
        workflowName: workflow.workflowName,
        workflowVersion: workflow.workflowVersion,
        projectDir: project.projectDir,
        appEntry: project.appEntry,
        provider: home.provider,
        ...(config.packaging ? { packaging: config.packaging } : {}),
        ...(home.provider === 'aws' ? { nodeTarget: esbuildTargetOf(runtime) } : {}),
      }),
    );
    const onFailureDestination = await progress.step(`Preparing ${home.provider}:${home.region}`, async () => {
      await syncStores.ensureSyncTables(home);
      return this.deps.failureDestinations && new FailureDestinationSetup(store, this.deps.failureDestinations).ensure(home, 'deploy');
    });

    const addresses: DeployedFunctionAddresses = {};
    const deployedRegions: Record<string, DeployedRegionEntry> = {};
    const descriptions: FunctionDescription[] = [];
    await progress.step(`Deploying ${workflow.resources.length} functions`, async (update) => {
      for (const [index, resource] of workflow.resources.entries()) {
        update(`${index + 1}/${workflow.resources.length} ${resource.physicalName}`);
        const providerConfig = resource.providers[resource.deployRegion.provider]?.config ?? {};
        const policy = JSON.stringify(project.iamPolicy[resource.deployRegion.provider] ?? {});
        const roleCreated = await ledger.willCreate({ kind: 'role', region: resource.deployRegion, name: resource.roleName, createdBy: 'deploy' });
        const { roleIdentifier } = await identity.ensureRole(resource.deployRegion, resource.roleName, policy);
        await roleCreated(roleIdentifier);
        const description: FunctionDescription = {
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
        const functionCreated = await ledger.willCreate({ kind: 'function', region: resource.deployRegion, name: resource.physicalName, createdBy: 'deploy' });
        const deployed = await platform.createOrUpdate({
          functionName: resource.physicalName,
          region: resource.deployRegion,
          artifact,
          handler: description.handler,
          entryPoint: description.entry_point,
          environment: description.environment_variables,
          memoryMb: description.memory_mb,
          timeoutSeconds: description.timeout_s,
          roleIdentifier,
          runtime,
          ...(onFailureDestination ? { asyncInvocation: { ...asyncInvocationOf(providerConfig), onFailureDestination } } : {}),
        });
        await functionCreated(deployed.functionIdentifier);
        addresses[resource.physicalName] = { identifier: deployed.functionIdentifier, function_identifier: deployed.functionIdentifier };
        deployedRegions[resource.physicalName] = {
          deploy_region: { ...resource.deployRegion },
          identifier: deployed.functionIdentifier,
          function_identifier: deployed.functionIdentifier,
        };
        descriptions.push(description);
      }
    });

    await progress.step('Recording the deployment', async () => {
      const resources: DeploymentResourcesRecord = {
        workflow_id: workflow.workflowId,
        workflow_function_descriptions: JSON.stringify(descriptions),
        deployment_config: JSON.stringify(config),
        deployed_regions: JSON.stringify(deployedRegions),
      };
      // Compressed: one description per function copy (role policy, environment, providers) is ~2 KB, so a
      // 100-function workflow with its migrated copies passes DynamoDB's 400 KB item limit as text.
      await store.put(Tables.deploymentResources, workflow.workflowId, JSON.stringify(resources), { compress: true });
      await store.put(Tables.workflowPlacementDecision, workflow.workflowId, serializePlacementDecision(initialPlacementDecision(workflow, addresses)));
      await store.put(
        Tables.deploymentManagerResource,
        workflow.workflowId,
        JSON.stringify({ workflow_id: workflow.workflowId, workflow_config: JSON.stringify(workflowConfigOf(workflow, config)) }),
      );
      await ledger.update((record) => {
        record.status = 'deployed';
      });
    });
    return {
      workflowId: workflow.workflowId,
      functions: Object.entries(deployedRegions).map(([name, entry]) => ({
        name,
        region: `${entry.deploy_region.provider}:${entry.deploy_region.region}`,
        identifier: entry.function_identifier,
      })),
    };
  }
}
