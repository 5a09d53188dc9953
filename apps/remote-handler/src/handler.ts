import { CARIBOU_VERSION } from '@caribou/domain-common';
import { isTruthyPayload } from '@caribou/domain-routing';
import type { RemoteActions } from './remote-actions';

export type RemoteResponse = Record<string, unknown> & { status: number };

const COLLECTORS = ['provider', 'carbon', 'performance', 'workflow', 'all'] as const;
/** `go` is the reference's Go calculator; here it selects the worker-thread evaluator. */
const CALCULATORS = ['simple', 'go', 'fast'];

const bad = (message: string): RemoteResponse => ({ status: 400, message });

/**
 * The remote framework's Lambda handler (reference-system §10.1–§10.2): JSON events in,
 * the reference's responses out, work delegated to the application services.
 */
export function createRemoteHandler(actions: RemoteActions, log: (line: string) => void = console.log) {
  return async function caribouCli(event: unknown): Promise<RemoteResponse> {
    const body = (event && typeof event === 'object' ? event : {}) as Record<string, unknown>;
    const action = body.action;
    log(`Received request with action: ${String(action)}`);
    if (!action) return bad('No action specified');
    switch (action) {
      case 'run': {
        const workflowId = typeof body.workflow_id === 'string' ? body.workflow_id : undefined;
        if (!workflowId) return { status: 200, run_id: null };
        // As the reference: a falsy argument (Python truthiness: {}, [], "", 0) means no payload.
        const argument = isTruthyPayload(body.argument) ? body.argument : undefined;
        return { status: 200, run_id: await actions.run(workflowId, argument) };
      }
      case 'list':
        return { status: 200, workflows: await actions.list() };
      case 'version':
        return { status: 200, version: CARIBOU_VERSION };
      case 'data_collect': {
        const collector = body.collector;
        if (!collector) return bad('No collector specified');
        if (!COLLECTORS.includes(collector as (typeof COLLECTORS)[number])) {
          return bad('Invalid collector specified, Allowed values are provider, carbon, performance, workflow, all');
        }
        const workflowId = typeof body.workflow_id === 'string' ? body.workflow_id : undefined;
        if (collector === 'workflow' && !workflowId) return bad('Workflow_id must be provided for the workflow collector.');
        await actions.dataCollect(collector as (typeof COLLECTORS)[number], workflowId);
        return { status: 200, scheduled_collector: collector, workflow_id: workflowId ?? null };
      }
      case 'log_sync':
        await actions.logSync();
        return { status: 200, message: 'Log sync started' };
      case 'manage_deployments': {
        const calculator = typeof body.deployment_metrics_calculator_type === 'string' ? body.deployment_metrics_calculator_type : 'simple';
        if (!CALCULATORS.includes(calculator)) {
          return bad("Invalid deployment_metrics_calculator_type specified. Allowed values are 'simple', 'go'");
        }
        await actions.manageDeployments(calculator);
        return { status: 200, message: `Deployment check started, using ${calculator} calculator` };
      }
      case 'remove': {
        if (typeof body.workflow_id !== 'string' || !body.workflow_id) return bad('No workflow_id specified');
        await actions.remove(body.workflow_id);
        return { status: 200, message: `Workflow ${body.workflow_id} removal started` };
      }
      case 'run_deployment_migrator':
        await actions.runDeploymentMigrator();
        return { status: 200, message: 'Deployment migrator started' };
      case 'internal_action':
        return internalAction(actions, body);
      default:
        return bad('Unknown action');
    }
  };
}

async function internalAction(actions: RemoteActions, body: Record<string, unknown>): Promise<RemoteResponse> {
  const type = body.type;
  if (!type) return bad('No special_action specified');
  const event = (body.event && typeof body.event === 'object' ? body.event : {}) as Record<string, unknown>;
  const required = (...names: string[]): RemoteResponse | undefined => {
    const missing = names.find((name) => event[name] === undefined || event[name] === null || event[name] === '');
    return missing ? bad(`No ${missing} specified`) : undefined;
  };
  const workflowId = String(event.workflow_id ?? '');
  switch (type) {
    case 'sync_workflow':
      return (
        required('workflow_id') ?? (await actions.syncWorkflow(workflowId), { status: 200, message: `Workflow ${workflowId} synced` })
      );
    case 'check_workflow':
      return (
        required('workflow_id', 'deployment_metrics_calculator_type') ??
        (await actions.checkWorkflow(workflowId, String(event.deployment_metrics_calculator_type)),
        { status: 200, message: `Workflow ${workflowId} checked` })
      );
    case 'run_deployment_algorithm':
      return (
        required('workflow_id', 'deployment_metrics_calculator_type', 'solve_hours', 'leftover_tokens') ??
        (await actions.runDeploymentAlgorithm(
          workflowId,
          String(event.deployment_metrics_calculator_type),
          (event.solve_hours as unknown[]).map(String),
          Number(event.leftover_tokens),
        ),
        { status: 200, message: `Deployment algorithm performed on ${workflowId}` })
      );
    case 're_deploy_workflow':
      return (
        required('workflow_id') ?? (await actions.reDeployWorkflow(workflowId), { status: 200, message: `Workflow ${workflowId} re-deployed` })
      );
    default:
      return bad('Unknown special action');
  }
}
