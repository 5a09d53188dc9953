import { describe, expect, it } from 'vitest';
import { formatTime, type ProviderRegion } from '@caribou/domain-common';
import type { CurrentDeployment, StagedPlan, WorkflowPlacementDecision } from '@caribou/domain-workflow';
import { planDueRetirements, planMigration, retirementGraceMs, retiringAfter, type DeployedCopy } from './migration-plan';

const E = 'wf-0_0_1-entry:entry_point:0';
const aws = (region: string): ProviderRegion => ({ provider: 'aws', region });
const copyName = (region: string) => `wf-0_0_1-entry_aws-${region}`;
const copy = (region: string): DeployedCopy => ({ deploy_region: aws(region), identifier: copyName(region), function_identifier: copyName(region) });
const placement = (region: string) => ({ provider_region: aws(region), identifier: copyName(region), function_identifier: copyName(region) });
const T0 = Date.UTC(2026, 11, 7, 12);
const MINUTE = 60_000;
/** 60 s timeout × 20 hops. */
const GRACE = 20 * MINUTE;

const plan = (region: string, expiry: number | null): CurrentDeployment => ({
  expiry_time: expiry === null ? null : formatTime(expiry),
  time_keys: ['0'],
  instances: { '0': { [E]: placement(region) } },
});
const wpd = (current?: CurrentDeployment): WorkflowPlacementDecision => ({
  instances: {},
  current_instance_name: E,
  workflow_placement: { home_deployment: { [E]: placement('us-east-1') }, ...(current ? { current_deployment: current } : {}) },
});
const staged = (region: string): StagedPlan => ({
  time_keys_to_staging_area_data: { '0': { [E]: { provider_region: aws(region) } } },
  deployment_metrics: {},
  expiry_time: formatTime(T0 + 24 * 60 * MINUTE),
});
const deployed = (...regions: string[]) => Object.fromEntries(regions.map((region) => [copyName(region), copy(region)]));

describe('retiring copies only after the runs that may target them have drained', () => {
  it('the grace period is the longest function timeout times the hop limit (20)', () => {
    expect(retirementGraceMs([60, 30])).toBe(GRACE);
    expect(retirementGraceMs([900])).toBe(900 * 20 * 1000);
    expect(retirementGraceMs([])).toBe(0);
  });

  it('a copy the new plan no longer uses is kept (drained) for the grace period from the publication, not retired', () => {
    const actions = planMigration({
      staged: staged('us-west-2'),
      wpd: wpd(plan('ca-central-1', T0 + 60 * MINUTE)),
      deployedRegions: deployed('us-east-1', 'ca-central-1'),
      nowMs: T0,
      graceMs: GRACE,
    });
    expect(actions.map((a) => a.kind)).toEqual(['copy-function', 'publish-plan', 'drain-function']);
    expect(actions[2]).toEqual({ kind: 'drain-function', functionName: copyName('ca-central-1'), region: aws('ca-central-1'), retireAfter: formatTime(T0 + GRACE) });
    expect(retiringAfter(actions)).toEqual({ [copyName('ca-central-1')]: { deploy_region: aws('ca-central-1'), retire_after: formatTime(T0 + GRACE) } });
  });

  it('a copy of a plan that expired long ago is retired at once: no run has followed that plan since its expiry', () => {
    const actions = planMigration({
      staged: staged('us-west-2'),
      wpd: wpd(plan('ca-central-1', T0 - GRACE)),
      deployedRegions: deployed('us-east-1', 'ca-central-1'),
      nowMs: T0,
      graceMs: GRACE,
    });
    expect(actions.at(-1)).toEqual({ kind: 'retire-function', functionName: copyName('ca-central-1'), region: aws('ca-central-1') });
    // Expired a minute ago: it drains for the rest of its grace period.
    const recent = planMigration({ staged: staged('us-west-2'), wpd: wpd(plan('ca-central-1', T0 - MINUTE)), deployedRegions: deployed('us-east-1', 'ca-central-1'), nowMs: T0, graceMs: GRACE });
    expect(recent.at(-1)).toMatchObject({ kind: 'drain-function', retireAfter: formatTime(T0 - MINUTE + GRACE) });
  });

  it('a later run retires the draining copy once its time has come, and not before', () => {
    const retiring = { [copyName('ca-central-1')]: { deploy_region: aws('ca-central-1'), retire_after: formatTime(T0 + GRACE) } };
    const input = { wpd: wpd(plan('us-west-2', T0 + 24 * 60 * MINUTE)), deployedRegions: deployed('us-east-1', 'us-west-2', 'ca-central-1'), retiring, graceMs: GRACE };
    expect(planDueRetirements({ ...input, nowMs: T0 + GRACE - 1 })).toEqual([
      { kind: 'drain-function', functionName: copyName('ca-central-1'), region: aws('ca-central-1'), retireAfter: formatTime(T0 + GRACE) },
    ]);
    expect(planDueRetirements({ ...input, nowMs: T0 + GRACE })).toEqual([{ kind: 'retire-function', functionName: copyName('ca-central-1'), region: aws('ca-central-1') }]);
    // The copies in use (home, the current plan) are never touched.
    expect(planDueRetirements({ ...input, retiring: {}, nowMs: T0 + 10 * GRACE })).toEqual([]);
  });

  it('a draining copy a new plan uses again stops draining (reused, not copied again); a recorded deadline is not pushed back', () => {
    const retiring = { [copyName('ca-central-1')]: { deploy_region: aws('ca-central-1'), retire_after: formatTime(T0 + GRACE) } };
    const reused = planMigration({ staged: staged('ca-central-1'), wpd: wpd(plan('us-west-2', T0 + 60 * MINUTE)), deployedRegions: deployed('us-east-1', 'us-west-2', 'ca-central-1'), nowMs: T0 + MINUTE, retiring, graceMs: GRACE });
    expect(reused.map((a) => a.kind)).toEqual(['publish-plan', 'drain-function']);
    expect(retiringAfter(reused)).toEqual({ [copyName('us-west-2')]: { deploy_region: aws('us-west-2'), retire_after: formatTime(T0 + MINUTE + GRACE) } });
    const again = planMigration({ staged: staged('us-west-2'), wpd: wpd(plan('us-west-2', T0 + 60 * MINUTE)), deployedRegions: deployed('us-east-1', 'us-west-2', 'ca-central-1'), nowMs: T0 + MINUTE, retiring, graceMs: GRACE });
    expect(again.at(-1)).toMatchObject({ kind: 'drain-function', functionName: copyName('ca-central-1'), retireAfter: formatTime(T0 + GRACE) });
  });
});
