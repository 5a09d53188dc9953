import { parseRemoteEvent, WorkflowNotFoundError, type RemoteEvent, type RemoteFrameworkActions } from '@caribou/application';
import { CARIBOU_VERSION } from '@caribou/domain-common';

export type RemoteResponse = Record<string, unknown> & { status: number };

/** What the handler asks of the application: the remote framework's actions. */
export type RemoteActions = Pick<
  RemoteFrameworkActions,
  | 'run'
  | 'list'
  | 'dataCollect'
  | 'logSync'
  | 'syncWorkflow'
  | 'manageDeployments'
  | 'checkWorkflow'
  | 'runDeploymentAlgorithm'
  | 'remove'
  | 'runDeploymentMigrator'
  | 'reDeployWorkflow'
>;

/**
 * The remote framework's Lambda handler (reference-system §10.1–§10.2): a JSON event in, the
 * reference's response out, the work done by the application's remote actions. It never
 * throws — Lambda would retry an asynchronous event that throws, and a malformed event stays
 * malformed: a bad event answers 400 naming the field, an unknown workflow 404, a failure of
 * the work itself 500 with its one-line reason (and the stack in the log). The actions are
 * resolved on the first event (after reading the API keys), so a composition error is answered
 * like any other failure.
 */
export function createRemoteHandler(actions: () => RemoteActions | Promise<RemoteActions>, log: (line: string) => void = console.log) {
  return async function caribouCli(input: unknown): Promise<RemoteResponse> {
    const action = typeof input === 'object' && input !== null && 'action' in input ? (input as { action: unknown }).action : undefined;
    log(`Received request with action: ${typeof action === 'string' ? action : JSON.stringify(action) ?? 'undefined'}`);
    const parsed = parseRemoteEvent(input);
    if (!parsed.ok) {
      log(`Refused: ${parsed.message}`);
      return { status: 400, message: parsed.message };
    }
    try {
      return await perform(await actions(), parsed.event);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return { status: 404, message: error.message };
      const message = (error instanceof Error ? error.message : String(error)).split('\n').map((line) => line.trim()).filter(Boolean).join(' ');
      log(`Failed: ${error instanceof Error && error.stack ? error.stack : message}`);
      return { status: 500, message };
    }
  };
}

async function perform(actions: RemoteActions, event: RemoteEvent): Promise<RemoteResponse> {
  switch (event.action) {
    case 'run':
      return { status: 200, run_id: await actions.run(event.workflow_id, event.argument) };
    case 'list':
      return { status: 200, workflows: await actions.list() };
    case 'version':
      return { status: 200, version: CARIBOU_VERSION };
    case 'data_collect':
      await actions.dataCollect(event.collector, event.workflow_id);
      return { status: 200, scheduled_collector: event.collector, workflow_id: event.workflow_id ?? null };
    case 'log_sync':
      await actions.logSync();
      return { status: 200, message: 'Log sync started' };
    case 'manage_deployments':
      await actions.manageDeployments(event.deployment_metrics_calculator_type);
      return { status: 200, message: `Deployment check started, using ${event.deployment_metrics_calculator_type} calculator` };
    case 'remove':
      await actions.remove(event.workflow_id);
      return { status: 200, message: `Workflow ${event.workflow_id} removal started` };
    case 'run_deployment_migrator':
      await actions.runDeploymentMigrator();
      return { status: 200, message: 'Deployment migrator started' };
    case 'internal_action':
      switch (event.type) {
        case 'sync_workflow':
          await actions.syncWorkflow(event.event.workflow_id, event.event.max_intervals);
          return { status: 200, message: `Workflow ${event.event.workflow_id} synced` };
        case 'check_workflow':
          await actions.checkWorkflow(event.event.workflow_id, event.event.deployment_metrics_calculator_type);
          return { status: 200, message: `Workflow ${event.event.workflow_id} checked` };
        case 'run_deployment_algorithm': {
          const { workflow_id, deployment_metrics_calculator_type, solve_hours, leftover_tokens } = event.event;
          await actions.runDeploymentAlgorithm(workflow_id, deployment_metrics_calculator_type, solve_hours, leftover_tokens);
          return { status: 200, message: `Deployment algorithm performed on ${workflow_id}` };
        }
        case 're_deploy_workflow':
          await actions.reDeployWorkflow(event.event.workflow_id);
          return { status: 200, message: `Workflow ${event.event.workflow_id} re-deployed` };
      }
  }
}
