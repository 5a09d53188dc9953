import { describe, expect, it } from 'vitest';
import { parseProjectConfig, type ProjectConfig } from './config-schema';
import { buildWorkflow, mergeEnvironmentVariables, type WorkflowFunctionSpec } from './workflow-builder';
import { describeInstances, initialPlacementDecision, validatedWorkflowOf, workflowConfigOf } from './workflow-outputs';

function config(overrides: Record<string, unknown> = {}): ProjectConfig {
  return parseProjectConfig({
    workflow_name: 'test_workflow',
    workflow_version: '0.0.1',
    environment_variables: [
      { key: 'ENV_1', value: 'global_env_1' },
      { key: 'ENV_2', value: 'global_env_2' },
    ],
    iam_policy_file: 'iam_policy.json',
    home_region: { provider: 'provider1', region: 'region1' },
    estimated_invocations_per_month: 1000,
    constraints: {
      hard_resource_constraints: { cost: { value: 100, type: 'absolute' } },
      soft_resource_constraints: { carbon: { value: 0.1, type: 'relative' } },
      priority_order: ['cost', 'runtime', 'carbon'],
    },
    regions_and_providers: { providers: { provider1: { config: { memory: 128, timeout: 10 } } } },
    ...overrides,
  });
}

const spec = (name: string, successors: string[] = [], extra: Partial<WorkflowFunctionSpec> = {}): WorkflowFunctionSpec => ({
  name,
  entryPoint: false,
  successors,
  isSync: false,
  ...extra,
});

describe('buildWorkflow', () => {
  it('needs at least one region', () => {
    expect(() => buildWorkflow(config(), [spec('function1', [], { entryPoint: true })], [])).toThrow(
      'At least one region must be defined',
    );
  });

  it('merges environment variables, the function winning (reference test_build_func_environment_variables)', () => {
    const built = buildWorkflow(config(), [
      spec('function1', [], { entryPoint: true, environmentVariables: [] }),
      spec('function2', [], { environmentVariables: [{ key: 'ENV_3', value: 'function2_env_3' }] }),
      spec('function3', [], { environmentVariables: [{ key: 'ENV_1', value: 'function3_env_1' }] }),
    ]);
    expect(built.resources.map((resource) => resource.environmentVariables)).toEqual([
      // The entry point also learns where its clients call from (the home region by default).
      { ENV_1: 'global_env_1', ENV_2: 'global_env_2', CARIBOU_CLIENT_REGION: 'provider1:region1' },
      { ENV_1: 'global_env_1', ENV_2: 'global_env_2', ENV_3: 'function2_env_3' },
      { ENV_1: 'function3_env_1', ENV_2: 'global_env_2' },
    ]);
    expect(mergeEnvironmentVariables(null, { A: 'a' })).toEqual({ A: 'a' });
  });

  it('dataRegion: the function sees it as CARIBOU_DATA_REGION, the workflow config gives the solver its data_location; client_region reaches both', () => {
    const built = buildWorkflow(config({ client_region: { provider: 'provider1', region: 'region2' } }), [
      spec('function1', ['function2'], { entryPoint: true }),
      spec('function2', [], { dataRegion: { provider: 'provider1', region: 'region1' }, dataBytesPerInvocation: 2048 }),
    ]);
    expect(built.resources.map((resource) => resource.environmentVariables)).toEqual([
      { ENV_1: 'global_env_1', ENV_2: 'global_env_2', CARIBOU_CLIENT_REGION: 'provider1:region2' },
      { ENV_1: 'global_env_1', ENV_2: 'global_env_2', CARIBOU_DATA_REGION: 'provider1:region1' },
    ]);
    const workflowConfig = workflowConfigOf(built, config({ client_region: { provider: 'provider1', region: 'region2' } }));
    expect(workflowConfig.client_region).toEqual({ provider: 'provider1', region: 'region2' });
    const [first, second] = Object.values(workflowConfig.instances);
    expect(first!.data_location).toBeUndefined();
    expect(second!.data_location).toEqual({ provider: 'provider1', region: 'region1', bytes_per_invocation: 2048 });
    // The placement decision the messages carry stays as it was.
    expect(Object.values(describeInstances(built)).map((i) => Object.keys(i))).not.toContainEqual(expect.arrayContaining(['data_location']));
  });

  it('refuses a bad data declaration in one line naming the field and the fix', () => {
    const build = (extra: Partial<WorkflowFunctionSpec>) => () => buildWorkflow(config(), [spec('function1', [], { entryPoint: true, ...extra })]);
    expect(build({ dataBytesPerInvocation: 10 })).toThrow(/^function function1: dataBytesPerInvocation: needs dataRegion, where the data lives/);
    expect(build({ dataRegion: { provider: 'provider1', region: 'region1' }, dataBytesPerInvocation: -1 })).toThrow(
      /^function function1: dataBytesPerInvocation: must be the bytes it reads from dataRegion per invocation, a number ≥ 0 \(got -1\)$/,
    );
    expect(build({ dataRegion: { provider: 'other', region: 'region1' } })).toThrow(
      "function function1: dataRegion.provider: must be the home region's provider provider1 (got other)",
    );
    expect(build({ dataRegion: 'region1' as never })).toThrow(/^function function1: dataRegion: must be \{ provider, region \}/);
  });

  it('names resources per function and region, and one role per function shared by its region copies', () => {
    const built = buildWorkflow(config(), [spec('function1', [], { entryPoint: true })], [
      { provider: 'provider1', region: 'region1' },
      { provider: 'provider1', region: 'region2' },
    ]);
    expect(built.resources.map((resource) => [resource.physicalName, resource.roleName])).toEqual([
      ['test_workflow-0_0_1-function1_provider1-region1', 'test_workflow-0_0_1-function1-role'],
      ['test_workflow-0_0_1-function1_provider1-region2', 'test_workflow-0_0_1-function1-role'],
    ]);
    expect(built.instances[0]!.functionResourceName).toBe('test_workflow-0_0_1-function1_provider1-region1');
  });

  it('uses a function’s own providers when it sets them', () => {
    const own = { provider1: { config: { memory: 1024, timeout: 30 } } };
    const built = buildWorkflow(config(), [spec('function1', [], { entryPoint: true, regionsAndProviders: { providers: own } })]);
    expect(built.resources[0]!.providers).toEqual(own);
    expect(built.instances[0]!.regionsAndProviders.providers).toEqual(own);
  });

  it('rejects a function whose providers lack the home provider', () => {
    expect(() =>
      buildWorkflow(config(), [spec('function1', [], { entryPoint: true, regionsAndProviders: { providers: { gcp: { config: {} } } } })]),
    ).toThrow('Home region provider provider1 is not defined in providers for function function1');
  });

  it('verifies names after building', () => {
    expect(() => buildWorkflow(config(), [spec('bad-name', [], { entryPoint: true })])).toThrow(
      'Function name must contain only letters, numbers, or underscores',
    );
    expect(() => buildWorkflow(config({ workflow_version: 'v1' }), [spec('f', [], { entryPoint: true })])).toThrow(
      'Workflow version must contain only numbers or dots',
    );
  });
});

describe('outputs', () => {
  const built = buildWorkflow(config(), [
    spec('first', ['join', 'second'], { entryPoint: true }),
    spec('second', ['join']),
    spec('join', [], { isSync: true, regionsAndProviders: { allowed_regions: [{ provider: 'provider1', region: 'region1' }] } }),
  ]);
  const entry = 'test_workflow-0_0_1-first:entry_point:0';
  const second = 'test_workflow-0_0_1-second:test_workflow-0_0_1-first_0_1:2';
  const join = 'test_workflow-0_0_1-join:sync:';

  it('workflow config (reference-system §2.3)', () => {
    const workflowConfig = workflowConfigOf(built, config());
    expect(Object.keys(workflowConfig)).toEqual([
      'workflow_name',
      'workflow_version',
      'workflow_id',
      'instances',
      'home_region',
      'estimated_invocations_per_month',
      'constraints',
      'regions_and_providers',
      'num_calls_in_one_month',
      'solver',
    ]);
    expect(workflowConfig.workflow_id).toBe('test_workflow-0.0.1');
    expect(workflowConfig.num_calls_in_one_month).toBe(0);
    expect(workflowConfig.solver).toBe('');
    expect(workflowConfig.estimated_invocations_per_month).toBe(1000);
    expect(Object.keys(workflowConfig.instances)).toEqual([entry, join, second]);
    expect(workflowConfig.instances[join]).toEqual({
      instance_name: join,
      regions_and_providers: {
        allowed_regions: [{ provider: 'provider1', region: 'region1' }],
        providers: { provider1: { config: { memory: 128, timeout: 10 } } },
      },
      succeeding_instances: [],
      preceding_instances: [entry, second],
      dependent_sync_predecessors: [],
    });
    expect(workflowConfig.instances[entry]!.dependent_sync_predecessors).toEqual([
      [entry, join],
      [second, join],
    ]);
  });

  it('initial placement decision (reference-system §3.4)', () => {
    const physical = (fn: string) => `test_workflow-0_0_1-${fn}_provider1-region1`;
    const deployed = Object.fromEntries(
      ['first', 'second', 'join'].map((fn) => [physical(fn), { identifier: `id:${fn}`, function_identifier: `fn:${fn}` }]),
    );
    const wpd = initialPlacementDecision(built, deployed);
    expect(wpd.current_instance_name).toBe(entry);
    expect(wpd.instances).toEqual(describeInstances(built));
    expect(wpd.workflow_placement.home_deployment[second]).toEqual({
      identifier: 'id:second',
      provider_region: { provider: 'provider1', region: 'region1' },
      function_identifier: 'fn:second',
    });
    expect(Object.keys(wpd.workflow_placement.home_deployment)).toEqual([entry, join, second]);
    expect(() => initialPlacementDecision(built, {})).toThrow(
      `No deployed function test_workflow-0_0_1-first_provider1-region1 recorded for instance ${entry}`,
    );
  });

  it('validated workflow', () => {
    expect(validatedWorkflowOf(built)).toEqual({
      workflow_id: 'test_workflow-0.0.1',
      instances: [
        {
          instance_name: entry,
          preceding_instances: [],
          succeeding_instances: [join, second],
          dependent_sync_predecessors: [
            [entry, join],
            [second, join],
          ],
        },
        { instance_name: join, preceding_instances: [entry, second], succeeding_instances: [], dependent_sync_predecessors: [] },
        { instance_name: second, preceding_instances: [entry], succeeding_instances: [join], dependent_sync_predecessors: [[second, join]] },
      ],
      edges: [
        [entry, join],
        [entry, second],
        [second, join],
      ],
    });
  });
});
