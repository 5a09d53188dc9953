import { describe, expect, it } from 'vitest';
import { WorkflowNotFoundError } from '@caribou/application';
import { CaribouError } from '@caribou/domain-common';
import { createRemoteHandler, type RemoteActions } from './handler';

/** Records every call so the tests see what each event triggers. */
function recordingActions(): { actions: RemoteActions; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const record =
    (name: string, result?: unknown) =>
    async (...args: unknown[]) => {
      calls.push([name, ...args]);
      return result as never;
    };
  return {
    calls,
    actions: {
      run: record('run', 'a1b2'),
      list: record('list', ['wf-0.0.1']),
      dataCollect: record('dataCollect'),
      logSync: record('logSync'),
      manageDeployments: record('manageDeployments'),
      remove: record('remove'),
      runDeploymentMigrator: record('runDeploymentMigrator'),
      syncWorkflow: record('syncWorkflow'),
      checkWorkflow: record('checkWorkflow'),
      runDeploymentAlgorithm: record('runDeploymentAlgorithm'),
      reDeployWorkflow: record('reDeployWorkflow'),
    } as RemoteActions,
  };
}

describe('remote framework handler (reference-system §10)', () => {
  const cases: Array<[string, unknown, Record<string, unknown>, unknown[][]]> = [
    ['no action', {}, { status: 400, message: 'No action specified' }, []],
    ['unknown action', { action: 'dance' }, { status: 400, message: 'Unknown action' }, []],
    ['version', { action: 'version' }, { status: 200, version: '1.1.0' }, []],
    ['list', { action: 'list' }, { status: 200, workflows: ['wf-0.0.1'] }, [['list']]],
    ['run', { action: 'run', workflow_id: 'wf-0.0.1', argument: { a: 1 } }, { status: 200, run_id: 'a1b2' }, [['run', 'wf-0.0.1', { a: 1 }]]],
    // The reference answers 200 with run_id null; the seed's run event always names its workflow.
    ['run without workflow', { action: 'run' }, { status: 400, message: 'No workflow_id specified' }, []],
    // The actions drop a falsy argument (Python truthiness), as the reference does.
    ['run with a falsy argument', { action: 'run', workflow_id: 'wf', argument: {} }, { status: 200, run_id: 'a1b2' }, [['run', 'wf', {}]]],
    ['collector missing', { action: 'data_collect' }, { status: 400, message: 'No collector specified' }, []],
    [
      'collector invalid',
      { action: 'data_collect', collector: 'x' },
      { status: 400, message: 'Invalid collector specified, Allowed values are provider, carbon, performance, workflow, all' },
      [],
    ],
    [
      'workflow collector without id',
      { action: 'data_collect', collector: 'workflow' },
      { status: 400, message: 'Workflow_id must be provided for the workflow collector.' },
      [],
    ],
    [
      'provider collector',
      { action: 'data_collect', collector: 'provider', workflow_id: 'test_workflow_id' },
      { status: 200, scheduled_collector: 'provider', workflow_id: 'test_workflow_id' },
      [['dataCollect', 'provider', 'test_workflow_id']],
    ],
    ['log sync', { action: 'log_sync' }, { status: 200, message: 'Log sync started' }, [['logSync']]],
    [
      'manage deployments default',
      { action: 'manage_deployments' },
      { status: 200, message: 'Deployment check started, using simple calculator' },
      [['manageDeployments', 'simple']],
    ],
    [
      'manage deployments invalid calculator',
      { action: 'manage_deployments', deployment_metrics_calculator_type: 'quantum' },
      { status: 400, message: "Invalid deployment_metrics_calculator_type specified. Allowed values are 'simple', 'go'" },
      [],
    ],
    ['remove without id', { action: 'remove' }, { status: 400, message: 'No workflow_id specified' }, []],
    ['remove', { action: 'remove', workflow_id: 'wf' }, { status: 200, message: 'Workflow wf removal started' }, [['remove', 'wf']]],
    ['migrator', { action: 'run_deployment_migrator' }, { status: 200, message: 'Deployment migrator started' }, [['runDeploymentMigrator']]],
    [
      'internal without type',
      { action: 'internal_action' },
      { status: 400, message: 'No special_action specified: type must be one of sync_workflow, check_workflow, run_deployment_algorithm, re_deploy_workflow' },
      [],
    ],
    [
      'internal unknown',
      { action: 'internal_action', type: 'x' },
      { status: 400, message: 'Unknown special action: type must be one of sync_workflow, check_workflow, run_deployment_algorithm, re_deploy_workflow, got the string "x"' },
      [],
    ],
    [
      'sync workflow',
      { action: 'internal_action', type: 'sync_workflow', event: { workflow_id: 'wf' } },
      { status: 200, message: 'Workflow wf synced' },
      [['syncWorkflow', 'wf', undefined]],
    ],
    [
      'sync workflow continuation (the days left by a sync that ran out of time)',
      { action: 'internal_action', type: 'sync_workflow', event: { workflow_id: 'wf', max_intervals: 7 } },
      { status: 200, message: 'Workflow wf synced' },
      [['syncWorkflow', 'wf', 7]],
    ],
    [
      'sync workflow continuation without a whole number of days',
      { action: 'internal_action', type: 'sync_workflow', event: { workflow_id: 'wf', max_intervals: 0 } },
      { status: 400, message: 'Invalid event.max_intervals: expected a whole number of days ≥ 1 to sync, got the number 0' },
      [],
    ],
    ['sync workflow without id', { action: 'internal_action', type: 'sync_workflow', event: {} }, { status: 400, message: 'No workflow_id specified' }, []],
    [
      'check workflow without calculator',
      { action: 'internal_action', type: 'check_workflow', event: { workflow_id: 'wf' } },
      { status: 400, message: 'No deployment_metrics_calculator_type specified' },
      [],
    ],
    [
      'run deployment algorithm',
      { action: 'internal_action', type: 'run_deployment_algorithm', event: { workflow_id: 'wf', deployment_metrics_calculator_type: 'simple', solve_hours: [0, 12], leftover_tokens: 15 } },
      { status: 200, message: 'Deployment algorithm performed on wf' },
      [['runDeploymentAlgorithm', 'wf', 'simple', [0, 12], 15]],
    ],
    [
      'run deployment algorithm with the reference string hours, go',
      {
        action: 'internal_action',
        type: 'run_deployment_algorithm',
        event: { workflow_id: 'wf', deployment_metrics_calculator_type: 'go', solve_hours: ['6', '18'], leftover_tokens: 0 },
      },
      { status: 200, message: 'Deployment algorithm performed on wf' },
      [['runDeploymentAlgorithm', 'wf', 'go', [6, 18], 0]],
    ],
    [
      'manage deployments with go',
      { action: 'manage_deployments', deployment_metrics_calculator_type: 'go' },
      { status: 200, message: 'Deployment check started, using go calculator' },
      [['manageDeployments', 'go']],
    ],
    [
      'data collect all, with the quick start workflow id',
      { action: 'data_collect', collector: 'all', workflow_id: 'wf-0.0.1' },
      { status: 200, scheduled_collector: 'all', workflow_id: 'wf-0.0.1' },
      [['dataCollect', 'all', 'wf-0.0.1']],
    ],
    [
      're-deploy',
      { action: 'internal_action', type: 're_deploy_workflow', event: { workflow_id: 'wf' } },
      { status: 200, message: 'Workflow wf re-deployed' },
      [['reDeployWorkflow', 'wf']],
    ],
  ];

  it.each(cases)('%s', async (_label, event, response, expectedCalls) => {
    const { actions, calls } = recordingActions();
    const handler = createRemoteHandler(() => actions, () => undefined);
    expect(await handler(event)).toEqual(response);
    expect(calls).toEqual(expectedCalls);
  });

  it('answers 404 for a workflow that is not deployed and 500 for work that fails, and never throws', async () => {
    const { actions } = recordingActions();
    const lines: string[] = [];
    const handler = createRemoteHandler(
      () => ({
        ...actions,
        remove: async (id: string) => {
          throw new WorkflowNotFoundError(id);
        },
        reDeployWorkflow: async () => {
          throw new CaribouError('No staged plan for wf-0.0.1;\nrun caribou manage_deployments first');
        },
        logSync: async () => {
          throw new TypeError('boom');
        },
      }),
      (line) => lines.push(line),
    );
    expect(await handler({ action: 'remove', workflow_id: 'nope-0.0.1' })).toEqual({
      status: 404,
      message: 'Workflow nope-0.0.1 (workflow_id) is not deployed; caribou list shows the deployed workflows',
    });
    expect(await handler({ action: 'internal_action', type: 're_deploy_workflow', event: { workflow_id: 'wf-0.0.1' } })).toEqual({
      status: 500,
      message: 'No staged plan for wf-0.0.1; run caribou manage_deployments first',
    });
    expect(await handler({ action: 'log_sync' })).toEqual({ status: 500, message: 'boom' });
    expect(lines.some((line) => line.startsWith('Failed: TypeError: boom'))).toBe(true);
  });

  it('answers 500 when the framework cannot be composed, instead of throwing', async () => {
    const handler = createRemoteHandler(() => {
      throw new CaribouError('CARIBOU_RUN_WAIT_TIMEOUT must be a positive number of seconds');
    }, () => undefined);
    expect(await handler({ action: 'list' })).toEqual({ status: 500, message: 'CARIBOU_RUN_WAIT_TIMEOUT must be a positive number of seconds' });
    expect(await handler({ action: 'nope' })).toEqual({ status: 400, message: 'Unknown action' });
  });
});
