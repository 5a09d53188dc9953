import { describe, expect, it } from 'vitest';
import { WorkflowNotFoundError } from '@caribou/application';
import { createRemoteHandler, type RemoteActions } from './handler';
import { MALFORMED_EVENTS } from './testing/malformed-events';

/** Actions that know no workflow (`nope-…` ids are well formed but not deployed) and record every call. */
function unknownWorkflows(): { actions: RemoteActions; calls: string[] } {
  const calls: string[] = [];
  const refuse = (name: string) => async (workflowId?: unknown) => {
    calls.push(name);
    if (typeof workflowId === 'string') throw new WorkflowNotFoundError(workflowId);
  };
  const actions = {
    run: refuse('run'),
    list: refuse('list'),
    dataCollect: async (_collector: string, workflowId?: string) => refuse('dataCollect')(workflowId),
    logSync: refuse('logSync'),
    syncWorkflow: refuse('syncWorkflow'),
    manageDeployments: refuse('manageDeployments'),
    checkWorkflow: refuse('checkWorkflow'),
    runDeploymentAlgorithm: refuse('runDeploymentAlgorithm'),
    remove: refuse('remove'),
    runDeploymentMigrator: refuse('runDeploymentMigrator'),
    reDeployWorkflow: refuse('reDeployWorkflow'),
  } as unknown as RemoteActions;
  return { actions, calls };
}

describe('malformed remote events (the handler alone; bundle-events.int.spec.ts runs them through the bundle on moto)', () => {
  it.each(MALFORMED_EVENTS)('%s → %i naming %s', async (_label, event, status, field) => {
    const { actions, calls } = unknownWorkflows();
    const answer = await createRemoteHandler(() => actions, () => undefined)(event);
    expect(answer.status).toBe(status);
    expect(String(answer.message).toLowerCase()).toContain(field.toLowerCase());
    // A 400 never reaches the application; a 404 is the application saying the workflow is unknown.
    expect(calls).toHaveLength(status === 400 ? 0 : 1);
  });
});
