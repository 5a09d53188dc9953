import { CaribouError, checkLambdaRuntime, formatTime, parseTime, readableTime, regionKey, Tables } from '@caribou/domain-common';
import {
  actionId,
  currentDeploymentOf,
  planDueRetirements,
  planMigration,
  retirementGraceMs,
  retiringAfter,
  type DeployedCopy,
  type MigrationAction,
  type RetiringCopy,
} from '@caribou/domain-planner';
import { checkPlanFits } from '@caribou/domain-routing';
import {
  asyncInvocationOf,
  encodePlacementDecision,
  logRetentionDaysOf,
  roleNameOf,
  serializePlacementDecision,
  type StagedPlan,
  type WorkflowPlacementDecision,
} from '@caribou/domain-workflow';
import type { ArtifactCopier, Clock, EnabledRegions, FailureDestinations, FunctionLogGroups, FunctionPlatform, FunctionReleases, IdentityManager, KeyValueStore, ProgressReporter, SyncStoreProvider } from '@caribou/ports';
import { FailureDestinationSetup } from '../failures/index';
import { SyncTablesSetup } from '../framework/sync-tables-setup';
import type { DeployedRegionEntry, DeploymentResourcesRecord, FunctionDescription, ReleaseHistory } from '../deploy/index';
import { recordArtifactStore } from '../deploy/index';
import { ResourceLedger } from '../ledger/index';
import { EnabledRegionCheck, notEnabledReason } from '../regions/enabled-region-check';
import { readRow, StoredRowError } from '../stored-rows';

export interface MigrateDeploymentsDeps {
  store: KeyValueStore;
  platform: FunctionPlatform;
  identity: IdentityManager;
  copier: ArtifactCopier;
  syncStores: SyncStoreProvider;
  /** The new region's on-failure destination, which each copy names (as deploy does for home). */
  failureDestinations?: FailureDestinations;
  clock: Clock;
  progress: ProgressReporter;
  /** Where an account enables regions (AWS): no copy goes to a region it has not enabled. */
  enabledRegions?: EnabledRegions;
  /** Where Caribou owns the functions' log groups (AWS): a new copy's is created with the workflow's retention. */
  logGroups?: FunctionLogGroups;
  /** Where functions have versions (AWS): a new copy joins the live release behind its alias. */
  releases?: FunctionReleases;
}

export interface MigrationReport {
  workflowId: string;
  actions: MigrationAction[];
  applied: boolean;
}

export interface MigrateOptions {
  workflowId?: string;
  dryRun?: boolean;
  /** Called after each applied step with its id (tests inject crashes here). */
  afterStep?: (stepId: string) => void | Promise<void>;
}

interface WorkflowState {
  workflowId: string;
  /** Undefined when only draining copies bring the workflow to the migrator. */
  staged: StagedPlan | undefined;
  wpd: WorkflowPlacementDecision;
  /** `deployment_config` of the resources row, written back as it was read. */
  deploymentConfig: Record<string, unknown>;
  deployedRegions: Record<string, DeployedRegionEntry>;
  descriptions: FunctionDescription[];
  retiring: Record<string, RetiringCopy>;
  releases: ReleaseHistory | undefined;
}

/**
 * `caribou run_deployment_migrator` (reference-system §4.6–§4.7): for every workflow with
 * a staged plan, copy functions to the regions the plan uses, publish the plan as the
 * placement decision's `current_deployment`, retire copies nothing uses any more, and
 * delete the staging row. Every copy is on the ledger before it is created and each step
 * is persisted as it completes, so a migration that stops half-way is finished by the
 * next run without duplicate copies.
 */
export class MigrateDeploymentsService {
  constructor(private readonly deps: MigrateDeploymentsDeps) {}

  async migrate(options: MigrateOptions = {}): Promise<MigrationReport[]> {
    const pending = await this.workflowsToMigrate();
    const ids = options.workflowId ? pending.filter((id) => id === options.workflowId) : pending;
    if (options.workflowId && ids.length === 0) {
      if (!(await this.deps.store.has(Tables.deploymentManagerResource, options.workflowId))) {
        throw new CaribouError(`No workflow ${options.workflowId} is deployed (caribou list shows the deployed workflows)`);
      }
      throw new CaribouError(`No staged plan for ${options.workflowId}; run caribou manage_deployments first`);
    }
    const reports: MigrationReport[] = [];
    const failures: string[] = [];
    for (const workflowId of ids) {
      try {
        const report = await this.migrateWorkflow(workflowId, options);
        if (report) reports.push(report);
      } catch (error) {
        // One workflow's problem must not hold back the others' plans; anything that is not a
        // reported problem (a bug, an interrupted process) stops the migration as it is.
        if (!(error instanceof CaribouError)) throw error;
        failures.push(`${workflowId}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (failures.length > 0) throw new CaribouError(`Migration failed for ${failures.join('; ')}`);
    return reports;
  }

  /**
   * Workflows the migrator has work for: a staged plan, or copies draining since an earlier
   * migration (retired once their grace period is over). Sorted, each once.
   */
  async workflowsToMigrate(): Promise<string[]> {
    const { store } = this.deps;
    const ids = new Set(await store.keys(Tables.workflowPlacementSolverStagingArea));
    for (const workflowId of await store.keys(Tables.deploymentManagerResource)) {
      if (ids.has(workflowId)) continue;
      // A damaged row is reported by the migration itself; here it only must not hide the others.
      try {
        const resources = await readRow(store, Tables.deploymentResources, workflowId);
        if (resources?.retiring_copies && Object.keys(resources.retiring_copies).length > 0) ids.add(workflowId);
      } catch (error) {
        if (!(error instanceof StoredRowError)) throw error;
        ids.add(workflowId);
      }
    }
    return [...ids].sort();
  }

  private async readState(workflowId: string): Promise<WorkflowState> {
    const { store } = this.deps;
    const [staged, wpd, resources] = await Promise.all([
      readRow(store, Tables.workflowPlacementSolverStagingArea, workflowId),
      readRow(store, Tables.workflowPlacementDecision, workflowId),
      readRow(store, Tables.deploymentResources, workflowId),
    ]);
    if (!wpd || !resources || !(await store.has(Tables.deploymentManagerResource, workflowId))) {
      throw new CaribouError(`Workflow ${workflowId} is not deployed; its staged plan cannot be applied (caribou remove ${workflowId} clears it)`);
    }
    return {
      workflowId,
      staged,
      wpd,
      deploymentConfig: resources.deployment_config,
      deployedRegions: resources.deployed_regions,
      descriptions: resources.workflow_function_descriptions,
      retiring: resources.retiring_copies ?? {},
      releases: resources.releases as ReleaseHistory | undefined,
    };
  }

  private async migrateWorkflow(workflowId: string, options: MigrateOptions): Promise<MigrationReport | undefined> {
    const { store, clock, progress } = this.deps;
    const state = await this.readState(workflowId);
    const graceMs = retirementGraceMs(state.descriptions.map((d) => d.timeout_s));
    const staged = state.staged;
    if (!staged) {
      // Only draining copies: retire those whose grace period is over.
      const actions = planDueRetirements({ wpd: state.wpd, deployedRegions: state.deployedRegions, nowMs: clock.now(), retiring: state.retiring, graceMs });
      if (!actions.some((action) => action.kind === 'retire-function')) return options.workflowId ? { workflowId, actions, applied: false } : undefined;
      if (options.dryRun) return { workflowId, actions, applied: false };
      const ledger = await this.deployedLedger(workflowId);
      await progress.step(`Retiring copies of ${workflowId}`, async (update) => {
        for (const [index, action] of actions.entries()) {
          update(`${index + 1}/${actions.length} ${describeAction(action)}`);
          await this.apply(action, state, ledger);
          await options.afterStep?.(actionId(action));
        }
        await this.saveRetiring(state, actions);
      });
      return { workflowId, actions, applied: true };
    }
    checkStagedPlan(workflowId, staged, state);
    if (parseTime(staged.expiry_time) <= clock.now()) {
      // Copying functions for a plan no run will follow would only cost money.
      if (!options.dryRun) await store.delete(Tables.workflowPlacementSolverStagingArea, workflowId);
      progress.warn(`The staged plan of ${workflowId} expired at ${staged.expiry_time}; ${options.dryRun ? 'it would be' : 'it was'} discarded`);
      return { workflowId, actions: [], applied: false };
    }
    const actions = planMigration({
      staged,
      wpd: state.wpd,
      deployedRegions: state.deployedRegions,
      nowMs: clock.now(),
      retiring: state.retiring,
      graceMs,
    });
    // Refused before anything is copied: a plan whose runs could not carry it must not cost a copy.
    checkPlanFits(decisionToPublish(staged, state, estimatedCopies(state, actions)), `The plan staged for ${workflowId} is not published`);
    this.checkCopyRuntimes(workflowId, state, actions);
    // A plan made before a region was disabled (or by hand) must not cost a copy that cannot be made.
    const copyRegions = actions.flatMap((action) => (action.kind === 'copy-function' ? [action.region] : []));
    const [disabled] = await new EnabledRegionCheck(this.deps.enabledRegions).disabled(copyRegions);
    if (disabled) throw new CaribouError(`The plan staged for ${workflowId} is not applied: it places functions in ${notEnabledReason(disabled)}; caribou manage_deployments plans without it`);
    if (options.dryRun) return { workflowId, actions, applied: false };
    const ledger = await this.deployedLedger(workflowId);
    await progress.step(`Migrating ${workflowId}`, async (update) => {
      for (const [index, action] of actions.entries()) {
        update(`${index + 1}/${actions.length} ${describeAction(action)}`);
        await this.apply(action, state, ledger);
        await options.afterStep?.(actionId(action));
      }
      // Copies the new plan uses again stop draining.
      await this.saveRetiring(state, actions);
      await store.delete(Tables.workflowPlacementSolverStagingArea, workflowId);
      await options.afterStep?.('delete-staging');
    });
    return { workflowId, actions, applied: true };
  }

  private async deployedLedger(workflowId: string): Promise<ResourceLedger> {
    const ledger = new ResourceLedger(this.deps.store, workflowId);
    const ledgerStatus = (await ledger.read())?.status;
    if (ledgerStatus !== 'deployed') {
      throw new CaribouError(`Workflow ${workflowId} is ${ledgerStatus === 'removing' ? 'being removed' : 'not fully deployed'}; its staged plan is not applied`);
    }
    return ledger;
  }

  private async saveRetiring(state: WorkflowState, actions: readonly MigrationAction[]): Promise<void> {
    const next = retiringAfter(actions);
    if (JSON.stringify(next) === JSON.stringify(state.retiring)) return;
    state.retiring = next;
    await this.saveResources(state);
  }

  /**
   * A copy on Lambda is a new function: refused before anything is copied when its runtime (the
   * one the workflow was deployed with) is one Lambda no longer creates functions with.
   */
  private checkCopyRuntimes(workflowId: string, state: WorkflowState, actions: readonly MigrationAction[]): void {
    const runtimes = new Set<string>();
    for (const action of actions) {
      if (action.kind !== 'copy-function' || action.region.provider !== 'aws') continue;
      const source = state.descriptions.find((d) => d.name === action.source.functionName);
      if (source) runtimes.add(source.runtime);
    }
    for (const runtime of runtimes) {
      let checked;
      try {
        checked = checkLambdaRuntime(runtime, this.deps.clock.now(), `runtime of ${workflowId}`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new CaribouError(`${message}, set as regions_and_providers.providers.aws.config.runtime, then caribou deploy updates every copy`, { cause: error });
      }
      if (checked.warning) this.deps.progress.warn(checked.warning);
    }
  }

  private async apply(action: MigrationAction, state: WorkflowState, ledger: ResourceLedger): Promise<void> {
    const { store, platform, identity, copier, syncStores } = this.deps;
    const workflowId = ledger.workflowId;
    if (action.kind === 'copy-function') {
      const source = state.descriptions.find((d) => d.name === action.source.functionName);
      if (!source) throw new CaribouError(`No description of ${action.source.functionName} in the deployment of ${workflowId}`);
      // The function's own role, created by deploy: its policy covers every region the function may run in.
      const { roleIdentifier } = await identity.ensureRole(action.region, source.role.role_name, source.role.policy);
      await new SyncTablesSetup(store, syncStores).ensure(action.region, `migrate:${workflowId}`);
      const onFailureDestination = this.deps.failureDestinations && (await new FailureDestinationSetup(store, this.deps.failureDestinations).ensure(action.region, `migrate:${workflowId}`));
      const artifact = await copier.copyToRegion(action.source, action.region);
      await recordArtifactStore(copier, artifact, ledger, 'migrate');
      const providerConfig = source.providers[action.region.provider]?.config ?? {};
      const functionCreated = await ledger.willCreate({ kind: 'function', region: action.region, name: action.functionName, createdBy: 'migrate' });
      const deployed = await platform.createOrUpdate({
        functionName: action.functionName,
        region: action.region,
        artifact,
        handler: source.handler,
        entryPoint: source.entry_point,
        environment: source.environment_variables,
        memoryMb: source.memory_mb,
        timeoutSeconds: source.timeout_s,
        roleIdentifier,
        runtime: source.runtime,
        ...(onFailureDestination
          ? { asyncInvocation: { ...asyncInvocationOf(providerConfig), onFailureDestination } }
          : {}),
      });
      await functionCreated(deployed.functionIdentifier);
      if (this.deps.logGroups) {
        // Before any run reaches the copy (the plan is published after every copy exists), with the workflow's retention.
        const logGroupCreated = await ledger.willCreate({ kind: 'log-group', region: action.region, name: action.functionName, createdBy: 'migrate' });
        await logGroupCreated(await this.deps.logGroups.ensure(action.region, action.functionName, logRetentionDaysOf(providerConfig)));
      }
      let identifier = deployed.functionIdentifier;
      const description: FunctionDescription = { ...source, name: action.functionName };
      if (this.deps.releases) {
        // Runs reach the copy through its alias, like the home copy; it joins the live release.
        const published = await this.deps.releases.publish(action.region, action.functionName);
        identifier = published.identifier;
        const live = state.releases?.history[state.releases.active];
        if (live) {
          live.versions[action.functionName] = published.version;
          live.descriptions = [...live.descriptions.filter((d) => d.name !== action.functionName), description];
        }
      }
      state.deployedRegions[action.functionName] = { deploy_region: { ...action.region }, identifier, function_identifier: identifier };
      state.descriptions = [...state.descriptions.filter((d) => d.name !== action.functionName), description];
      await this.saveResources(state);
    } else if (action.kind === 'publish-plan') {
      if (!state.staged) throw new CaribouError(`No staged plan of ${workflowId} to publish`);
      const staged = state.staged;
      const next = decisionToPublish(staged, state, state.deployedRegions);
      // Identifiers are known now; the estimate before the copies was close, this is exact.
      checkPlanFits(next, `The plan staged for ${workflowId} is not published`);
      state.wpd = next;
      // The plan's metrics outlive the staging row: `caribou plan` reports on the published plan. Compressed:
      // 24 hours of a 100-function plan with its metrics is a few hundred KB as text.
      await store.put(Tables.publishedPlan, workflowId, JSON.stringify({ ...staged, published_at: formatTime(this.deps.clock.now()) }), {
        compress: true,
      });
      await store.put(Tables.workflowPlacementDecision, workflowId, serializePlacementDecision(state.wpd));
    } else if (action.kind === 'drain-function') {
      // Kept: runs in flight may still send to it. Recorded so that a later migration retires it.
      state.retiring[action.functionName] = { deploy_region: { ...action.region }, retire_after: action.retireAfter };
      await this.saveResources(state);
    } else {
      await platform.remove(action.region, action.functionName);
      await ledger.forget({ kind: 'function', region: action.region, name: action.functionName });
      if ((await ledger.read())?.resources.some((entry) => entry.kind === 'log-group' && entry.name === action.functionName && entry.region.region === action.region.region)) {
        await this.deps.logGroups?.remove(action.region, action.functionName);
        await ledger.forget({ kind: 'log-group', region: action.region, name: action.functionName });
      }
      // Copies made before roles were shared per function had a role of their own.
      const ownRole = roleNameOf(action.functionName);
      if ((await ledger.read())?.resources.some((entry) => entry.kind === 'role' && entry.name === ownRole)) {
        await identity.removeRole(action.region, ownRole);
        await ledger.forget({ kind: 'role', region: action.region, name: ownRole });
      }
      delete state.deployedRegions[action.functionName];
      delete state.retiring[action.functionName];
      state.descriptions = state.descriptions.filter((d) => d.name !== action.functionName);
      await this.saveResources(state);
    }
  }

  private async saveResources(state: WorkflowState): Promise<void> {
    const record: DeploymentResourcesRecord = {
      workflow_id: state.workflowId,
      deployment_config: JSON.stringify(state.deploymentConfig),
      workflow_function_descriptions: JSON.stringify(state.descriptions),
      deployed_regions: JSON.stringify(state.deployedRegions),
      retiring_copies: JSON.stringify(state.retiring),
      ...(state.releases ? { releases: JSON.stringify(state.releases) } : {}),
    };
    // Compressed, as deploy writes it: ~2 KB per function copy would pass DynamoDB's 400 KB item limit.
    await this.deps.store.put(Tables.deploymentResources, record.workflow_id, JSON.stringify(record), { compress: true });
  }
}

/**
 * The decision the migrator would store: the staged plan as `current_deployment`, resolved
 * to the copies in `copies`. The plan version goes up by one, unless the stored decision
 * already holds this very plan (a migration resumed after its publish step).
 */
function decisionToPublish(staged: StagedPlan, state: WorkflowState, copies: Record<string, DeployedCopy>): WorkflowPlacementDecision {
  const current = currentDeploymentOf(staged, copies);
  const next: WorkflowPlacementDecision = { ...state.wpd, workflow_placement: { ...state.wpd.workflow_placement, current_deployment: current } };
  const samePlan =
    JSON.stringify(encodePlacementDecision(next).current_deployment) === JSON.stringify(encodePlacementDecision(state.wpd).current_deployment);
  next.plan_version = (state.wpd.plan_version ?? 0) + (samePlan ? 0 : 1);
  return next;
}

/**
 * The deployed copies plus the ones `actions` will make, each with the identifier of its
 * source copy rewritten for its name and region — what the platforms return (a Lambda ARN,
 * `local:<region>:<name>`), so the size check before copying measures nearly exact bytes.
 */
function estimatedCopies(state: WorkflowState, actions: readonly MigrationAction[]): Record<string, DeployedCopy> {
  const copies: Record<string, DeployedCopy> = { ...state.deployedRegions };
  for (const action of actions) {
    if (action.kind !== 'copy-function') continue;
    const source = state.deployedRegions[action.source.functionName];
    const identifier = source
      ? source.identifier.split(action.source.functionName).join(action.functionName).split(action.source.region.region).join(action.region.region)
      : action.functionName;
    copies[action.functionName] = { deploy_region: { ...action.region }, identifier, function_identifier: identifier };
  }
  return copies;
}

/** A staged plan must place every instance of the workflow, and nothing else. */
function checkStagedPlan(workflowId: string, staged: StagedPlan, state: WorkflowState): void {
  const known = new Set(Object.keys(state.wpd.workflow_placement.home_deployment));
  for (const [timeKey, placements] of Object.entries(staged.time_keys_to_staging_area_data)) {
    const unknown = Object.keys(placements).filter((instance) => !known.has(instance));
    if (unknown.length > 0) {
      throw new CaribouError(
        `The staged plan of ${workflowId} places ${unknown[0]} (time key ${timeKey}), which the deployed workflow does not have; run caribou manage_deployments again`,
      );
    }
  }
}

export function describeAction(action: MigrationAction): string {
  switch (action.kind) {
    case 'copy-function':
      return `copy ${action.functionName} to ${regionKey(action.region)} (from ${regionKey(action.source.region)}; for hours ${action.neededBy.join(', ')})`;
    case 'publish-plan':
      return `publish the plan for hours ${action.timeKeys.join(', ')} (expires ${readableTime(action.expiryTime)})`;
    case 'drain-function':
      return `keep ${action.functionName} in ${regionKey(action.region)} until ${readableTime(action.retireAfter)} (no plan uses it; runs in flight may still reach it)`;
    case 'retire-function':
      return `retire ${action.functionName} in ${regionKey(action.region)} (no plan uses it, runs that could reach it have drained)`;
  }
}
