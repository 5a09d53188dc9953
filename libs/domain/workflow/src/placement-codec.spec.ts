import { describe, expect, it } from 'vitest';
import type { InstancePlacement, PlacementInstance, WorkflowPlacementDecision } from './placement';
import {
  decodePlacementDecision,
  encodeAddresses,
  encodePlacementDecision,
  parsePlacementDecision,
  serializePlacementDecision,
  STORED_DECISION_FORMAT,
} from './placement-codec';

const P = 'wf-0_0_1';
const E = `${P}-entry:entry_point:0`;
const A = `${P}-work:${P}-entry_0_0:1`;
const B = `${P}-work:${P}-entry_0_1:2`;
const S = `${P}-join:sync:`;
const arn = (fn: string, region: string) => `arn:aws:lambda:${region}:123456789012:function:${P}-${fn}_aws-${region}`;
const at = (fn: string, region: string): InstancePlacement => ({
  provider_region: { provider: 'aws', region },
  identifier: arn(fn, region),
  function_identifier: arn(fn, region),
});
const node = (name: string, pre: string[], succ: string[], dependent: Array<[string, string]> = []): PlacementInstance => ({
  instance_name: name,
  succeeding_instances: succ,
  preceding_instances: pre,
  dependent_sync_predecessors: dependent,
});

/** entry → work (twice) → join: a fan-out, a sync node and two instances of one function. */
function decision(): WorkflowPlacementDecision {
  const home = { [E]: at('entry', 'us-east-1'), [A]: at('work', 'us-east-1'), [B]: at('work', 'us-east-1'), [S]: at('join', 'us-east-1') };
  const moved = { [E]: at('entry', 'ca-central-1'), [A]: at('work', 'ca-central-1'), [B]: at('work', 'us-east-1'), [S]: at('join', 'ca-central-1') };
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
      home_deployment: home,
      current_deployment: {
        expiry_time: '2099-01-01 00:00:00,000000+0000',
        // Hours 0–5 and 18–23 home, 6–17 moved: 24 time keys, two distinct placements.
        time_keys: Array.from({ length: 24 }, (_, hour) => String(hour)),
        instances: Object.fromEntries(Array.from({ length: 24 }, (_, hour) => [String(hour), hour >= 6 && hour < 18 ? moved : home])),
      },
    },
    plan_version: 3,
  };
}

describe('the compact placement decision', () => {
  it('decodes to the decision it encoded, with identical hours stored once', () => {
    const wpd = decision();
    const stored = encodePlacementDecision(wpd);
    expect(stored.format).toBe(STORED_DECISION_FORMAT);
    expect(stored.instances).toEqual([E, A, B, S]);
    expect(stored.succeeding_instances).toEqual([[1, 2], [3], [3], []]);
    expect(stored.preceding_instances).toEqual([[], [0], [0], [1, 2]]);
    expect(stored.dependent_sync_predecessors).toEqual([
      [
        [1, 3],
        [2, 3],
      ],
      [[1, 3]],
      [[2, 3]],
      [],
    ]);
    expect(stored.current_deployment!.placements).toHaveLength(2);
    expect(stored.current_deployment!.placement_of_time_key).toEqual(Array.from({ length: 24 }, (_, hour) => (hour >= 6 && hour < 18 ? 1 : 0)));
    // Two instances of `work` at home share one copy: 3 home copies + 3 moved ones.
    expect(stored.copies).toHaveLength(6);
    expect(decodePlacementDecision(stored)).toEqual(wpd);
    expect(parsePlacementDecision(serializePlacementDecision(wpd), 'row')).toEqual(wpd);
  });

  it('names each region once with the prefix and suffix its identifiers share', () => {
    const { regions, copies } = encodeAddresses([at('entry', 'us-east-1'), at('work', 'us-east-1'), at('join', 'ca-central-1')]);
    expect(regions).toEqual([
      { region: 'aws:us-east-1', identifier_prefix: `arn:aws:lambda:us-east-1:123456789012:function:${P}-`, identifier_suffix: '_aws-us-east-1' },
      // One identifier: all of it is the prefix.
      { region: 'aws:ca-central-1', identifier_prefix: arn('join', 'ca-central-1'), identifier_suffix: '' },
    ]);
    expect(copies).toEqual([
      [0, 'entry'],
      [0, 'work'],
      [1, ''],
    ]);
  });

  it('keeps a function identifier that differs from the identifier (reference rows: SNS topic + Lambda)', () => {
    const topic = (fn: string) => `arn:aws:sns:us-east-1:123456789012:${P}-${fn}_aws-us-east-1_messaging_topic`;
    const placements = ['entry', 'join'].map((fn) => ({ ...at(fn, 'us-east-1'), identifier: topic(fn) }));
    const { copies } = encodeAddresses(placements);
    expect(copies).toEqual([
      [0, 'entry', arn('entry', 'us-east-1')],
      [0, 'join', arn('join', 'us-east-1')],
    ]);
  });

  it('an identifier that is the prefix of another does not overlap prefix and suffix', () => {
    const placements = ['x', 'x-y-x'].map((identifier) => ({ ...at('e', 'us-east-1'), identifier, function_identifier: identifier }));
    const { regions, copies } = encodeAddresses(placements);
    const decoded = copies.map((copy) => regions[copy[0]]!.identifier_prefix + copy[1] + regions[copy[0]]!.identifier_suffix);
    expect(decoded).toEqual(['x', 'x-y-x']);
  });

  it('reads the reference’s stored shape unchanged (reference-system §3.4)', () => {
    const reference = decision();
    delete reference.plan_version;
    for (const instance of Object.values(reference.instances)) instance.regions_and_providers = { providers: { aws: { config: {} } } };
    const parsed = parsePlacementDecision(JSON.stringify(reference), 'workflow_placement_decision_table[wf-0.0.1]');
    expect(parsed).toEqual(reference);
    // Re-stored in the compact form, it decodes to the same routing and placements.
    const again = decodePlacementDecision(encodePlacementDecision(parsed));
    expect(again.workflow_placement).toEqual(reference.workflow_placement);
    expect(again.instances[S]!.preceding_instances).toEqual([A, B]);
    expect(again.plan_version).toBe(1);
  });

  it('refuses a damaged row in one line naming the row and the field', () => {
    const where = 'workflow_placement_decision_table[wf-0.0.1]';
    const stored = encodePlacementDecision(decision());
    const damaged = (change: (row: Record<string, unknown>) => void) => {
      const row = JSON.parse(JSON.stringify(stored)) as Record<string, unknown>;
      change(row);
      return () => parsePlacementDecision(JSON.stringify(row), where);
    };
    expect(damaged((row) => ((row.copies as unknown[][])[1]![0] = 7))).toThrow(`${where}: copies[1][0]: 7 is not an index of the 2 regions`);
    expect(damaged((row) => ((row.preceding_instances as unknown[][])[3] = [1, 9]))).toThrow(
      `${where}: preceding_instances[3][1]: 9 is not an index of the 4 instances`,
    );
    expect(damaged((row) => (row.home_deployment = [0, 1]))).toThrow(`${where}: home_deployment: has 2 entries, expected 4`);
    expect(damaged((row) => (row.format = 'caribou-ts/placement-decision@9'))).toThrow(
      `${where}: format: "caribou-ts/placement-decision@9" is not a placement decision format this version reads`,
    );
    expect(damaged((row) => ((row.current_deployment as Record<string, unknown>).placement_of_time_key = [0]))).toThrow(
      `${where}: current_deployment.placement_of_time_key: has 1 entries, expected 24`,
    );
    expect(() => parsePlacementDecision('{"instances": {}', where)).toThrow(new RegExp(`^${where.replace(/[[\]]/g, '\\$&')} is not a placement decision \\(not JSON`));
    const reference = decision() as unknown as { workflow_placement: { home_deployment: Record<string, { identifier?: unknown }> } };
    reference.workflow_placement.home_deployment[A]!.identifier = 42;
    expect(() => parsePlacementDecision(JSON.stringify(reference), where)).toThrow(
      `${where}: workflow_placement.home_deployment.${A}.identifier: Input should be a valid string`,
    );
    expect(damaged((row) => (row.regions = 'x'))).toThrow(/^[^\n]+: regions: Input should be a valid list; deploy the workflow again$/);
  });

  it('refuses to encode a decision whose DAG names an instance it does not have', () => {
    const wpd = decision();
    wpd.instances[A]!.succeeding_instances = [`${P}-gone:sync:`];
    expect(() => encodePlacementDecision(wpd)).toThrow(`placement decision: ${A}.succeeding_instances names ${P}-gone:sync:, which is not an instance of the decision`);
  });
});
