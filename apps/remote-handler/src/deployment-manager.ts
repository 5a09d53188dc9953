import { ManageDeploymentsService, WorkflowCollectorService } from '@caribou/application';
import type { Clock, KeyValueStore } from '@caribou/ports';
import type { DeploymentManagerActions } from './aws-actions';

/** The reference's Lambda budget for one solve (AWS_TIMEOUT_SECONDS), inside the 15-minute limit. */
const SOLVE_BUDGET_SECONDS = 800;

/**
 * The deployment manager inside the remote framework. One `check_workflow` decides and, when
 * affordable, solves in the same invocation (the solver is fast enough that the reference's
 * second hop, `run_deployment_algorithm`, is not needed); that event is answered by a fresh
 * check. Monte-Carlo runs in the handler's thread: a Lambda bundle has no worker-thread solver.
 */
export function createDeploymentManager(deps: { store: KeyValueStore; clock: Clock; log: (line: string) => void }): DeploymentManagerActions {
  const collector = new WorkflowCollectorService({ store: deps.store });
  const service = new ManageDeploymentsService({
    store: deps.store,
    clock: deps.clock,
    refreshWorkflowSummary: async (workflowId) => void (await collector.collect(workflowId)),
    options: { timeBudgetSeconds: SOLVE_BUDGET_SECONDS },
  });
  const check = async (workflowId: string) => {
    const report = await service.check({ workflowId, calculator: 'simple' });
    for (const workflow of report.workflows) deps.log(`Deployment check of ${workflow.workflowId}: ${workflow.outcome}`);
  };
  return {
    checkWorkflow: (workflowId) => check(workflowId),
    runDeploymentAlgorithm: (workflowId) => check(workflowId),
  };
}
