import type { FunctionSpec } from '@caribou/ports';
import type { GcpClients } from './config';
import { GcpEnvironment, GcpFunctionEnvironment } from './env';

/**
 * The environment every function copy gets on Google Cloud, beside the workflow's own
 * variables: which workflow function to run, where it runs, and where the framework
 * tables are. (Cloud Run sets none of these itself.)
 */
export function gcpFunctionEnvironment(spec: Pick<FunctionSpec, 'environment' | 'handler' | 'entryPoint' | 'region'>, clients: Pick<GcpClients, 'projectId' | 'systemRegion'>): Record<string, string> {
  return {
    ...spec.environment,
    [GcpFunctionEnvironment.workflowFunction]: spec.handler,
    [GcpFunctionEnvironment.entryPoint]: String(spec.entryPoint),
    [GcpFunctionEnvironment.region]: spec.region.region,
    [GcpEnvironment.project]: clients.projectId,
    [GcpEnvironment.systemRegion]: clients.systemRegion,
  };
}
