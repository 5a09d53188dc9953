import { parseTime, regionKey, type ProviderRegion } from '@caribou/domain-common';
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

export type MigrationAction = CopyFunctionAction | PublishAction | RetireFunctionAction;

export interface MigrationInput {
  staged: StagedPlan;
  wpd: WorkflowPlacementDecision;
  deployedRegions: Record<string, DeployedCopy>;
  nowMs: number;
}

/** Time keys in hour order ("0", "6", "12", "18"): the staging row's keys may come in any order. */
export function orderedTimeKeys(keys: Iterable<string>): string[] {
  return [...keys].sort((a, b) => Number(a) - Number(b));
}

/**
 * The actions that make the staged plan real (reference-system §4.6, reference-solver §8):
 * a copy of every function in every region some time key places it that does not have
 * one yet, then the publication of the plan as `current_deployment`, then retiring copies
 * that neither home, nor the new plan, nor an unexpired old plan uses (runs that started
 * under the old plan may still be reaching its copies until it expires). Pure: planning
 * again after a partial migration yields only the remaining actions.
 */
export function planMigration(input: MigrationInput): MigrationAction[] {
  const { staged, wpd, deployedRegions } = input;
  const timeKeys = orderedTimeKeys(Object.keys(staged.time_keys_to_staging_area_data));
  const copies = new Map<string, CopyFunctionAction>();
  const used = new Set<string>(
    Object.entries(wpd.workflow_placement.home_deployment).map(([instance, p]) => physicalNameOfInstance(instance, p.provider_region)),
  );

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

  const oldPlan = wpd.workflow_placement.current_deployment;
  if (oldPlan && !isPastExpiry(oldPlan, input.nowMs)) {
    for (const placements of Object.values(oldPlan.instances)) {
      for (const [instance, placement] of Object.entries(placements)) used.add(physicalNameOfInstance(instance, placement.provider_region));
    }
  }
  const retirements: RetireFunctionAction[] = Object.entries(deployedRegions)
    .filter(([name]) => !used.has(name))
    .map(([functionName, copy]) => ({ kind: 'retire-function', functionName, region: copy.deploy_region }));

  return [...copies.values(), { kind: 'publish-plan', timeKeys, expiryTime: staged.expiry_time }, ...retirements];
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
    case 'retire-function':
      return `retire:${regionKey(action.region)}:${action.functionName}`;
  }
}
