import { describe, expect, it } from 'vitest';
import {
  buildWorkflowDag,
  checkForCycles,
  dependentSyncPredecessors,
  findAllPathsToAnySyncNode,
  type DagFunction,
  type Edge,
} from './dag';

const region = { provider: 'provider1', region: 'region1' };
const fn = (name: string, successors: string[] = [], options: Partial<DagFunction> = {}): DagFunction => ({
  name,
  entryPoint: false,
  successors,
  isSync: false,
  ...options,
});
const dag = (functions: DagFunction[]) =>
  buildWorkflowDag({ workflowName: 'test_workflow', workflowVersion: '0.0.1', region, functions });

describe('builder messages (reference test_workflow_builder.py)', () => {
  it('no entry point', () => {
    expect(() => dag([fn('function1')])).toThrow('No entry point defined');
  });

  it('multiple entry points', () => {
    expect(() => dag([fn('function1', [], { entryPoint: true }), fn('function2', [], { entryPoint: true })])).toThrow(
      'Multiple entry points defined',
    );
  });

  it('self-call', () => {
    expect(() => dag([fn('function1', ['function1'], { entryPoint: true })])).toThrow(
      'Cycle detected: test_workflow-0_0_1-function1_provider1-region1 is being visited again',
    );
  });

  it('a sync function calling itself', () => {
    expect(() =>
      dag([fn('function1', ['function2'], { entryPoint: true }), fn('function2', ['function2'], { isSync: true })]),
    ).toThrow('Cycle detected: test_workflow-0_0_1-function2_provider1-region1 is being visited again');
  });

  it('a 2-cycle', () => {
    expect(() => dag([fn('function1', ['function2'], { entryPoint: true }), fn('function2', ['function1'])])).toThrow(
      'Cycle detected: test_workflow-0_0_1-function1_provider1-region1 is being visited again',
    );
  });

  it('cycle check alone (reference test_cycle_detection)', () => {
    const successors: Record<string, string[]> = { function1: ['function2'], function2: ['function1'] };
    expect(() => checkForCycles('function1', (name) => successors[name]!, (name) => name)).toThrow(
      'Cycle detected: function1 is being visited again',
    );
    const chain: Record<string, string[]> = { function1: ['function2'], function2: ['function3'], function3: [] };
    expect(() => checkForCycles('function1', (name) => chain[name]!, (name) => name)).not.toThrow();
  });

  it('a diamond is not a cycle', () => {
    expect(() =>
      dag([fn('a', ['b', 'c'], { entryPoint: true }), fn('b', ['d']), fn('c', ['d']), fn('d', [], { isSync: true })]),
    ).not.toThrow();
  });

  it('an entry point calling one sync function three times: 3 edges, 1 sync instance', () => {
    const result = dag([fn('function1', ['function2', 'function2', 'function2'], { entryPoint: true }), fn('function2', [], { isSync: true })]);
    expect(result.instances.map((instance) => instance.name)).toEqual([
      'test_workflow-0_0_1-function1:entry_point:0',
      'test_workflow-0_0_1-function2:sync:',
    ]);
    expect(result.edges).toHaveLength(3);
  });

  it('an entry point calling a sync function once: 1 edge', () => {
    const result = dag([fn('function1', ['function2'], { entryPoint: true }), fn('function2', [], { isSync: true })]);
    expect(result.edges).toEqual([['test_workflow-0_0_1-function1:entry_point:0', 'test_workflow-0_0_1-function2:sync:']]);
  });

  it('a call to an unregistered function', () => {
    expect(() => dag([fn('function1', ['ghost'], { entryPoint: true })])).toThrow(
      'Function function1 invokes ghost, which is not a registered function of the workflow',
    );
  });

  it('repeated non-sync calls make distinct instances numbered by call position', () => {
    const result = dag([fn('split', ['map', 'map'], { entryPoint: true }), fn('map')]);
    expect(result.instances.map((instance) => instance.name)).toEqual([
      'test_workflow-0_0_1-split:entry_point:0',
      'test_workflow-0_0_1-map:test_workflow-0_0_1-split_0_0:1',
      'test_workflow-0_0_1-map:test_workflow-0_0_1-split_0_1:2',
    ]);
  });
});

describe('_find_all_paths_to_any_sync_node (reference models/test_workflow.py)', () => {
  const chain: Edge[] = [
    ['node1:test:1', 'node2:test2:2'],
    ['node2:test2:2', 'node3:test3:3'],
    ['node3:test3:3', 'node3:sync:4'],
  ];

  it('a long path and a direct edge', () => {
    expect(findAllPathsToAnySyncNode([...chain, ['node1:test:1', 'node3:sync:4']], 'node1:test:1')).toEqual([
      ['node1:test:1', 'node2:test2:2', 'node3:test3:3', 'node3:sync:4'],
      ['node1:test:1', 'node3:sync:4'],
    ]);
  });

  it('from the start and from the middle', () => {
    expect(findAllPathsToAnySyncNode(chain, 'node1:test:1')).toEqual([['node1:test:1', 'node2:test2:2', 'node3:test3:3', 'node3:sync:4']]);
    expect(findAllPathsToAnySyncNode(chain, 'node2:test2:2')).toEqual([['node2:test2:2', 'node3:test3:3', 'node3:sync:4']]);
  });

  it('from a sync node without successors', () => {
    expect(findAllPathsToAnySyncNode(chain, 'node3:sync:4')).toEqual([]);
  });

  it('three equal edges into one sync node give one path', () => {
    const entry = 'small_sync_example-0_0_1-initial_function:entry_point:0';
    const sync = 'small_sync_example-0_0_1-sync_function:sync:';
    expect(findAllPathsToAnySyncNode([[entry, sync], [entry, sync], [entry, sync]], entry)).toEqual([[entry, sync]]);
  });

  it('two direct sync successors each get their own path (§12.2 #18 fixed)', () => {
    // The reference returned [[a, s1], [a, s1, s2]] here, making the second pair [s1, s2].
    const edges: Edge[] = [
      ['a:entry_point:0', 's1:sync:'],
      ['a:entry_point:0', 's2:sync:'],
      ['s1:sync:', 's2:sync:'],
    ];
    expect(findAllPathsToAnySyncNode(edges, 'a:entry_point:0')).toEqual([
      ['a:entry_point:0', 's1:sync:'],
      ['a:entry_point:0', 's2:sync:'],
    ]);
    expect(dependentSyncPredecessors(edges, 'a:entry_point:0')).toEqual([
      ['a:entry_point:0', 's1:sync:'],
      ['a:entry_point:0', 's2:sync:'],
    ]);
  });
});

describe('dependent sync predecessors', () => {
  // The 7-function template (reference-system §2.5), as plain data.
  const template = dag([
    fn('First_Function', ['Second_Function', 'Third_Function', 'Sixth_Function'], { entryPoint: true }),
    fn('Second_Function', ['Fifth_Function']),
    fn('Third_Function', ['Fourth_Function']),
    fn('Fourth_Function', ['Fifth_Function']),
    fn('Fifth_Function', ['Seventh_Function'], { isSync: true }),
    fn('Sixth_Function', ['Seventh_Function']),
    fn('Seventh_Function', [], { isSync: true }),
  ]);

  it('equal the last two nodes of every path to a sync node, without repeats', () => {
    for (const instance of template.instances) {
      const fromPaths = findAllPathsToAnySyncNode(template.edges, instance.name).map((path) => path.slice(-2).join(' > '));
      const pairs = dependentSyncPredecessors(template.edges, instance.name).map((pair) => pair.join(' > '));
      expect(pairs).toEqual([...new Set(fromPaths)]);
    }
  });

  it('stays linear on a deep chain of diamonds, where paths double at every level', () => {
    const levels = 40;
    const edges: Edge[] = [];
    for (let level = 0; level < levels; level++) {
      edges.push([`n${level}::`, `l${level}::`], [`n${level}::`, `r${level}::`], [`l${level}::`, `n${level + 1}::`], [`r${level}::`, `n${level + 1}::`]);
    }
    edges.push([`n${levels}::`, 'end:sync:']);
    expect(dependentSyncPredecessors(edges, 'n0::')).toEqual([[`n${levels}::`, 'end:sync:']]);
  });
});
