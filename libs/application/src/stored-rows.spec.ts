import { describe, expect, it } from 'vitest';
import { Tables } from '@caribou/domain-common';
import { InMemoryKeyValueStore } from './testing/in-memory-key-value-store';
import { RunWorkflowService } from './run/index';
import { ShowWorkflowService } from './workflows/index';
import { StoredRowError } from './stored-rows';

/** Issue 22: a damaged stored row ends in one line naming table, key and the fix — not a raw JSON error. */
describe('damaged stored rows', () => {
  const clock = { now: () => Date.UTC(2026, 0, 1) };
  const random = { random: () => 0.5, uuid: () => 'run' };
  const invoker = { invokeAsync: async () => undefined };

  it.each(['{"instances": ', 'null', '[1, 2]', '42'])('run with placement decision %j', async (damaged) => {
    const store = new InMemoryKeyValueStore();
    await store.put(Tables.workflowPlacementDecision, 'wf-0.0.1', damaged);
    const run = new RunWorkflowService({ store, invoker, clock, random }).run('wf-0.0.1');
    // The placement decision has its own reader (placement codec): it names the row and the fix too.
    await expect(run).rejects.toThrow(/^Stored row workflow_placement_decision_table\[wf-0\.0\.1\] is damaged \((not JSON|not a placement decision).*\): remove the workflow/);
  });

  it('show with deployment resources whose nested deployed_regions is not JSON names the field', async () => {
    const store = new InMemoryKeyValueStore();
    await store.put(
      Tables.workflowPlacementDecision,
      'wf-0.0.1',
      JSON.stringify({ instances: {}, current_instance_name: 'e', workflow_placement: { home_deployment: {} } }),
    );
    await store.put(Tables.deploymentResources, 'wf-0.0.1', JSON.stringify({ deployed_regions: '{broken' }));
    const shown = new ShowWorkflowService(store).show('wf-0.0.1');
    await expect(shown).rejects.toBeInstanceOf(StoredRowError);
    await expect(shown).rejects.toThrow(
      /^Stored row deployment_resources_table\[wf-0\.0\.1\]\.deployed_regions is damaged \(not JSON: .*\): remove the workflow/,
    );
  });

  it('show with a placement decision of the wrong shape names the row', async () => {
    const store = new InMemoryKeyValueStore();
    await store.put(Tables.workflowPlacementDecision, 'wf-0.0.1', JSON.stringify({ instances: {} }));
    await expect(new ShowWorkflowService(store).show('wf-0.0.1')).rejects.toThrow(/^Stored row workflow_placement_decision_table\[wf-0\.0\.1\] is damaged \(not a placement decision: /);
  });
});
