import { describe, expect, it } from 'vitest';
import { MAX_TRANSFER_SIZE } from '@caribou/domain-common';
import type { InstancePlacement, PlacementInstance, WorkflowPlacementDecision } from '@caribou/domain-workflow';
import { edgeCountFrom, expectedEdgeCount, successorInstance } from './instances';
import { checkPlanFits, emptyRunMessageBytes, measurePlan, oversizeMessageError } from './plan-fit';
import { RUN_DECISION_FORMAT, RunPlacement, runDecisionOf, type RunFields } from './run-decision';

const P = 'wf-0_0_1';
const E = `${P}-entry:entry_point:0`;
const A = `${P}-work:${P}-entry_0_0:1`;
const B = `${P}-work:${P}-entry_0_1:2`;
const S = `${P}-join:sync:`;
const local = (fn: string, region: string): InstancePlacement => {
  const id = `local:${region}:${P}-${fn}_local-${region}`;
  return { provider_region: { provider: 'local', region }, identifier: id, function_identifier: id };
};
const node = (name: string, pre: string[], succ: string[], dependent: Array<[string, string]> = []): PlacementInstance => ({
  instance_name: name,
  succeeding_instances: succ,
  preceding_instances: pre,
  dependent_sync_predecessors: dependent,
});

function decision(): WorkflowPlacementDecision {
  return {
    instances: {
      [E]: node(E, [], [A, B], [
        [A, S],
        [B, S],
      ]),
      [A]: node(A, [E], [S], [[A, S]]),
      [B]: node(B, [E], [S], [[B, S]]),
      [S]: node(S, [A, B], []),
    },
    current_instance_name: E,
    workflow_placement: {
      home_deployment: { [E]: local('entry', 'us-east-1'), [A]: local('work', 'us-east-1'), [B]: local('work', 'us-east-1'), [S]: local('join', 'us-east-1') },
      current_deployment: {
        expiry_time: '2099-01-01 00:00:00,000000+0000',
        time_keys: ['0', '12'],
        // Hour 12's plan leaves B out: it runs at home.
        instances: {
          '0': { [E]: local('entry', 'ca-central-1'), [A]: local('work', 'us-west-2'), [B]: local('work', 'ca-central-1'), [S]: local('join', 'ca-central-1') },
          '12': { [E]: local('entry', 'us-west-2'), [A]: local('work', 'us-west-2'), [S]: local('join', 'us-west-2') },
        },
      },
    },
    plan_version: 2,
  };
}

const run = (fields: Partial<RunFields> = {}): RunFields => ({ run_id: 'a'.repeat(32), time_key: '0', send_to_home_region: false, ...fields });
const regionsOf = (plan: RunPlacement) => [E, A, B, S].map((i) => plan.placementOf(i).provider_region.region);

describe('the run decision a message carries', () => {
  it('holds the placement of the run’s time key, or home when sent home, without a plan, or where the plan is silent', () => {
    const wpd = decision();
    expect(regionsOf(new RunPlacement(runDecisionOf(wpd, run())))).toEqual(['ca-central-1', 'us-west-2', 'ca-central-1', 'ca-central-1']);
    expect(regionsOf(new RunPlacement(runDecisionOf(wpd, run({ time_key: '12' }))))).toEqual(['us-west-2', 'us-west-2', 'us-east-1', 'us-west-2']);
    expect(regionsOf(new RunPlacement(runDecisionOf(wpd, run({ send_to_home_region: true }))))).toEqual(Array(4).fill('us-east-1'));
    expect(regionsOf(new RunPlacement(runDecisionOf(wpd, run({ time_key: 'N/A' }))))).toEqual(Array(4).fill('us-east-1'));
    const plan = new RunPlacement(runDecisionOf(wpd, run()));
    expect(plan.placementOf(S)).toEqual(local('join', 'ca-central-1'));
    expect(plan.decision).toMatchObject({ format: RUN_DECISION_FORMAT, plan_version: 2, current_instance_name: E, run_id: 'a'.repeat(32) });
    // Only the regions this run uses are named.
    expect(plan.decision.regions.map((r) => r.region)).toEqual(['local:ca-central-1', 'local:us-west-2']);
  });

  it('routes like the whole decision: successors by call position, fan-in edges per call site', () => {
    const plan = new RunPlacement(runDecisionOf(decision(), run()));
    expect(successorInstance(plan, E, `${P}-work`, 0)).toBe(A);
    expect(successorInstance(plan, E, `${P}-work`, 1)).toBe(B);
    expect(successorInstance(plan, A, `${P}-join`, 0)).toBe(S);
    expect(expectedEdgeCount(plan, S)).toBe(2);
    expect(edgeCountFrom(plan, A, S)).toBe(1);
    expect(plan.links(E)!.dependent_sync_predecessors).toEqual([
      [A, S],
      [B, S],
    ]);
    expect(plan.links('nope')).toBeUndefined();
    expect(() => plan.placementOf('nope')).toThrow("The run's placement decision has no instance nope");
  });

  it('survives the trip through a message and is readable by workflow code', () => {
    const plan = new RunPlacement(runDecisionOf(decision(), run({ data_size: 1.5e-7, consumed_read_capacity: 0.5 })));
    const received = RunPlacement.fromMessage(JSON.parse(JSON.stringify(plan.addressedTo(S))));
    expect(received.currentInstance).toBe(S);
    expect(received.decision).toEqual({ ...plan.decision, current_instance_name: S });
    const readable = received.readable();
    expect(readable).toMatchObject({ run_id: 'a'.repeat(32), time_key: '0', current_instance_name: S, plan_version: 2, data_size: 1.5e-7 });
    expect(readable.instances[B]).toEqual({ ...decision().instances[B], placement: local('work', 'ca-central-1') });
  });

  it('accepts a whole decision in the reference’s shape in a message (what the reference sends)', () => {
    const wpd = { ...decision(), current_instance_name: A, run_id: 'b'.repeat(32), time_key: '12', send_to_home_region: false };
    const plan = RunPlacement.fromMessage(JSON.parse(JSON.stringify(wpd)));
    expect(plan.currentInstance).toBe(A);
    expect(plan.decision.run_id).toBe('b'.repeat(32));
    expect(regionsOf(plan)).toEqual(['us-west-2', 'us-west-2', 'us-east-1', 'us-west-2']);
  });

  it('refuses a damaged decision in a message in one line naming the field', () => {
    const message = JSON.parse(JSON.stringify(runDecisionOf(decision(), run()))) as Record<string, unknown>;
    const where = 'workflow_placement_decision of the message';
    expect(() => RunPlacement.fromMessage({ ...message, placement: [[0, '']] })).toThrow(`${where}: placement: has 1 entries, expected 4`);
    expect(() => RunPlacement.fromMessage({ ...message, run_id: 7 })).toThrow(`${where}: run_id: Input should be a valid string`);
    expect(() => RunPlacement.fromMessage({ ...message, current_instance_name: 'x' })).toThrow(`${where}: current_instance_name: x is not one of the instances`);
    expect(() => RunPlacement.fromMessage({ ...message, format: 'caribou-ts/run-placement@7' })).toThrow(/format: "caribou-ts\/run-placement@7" is not a run placement format/);
    expect(() => RunPlacement.fromMessage('text')).toThrow(`${where}: workflow_placement_decision: Input should be a valid dictionary`);
  });
});

describe('plans a run can carry', () => {
  /** A chain of `n` functions with long names: big enough, at some n, to pass the message limit. */
  function chain(n: number, plannedRegion?: string): WorkflowPlacementDecision {
    const name = (i: number) => `${P}-function_with_a_long_descriptive_name_${i}:${P}-function_with_a_long_descriptive_name_${i - 1}_0_0:${i}`;
    const names = Array.from({ length: n }, (_, i) => (i === 0 ? `${P}-start:entry_point:0` : name(i)));
    const instances = Object.fromEntries(names.map((x, i) => [x, node(x, i > 0 ? [names[i - 1]!] : [], i < n - 1 ? [names[i + 1]!] : [])]));
    const home = Object.fromEntries(names.map((x, i) => [x, local(`f${i}`, 'us-east-1')]));
    const wpd: WorkflowPlacementDecision = { instances, current_instance_name: names[0]!, workflow_placement: { home_deployment: home } };
    if (plannedRegion) {
      const moved = Object.fromEntries(names.map((x, i) => [x, local(`f${i}`, plannedRegion)]));
      wpd.workflow_placement.current_deployment = { expiry_time: null, time_keys: ['0', '6'], instances: { '0': home, '6': moved } };
    }
    return wpd;
  }

  it('measures the largest payload-less message over home and every time key, and the stored row', () => {
    const wpd = chain(30, 'ca-central-1');
    const size = measurePlan(wpd);
    expect(size.largestMessage.bytes).toBe(Math.max(emptyRunMessageBytes(wpd, 'N/A'), emptyRunMessageBytes(wpd, '0'), emptyRunMessageBytes(wpd, '6')));
    expect(size.largestMessage.bytes).toBeGreaterThan(30 * 90);
    expect(size.storedBytes).toBeGreaterThan(0);
    expect(checkPlanFits(wpd, 'plan')).toEqual(size);
  });

  it('refuses, in one line with the size and the limit, a decision no run could carry', () => {
    const wpd = chain(2_000, 'ca-central-1');
    const bytes = measurePlan(wpd).largestMessage.bytes;
    expect(bytes).toBeGreaterThan(MAX_TRANSFER_SIZE);
    expect(() => checkPlanFits(wpd, 'The plan staged for wf-0.0.1 is not published')).toThrow(
      new RegExp(
        `^The plan staged for wf-0\\.0\\.1 is not published: its placement decision would make every message of a run ${bytes} bytes before any payload \\(time key \\d+\\), over the 256000-byte message limit$`,
      ),
    );
  });

  it('an oversize message names its large part and the size of each', () => {
    const argument = oversizeMessageError({ message: 'The first message of the run', bytes: 300_500, dataLabel: 'argument', dataBytes: 290_000, decisionBytes: 10_000 });
    expect(argument.message).toBe(
      'The first message of the run is 300500 bytes, over the limit of 256000 bytes: the argument is 290000 bytes and the placement decision 10000 bytes; pass large input by reference (e.g. an object store key)',
    );
    const decisionPart = oversizeMessageError({ message: 'Message to b', bytes: 260_000, dataLabel: 'payload', dataBytes: 2, decisionBytes: 259_700 });
    expect(decisionPart.message).toMatch(/the payload is 2 bytes and the placement decision 259700 bytes; the placement decision is the large part/);
  });
});
