import { CaribouError, regionKey, Tables } from '@caribou/domain-common';
import type { FunctionReleases, KeyValueStore, ProgressReporter } from '@caribou/ports';
import { readRow } from '../stored-rows';
import type { DeploymentResourcesRecord, FunctionDescription } from './deployable-project';
import { RELEASES_KEPT, type ReleaseHistory } from './releases';

export interface RollbackWorkflowDeps {
  store: KeyValueStore;
  progress: ProgressReporter;
  /** The provider's versions; absent where functions have none (the local provider). */
  releases?: FunctionReleases;
  provider: string;
}

export interface RollbackResult {
  workflowId: string;
  /** The release now live, counting from 1 for the oldest one kept. */
  release: number;
  /** Copies now running the earlier release. */
  restored: string[];
  /** Copies made by a migration after that release: they have no version of it and keep the code they run. */
  kept: string[];
}

/**
 * `caribou rollback <workflow_id>`: points every copy's alias back at the version the previous
 * release deployed, so every copy runs the previous code and configuration at once (nothing is
 * rebuilt or uploaded), and makes that release the live one: the next deploy compares with it.
 */
export class RollbackWorkflowService {
  constructor(private readonly deps: RollbackWorkflowDeps) {}

  async rollback(workflowId: string): Promise<RollbackResult> {
    const { store, releases, progress } = this.deps;
    if (!(await store.has(Tables.deploymentManagerResource, workflowId))) {
      throw new CaribouError(`No workflow ${workflowId} is deployed (caribou list shows the deployed workflows)`);
    }
    if (!releases) {
      throw new CaribouError(`rollback needs function versions, which the ${this.deps.provider} provider does not keep; deploy the previous code of ${workflowId} again`);
    }
    const resources = await readRow(store, Tables.deploymentResources, workflowId);
    if (!resources) throw new CaribouError(`Workflow ${workflowId} has no deployment record; run caribou remove ${workflowId}, then deploy`);
    const history = resources.releases as ReleaseHistory | undefined;
    if (!history || history.active <= 0) {
      throw new CaribouError(`${workflowId} has no earlier release to roll back to (deploy keeps the last ${RELEASES_KEPT}; each deploy that changed something is one)`);
    }
    const target = history.history[history.active - 1]!;
    const deployedRegions = resources.deployed_regions;
    const current = resources.workflow_function_descriptions as FunctionDescription[];
    const restored: string[] = [];
    const kept: string[] = [];
    await progress.step(`Rolling ${workflowId} back to its previous release`, async (update) => {
      for (const [name, entry] of Object.entries(deployedRegions)) {
        const version = target.versions[name];
        if (!version) {
          kept.push(name);
          continue;
        }
        update(`${name} in ${regionKey(entry.deploy_region)} → version ${version}`);
        await releases.activate(entry.deploy_region, name, version);
        restored.push(name);
      }
    });
    for (const name of kept) progress.warn(`${name} was copied after that release and keeps the code it runs`);
    // Later migrations copy what the live release describes.
    const descriptions = current.map((description) => target.descriptions.find((d) => d.name === description.name) ?? description);
    const record: DeploymentResourcesRecord = {
      workflow_id: workflowId,
      workflow_function_descriptions: JSON.stringify(descriptions),
      deployment_config: target.deployment_config,
      deployed_regions: JSON.stringify(deployedRegions),
      ...(resources.retiring_copies ? { retiring_copies: JSON.stringify(resources.retiring_copies) } : {}),
      releases: JSON.stringify({ ...history, active: history.active - 1 }),
    };
    await store.put(Tables.deploymentResources, workflowId, JSON.stringify(record), { compress: true });
    return { workflowId, release: history.active, restored, kept };
  }
}
