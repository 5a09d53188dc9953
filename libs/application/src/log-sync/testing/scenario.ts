import { Tables, type ProviderRegion } from '@caribou/domain-common';
import { formatCaribouLine, formatReportLine, LogMessages } from '@caribou/domain-telemetry';
import type { InMemoryKeyValueStore } from '../../testing/in-memory-key-value-store';
import type { RecordedLogSource } from './recorded-log-source';

export interface DeployedFunctionSpec {
  name: string;
  region: ProviderRegion;
}

/** Registers a workflow as the deploy use case does (values double-encoded JSON strings). */
export async function registerDeployedWorkflow(store: InMemoryKeyValueStore, workflowId: string, functions: DeployedFunctionSpec[]): Promise<void> {
  await store.put(Tables.deploymentManagerResource, workflowId, JSON.stringify({ workflow_id: workflowId, workflow_config: '{}' }));
  const deployedRegions = Object.fromEntries(functions.map((fn) => [fn.name, { deploy_region: fn.region, identifier: fn.name, function_identifier: fn.name }]));
  await store.put(
    Tables.deploymentResources,
    workflowId,
    JSON.stringify({
      workflow_id: workflowId,
      workflow_function_descriptions: '[]',
      deployment_config: '{}',
      deployed_regions: JSON.stringify(deployedRegions),
    }),
  );
}

/**
 * Stores a function's lines with the timestamps the platform would give them: a `[CARIBOU]`
 * line its ISO field, any other line (REPORT) a millisecond after the line before it.
 */
export function addFunctionLines(source: RecordedLogSource, region: ProviderRegion, functionName: string, lines: string[]): void {
  let last = 0;
  for (const text of lines) {
    const iso = text.startsWith('[CARIBOU]') ? text.split('\t')[1] : undefined;
    const timeMs = iso !== undefined && !Number.isNaN(Date.parse(iso)) ? Date.parse(iso) : last + 1;
    source.addLine(region, functionName, timeMs, text);
    last = timeMs;
  }
}

export const US_EAST_1 = { provider: 'aws', region: 'us-east-1' };
export const IA = 'wf-0_0_1-A:entry_point:0';
export const IB = 'wf-0_0_1-B:wf-0_0_1-A_0_0:1';
export const FUNCTION_A = 'wf-0_0_1-A_aws-us-east-1';
export const FUNCTION_B = 'wf-0_0_1-B_aws-us-east-1';

/**
 * One run of the linear workflow A → B: the lines of the golden fixture A of
 * reference-system §11.3 (see libs/domain/telemetry/src/golden), shifted to `startMs`.
 */
export function linearRunLines(runId: string, startMs: number, options: { region?: ProviderRegion; coldStartB?: boolean } = {}) {
  const region = options.region ?? US_EAST_1;
  const reqA = `${runId}-reqA`;
  const reqB = `${runId}-reqB`;
  const a = (offset: number, message: string) => formatCaribouLine(startMs + offset, reqA, runId, message);
  const b = (offset: number, message: string) => formatCaribouLine(startMs + offset, reqB, runId, message);
  const cpu = 'Intel(R) Xeon(R) Processor @ 2.50GHz';
  return {
    linesA: [
      a(
        0,
        LogMessages.entryPoint({
          instance: IA,
          workflowId: 'wf-0.0.1',
          userPayloadSizeGb: 1e-6,
          redirected: false,
          initLatencyFromClientS: 0.5,
          initLatencyFirstReceivedS: 0.0,
          timeFromFunctionStartS: 0.001,
          requestSource: 'Caribou CLI',
          wpdSizeGb: 2e-6,
          consumedReadCapacity: 1.0,
        }),
      ),
      a(0, LogMessages.invoked({ instance: IA, taint: null, hops: 1 })),
      a(
        50,
        LogMessages.invokingSuccessor({
          instance: IA,
          successor: IB,
          payloadSizeGb: 3e-6,
          taint: `${runId}-t1`,
          provider: region.provider,
          region: region.region,
          successorInvoked: true,
          invocationTimeFromFunctionStartS: 0.05,
          finishTimeFromInvocationStartS: 0.04,
        }),
      ),
      a(150, LogMessages.executed({ instance: IA, userExecutionTimeS: 0.1, totalExecutionTimeS: 0.15 })),
      a(151, LogMessages.usedCpuModel({ cpuModel: cpu, instance: IA, fromRedirector: false })),
      formatReportLine({ requestId: reqA, durationMs: 160, memorySizeMb: 1769, maxMemoryUsedMb: 90 }),
    ],
    linesB: [
      b(200, LogMessages.invoked({ instance: IB, taint: `${runId}-t1`, hops: 2 })),
      b(400, LogMessages.executed({ instance: IB, userExecutionTimeS: 0.2, totalExecutionTimeS: 0.2 })),
      b(401, LogMessages.usedCpuModel({ cpuModel: cpu, instance: IB, fromRedirector: false })),
      formatReportLine({ requestId: reqB, durationMs: 210, memorySizeMb: 1769, maxMemoryUsedMb: 90, ...(options.coldStartB && { initDurationMs: 300 }) }),
    ],
    insightsA: JSON.stringify({ request_id: reqA, total_memory: 1769, duration: 160, cpu_total_time: 80, total_network: 4096 }),
    insightsB: JSON.stringify({ request_id: reqB, total_memory: 1769, duration: 210, cpu_total_time: 21, total_network: 1073741824 }),
  };
}

/** Deploys A and B in one region and stores the lines (and Insights, unless left out) of the given runs. */
export async function linearWorkflow(
  store: InMemoryKeyValueStore,
  source: RecordedLogSource,
  workflowId: string,
  runs: Array<{ runId: string; startMs: number; coldStartB?: boolean }>,
  options: { region?: ProviderRegion; insights?: boolean; functionSuffix?: string } = {},
): Promise<void> {
  const region = options.region ?? US_EAST_1;
  const suffix = options.functionSuffix ?? '';
  const fnA = `${FUNCTION_A}${suffix}`;
  const fnB = `${FUNCTION_B}${suffix}`;
  await registerDeployedWorkflow(store, workflowId, [
    { name: fnA, region },
    { name: fnB, region },
  ]);
  for (const run of runs) {
    const lines = linearRunLines(run.runId, run.startMs, { region, ...(run.coldStartB && { coldStartB: true }) });
    addFunctionLines(source, region, fnA, lines.linesA);
    addFunctionLines(source, region, fnB, lines.linesB);
    if (options.insights !== false) {
      source.addInsights(region, fnA, run.startMs + 160, lines.insightsA);
      source.addInsights(region, fnB, run.startMs + 410, lines.insightsB);
    }
  }
}
