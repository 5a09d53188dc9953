// Test support shared with the apps' tests (exported as @caribou/application/testing).
import workedExample from '../manage-deployments/__fixtures__/worked_example.json' with { type: 'json' };

export { InMemoryKeyValueStore } from './in-memory-key-value-store';
export { FixedClock } from '../log-sync/testing/fixed-clock';
export { linearRunLines, registerDeployedWorkflow, IA, IB, FUNCTION_A, FUNCTION_B, US_EAST_1 } from '../log-sync/testing/scenario';

/**
 * The worked example of solver spec §11 (3 instances, us-east-1 / ca-central-1 / us-west-2):
 * its workflow config and its table rows in the reference's format.
 */
export function workedExampleFixture(): { workflowConfig: Record<string, unknown>; tables: Record<string, Record<string, unknown>> } {
  return structuredClone({ workflowConfig: workedExample.workflow_config, tables: workedExample.tables }) as never;
}
