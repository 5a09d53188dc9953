import { formatTime, MAXIMUM_HOPS_FROM_CLIENT_REQUEST, parseTime, regionKey, type ProviderRegion } from '@caribou/domain-common';
import {
  physicalNameOfInstance,
  type CurrentDeployment,
  type InstancePlacement,
  type StagedPlan,
  type WorkflowPlacementDecision,
} from '@caribou/domain-workflow';

/** What the migrator knows about one deployed function copy (`deployed_regions` entry). */
export interface DeployedCopy {
  deploy_region: ProviderRegion;
  identifier: string;
  function_identifier: string;
}

export interface CopyFunctionAction {
  kind: 'copy-function';
  /** Physical name of the new copy, `<instance prefix>_<provider>-<region>`. */
  functionName: string;
  region: ProviderRegion;
  /** An existing copy of the same function to take the code and configuration from. */
  source: { functionName: string; region: ProviderRegion };
  /** Time keys whose plan needs this copy. */
  neededBy: string[];
}

export interface PublishAction {
  kind: 'publish-plan';
  timeKeys: string[];
  expiryTime: string;
}

export interface RetireFunctionAction {
  kind: 'retire-function';
  functionName: string;
  region: ProviderRegion;
}

/** A copy no plan uses any more, kept until runs that may still target it have drained. */
export interface DrainFunctionAction {
  kind: 'drain-function';
  functionName: string;
  region: ProviderRegion;
  /** When a later migration may delete it (`unusedSince` + the grace period), TIME_FORMAT. */
  retireAfter: string;
}

export type MigrationAction = CopyFunctionAction | PublishAction | DrainFunctionAction | RetireFunctionAction;

/** A copy waiting out its grace period (`retiring_copies` of the deployment record). */
export interface RetiringCopy {
  deploy_region: ProviderRegion;
  /** TIME_FORMAT: from then on the migrator deletes it. */
  retire_after: string;
}

export interface MigrationInput {
  staged: StagedPlan;
  wpd: WorkflowPlacementDecision;
  deployedRegions: Record<string, DeployedCopy>;
  nowMs: number;
  /** Copies already draining (from earlier migrations). */
  retiring?: Record<string, RetiringCopy>;
  /** How long a copy stays after the last moment a run could have been sent to it (`retirementGraceMs`). */
  graceMs?: number;
}

/**
 * How long a run that started just before a copy stopped being used may still reach it: each
 * of at most MAXIMUM_HOPS_FROM_CLIENT_REQUEST hops of a run can take the longest function
 * timeout of the workflow before it sends the next message. A run carries its placement
 * decision in its messages, so it keeps following the plan it started under until it ends.
 */
export function retirementGraceMs(timeoutsSeconds: readonly number[]): number {
  const longest = Math.max(0, ...timeoutsSeconds.filter((t) => Number.isFinite(t)));
  return longest * MAXIMUM_HOPS_FROM_CLIENT_REQUEST * 1000;
}

/** Time keys in hour order ("0", "6", "12", "18"): the staging row's keys may come in any order. */
export function orderedTimeKeys(keys: Iterable<string>): string[] {
  return [...keys].sort((a, b) => Number(a) - Number(b));
}

/**
 * The actions that make the staged plan real (reference-system §4.6, reference-solver §8):
 * a copy of every function in every region some time key places it that does not have
 * one yet, then the publication of the plan as `current_deployment`, then, for copies that
 * neither home nor the new plan uses, a drain (kept: runs that started under the plan being
 * replaced carry it in their messages and may still reach them for `graceMs`) or, once their
 * grace period is over, a retirement. Pure: planning again after a partial migration yields
 * only the remaining actions.
 */
export function planMigration(input: MigrationInput): MigrationAction[] {
  const { staged, wpd, deployedRegions } = input;
  const timeKeys = orderedTimeKeys(Object.keys(staged.time_keys_to_staging_area_data));
  const copies = new Map<string, CopyFunctionAction>();
  const used = homeCopies(wpd);
  for (const timeKey of timeKeys) {
    for (const [instance, { provider_region: region }] of Object.entries(staged.time_keys_to_staging_area_data[timeKey]!)) {
      const functionName = physicalNameOfInstance(instance, region);
      used.add(functionName);
      if (deployedRegions[functionName]) continue;
      const existing = copies.get(functionName);
      if (existing) {
        if (!existing.neededBy.includes(timeKey)) existing.neededBy.push(timeKey);
        continue;
      }
      const home = wpd.workflow_placement.home_deployment[instance];
      if (!home) continue;
      copies.set(functionName, {
        kind: 'copy-function',
        functionName,
        region,
        source: { functionName: physicalNameOfInstance(instance, home.provider_region), region: home.provider_region },
        neededBy: [timeKey],
      });
    }
  }
  // The plan being replaced stops being followed by new runs now, or stopped when it expired.
  const oldPlan = wpd.workflow_placement.current_deployment;
  const oldPlanCopies = oldPlan ? planCopies(oldPlan) : new Set<string>();
  const lastTargeted = (name: string): number =>
    oldPlan && oldPlanCopies.has(name) && oldPlan.expiry_time !== null ? Math.min(input.nowMs, parseTime(oldPlan.expiry_time)) : input.nowMs;
  const endOfLife = planRetirements(input, used, lastTargeted);
  return [...copies.values(), { kind: 'publish-plan', timeKeys, expiryTime: staged.expiry_time }, ...endOfLife];
}

/**
 * Without a staged plan: the copies whose grace period is over are retired; copies the current
 * plan or home uses again stop draining. Nothing else changes.
 */
export function planDueRetirements(input: Omit<MigrationInput, 'staged'>): MigrationAction[] {
  const used = homeCopies(input.wpd);
  const current = input.wpd.workflow_placement.current_deployment;
  if (current && !isPastExpiry(current, input.nowMs)) for (const name of planCopies(current)) used.add(name);
  const retiring = input.retiring ?? {};
  // Only copies already draining are considered: the others were in use at the last migration.
  const draining = Object.fromEntries(Object.entries(input.deployedRegions).filter(([name]) => retiring[name] !== undefined));
  return planRetirements({ ...input, deployedRegions: draining }, used, () => input.nowMs);
}

function planRetirements(
  input: Pick<MigrationInput, 'deployedRegions' | 'nowMs' | 'retiring' | 'graceMs'>,
  used: ReadonlySet<string>,
  lastTargeted: (name: string) => number,
): Array<DrainFunctionAction | RetireFunctionAction> {
  const drains: DrainFunctionAction[] = [];
  const retirements: RetireFunctionAction[] = [];
  for (const [functionName, copy] of Object.entries(input.deployedRegions)) {
    if (used.has(functionName)) continue;
    const recorded = input.retiring?.[functionName];
    const retireAfterMs = recorded ? parseTime(recorded.retire_after) : lastTargeted(functionName) + (input.graceMs ?? 0);
    if (input.nowMs >= retireAfterMs) retirements.push({ kind: 'retire-function', functionName, region: copy.deploy_region });
    else drains.push({ kind: 'drain-function', functionName, region: copy.deploy_region, retireAfter: formatTime(retireAfterMs) });
  }
  return [...drains, ...retirements];
}

/** The copies draining after `actions` are applied: what the deployment record keeps in `retiring_copies`. */
export function retiringAfter(actions: readonly MigrationAction[]): Record<string, RetiringCopy> {
  const retiring: Record<string, RetiringCopy> = {};
  for (const action of actions) {
    if (action.kind === 'drain-function') retiring[action.functionName] = { deploy_region: { ...action.region }, retire_after: action.retireAfter };
  }
  return retiring;
}

function homeCopies(wpd: WorkflowPlacementDecision): Set<string> {
  return new Set(Object.entries(wpd.workflow_placement.home_deployment).map(([instance, p]) => physicalNameOfInstance(instance, p.provider_region)));
}

function planCopies(plan: CurrentDeployment): Set<string> {
  const names = new Set<string>();
  for (const placements of Object.values(plan.instances)) {
    for (const [instance, placement] of Object.entries(placements)) names.add(physicalNameOfInstance(instance, placement.provider_region));
  }
  return names;
}

function isPastExpiry(plan: CurrentDeployment, nowMs: number): boolean {
  return plan.expiry_time === null || nowMs > parseTime(plan.expiry_time);
}

/**
 * The `current_deployment` to publish: every staged placement resolved to the address of
 * the copy in that region. Throws when a copy is missing (the copies must run first).
 */
export function currentDeploymentOf(staged: StagedPlan, deployedRegions: Record<string, DeployedCopy>): CurrentDeployment {
  const timeKeys = orderedTimeKeys(Object.keys(staged.time_keys_to_staging_area_data));
  const instances: Record<string, Record<string, InstancePlacement>> = {};
  for (const timeKey of timeKeys) {
    instances[timeKey] = {};
    for (const [instance, { provider_region: region }] of Object.entries(staged.time_keys_to_staging_area_data[timeKey]!)) {
      const copy = deployedRegions[physicalNameOfInstance(instance, region)];
      if (!copy) throw new Error(`No copy of ${instance} in ${regionKey(region)} to publish; run the migration again`);
      instances[timeKey][instance] = {
        provider_region: { provider: region.provider, region: region.region },
        identifier: copy.identifier,
        function_identifier: copy.function_identifier,
      };
    }
  }
  return { expiry_time: staged.expiry_time, time_keys: timeKeys, instances };
}

/** A stable id per action, recorded in the ledger as steps complete. */
export function actionId(action: MigrationAction): string {
  switch (action.kind) {
    case 'copy-function':
      return `copy:${regionKey(action.region)}:${action.functionName}`;
    case 'publish-plan':
      return `publish:${action.expiryTime}`;
    case 'drain-function':
      return `drain:${regionKey(action.region)}:${action.functionName}`;
    case 'retire-function':
      return `retire:${regionKey(action.region)}:${action.functionName}`;
  }
}
