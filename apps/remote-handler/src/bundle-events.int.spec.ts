import { CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAwsAdapters, isAwsError, lambdaLogGroup, type AwsAdapterSet } from '@caribou/adapter-aws';
import { emulatorConfig, handlerZipArtifact, startRecordingProxy, type RecordingProxy } from '@caribou/adapter-aws/testing';
import { FRAMEWORK_TABLES } from '@caribou/application';
import { FUNCTION_A, FUNCTION_B, IA, IB, linearRunLines, US_EAST_1, workedExampleFixture } from '@caribou/application/testing';
import { cooldownSeconds } from '@caribou/domain-planner';
import { parseTime, Tables } from '@caribou/domain-common';
import type { RemoteResponse } from './handler';
import { bundledHandler } from './testing/bundled-handler';
import { MALFORMED_EVENTS } from './testing/malformed-events';

/*
 * The remote framework's bundle (dist/remote-handler/index.mjs, what deploy_remote_cli uploads)
 * against moto, through a proxy that records the Lambda Invoke requests it sends to itself.
 * moto runs no function code: each internal_action the bundle emits is run by calling the
 * bundle's handler with the recorded payload, in this process.
 */

// A region of its own, so the framework tables and caribou_cli of other suites are not touched.
const SYSTEM = 'eu-north-1';
const WF = 'wf-0.0.1';
const RUNS = 60;

type Handler = (event: unknown) => Promise<RemoteResponse>;

describe('the bundled remote framework on moto', () => {
  let proxy: RecordingProxy;
  let adapters: AwsAdapterSet;
  let handler: Handler;
  const lines: string[] = [];
  const internalEvents = () => proxy.invokes.map((invoke) => invoke.payload as { action: string; type: string; event: Record<string, unknown> });

  beforeAll(async () => {
    proxy = await startRecordingProxy(inject('awsEndpoint'));
    adapters = createAwsAdapters(emulatorConfig({ systemRegion: SYSTEM }));
    await adapters.store.ensureTables(FRAMEWORK_TABLES);
    // The function the framework's self-invocations go to (moto accepts them and runs nothing).
    await adapters.remote.deploy({ artifact: handlerZipArtifact(), memoryMb: 256, timeoutSeconds: 60, ephemeralStorageMb: 512, secrets: {} });
    handler = await bundledHandler(
      { CARIBOU_AWS_ENDPOINT: proxy.endpoint, CARIBOU_SYSTEM_REGION: SYSTEM, CARIBOU_OFFLINE_DATA: '1' },
      (line) => lines.push(line),
    );
  });

  afterAll(async () => {
    await adapters.remote.remove();
    for (const table of FRAMEWORK_TABLES) for (const key of await adapters.store.keys(table)) await adapters.store.delete(table, key);
    for (const fn of [FUNCTION_A, FUNCTION_B]) {
      await adapters.clients
        .logs(US_EAST_1.region)
        .send(new DeleteLogGroupCommand({ logGroupName: lambdaLogGroup(adapters.clients.names.functionName(fn)) }))
        .catch(() => undefined);
    }
    adapters.clients.destroy();
    await proxy.close();
  });

  it(`answers each of ${MALFORMED_EVENTS.length} malformed events 400 or 404 with a message naming the field, never throwing nor invoking anything`, async () => {
    expect(MALFORMED_EVENTS.length).toBeGreaterThanOrEqual(50);
    const answers: Array<[string, RemoteResponse]> = [];
    for (const [label, event] of MALFORMED_EVENTS) answers.push([label, await handler(event)]);
    const expected = MALFORMED_EVENTS.map(([label, , status, field]) => [label, status, field]);
    const got = answers.map(([label, answer], i) => {
      const field = MALFORMED_EVENTS[i]![3];
      const message = String(answer.message ?? '');
      return [label, answer.status, message.toLowerCase().includes(field.toLowerCase()) ? field : `message does not name ${field}: ${message}`];
    });
    expect(got).toEqual(expected);
    expect(proxy.invokes).toEqual([]);
  });

  it('check_workflow → run_deployment_algorithm: a plan for exactly the hours and tokens the check decided, and for hours given by hand', async () => {
    const { workflowConfig, tables } = workedExampleFixture();
    // The worked example's model, as the linear workflow wf-0.0.1 (A → B) whose log lines the scenario writes.
    const instances = workflowConfig.instances as Record<string, Record<string, unknown>>;
    const [a, b] = Object.values(instances);
    const config = {
      ...workflowConfig,
      workflow_name: 'wf',
      workflow_id: WF,
      instances: {
        [IA]: { ...a, instance_name: IA, succeeding_instances: [IB], preceding_instances: [] },
        [IB]: { ...b, instance_name: IB, succeeding_instances: [], preceding_instances: [IA] },
      },
    };
    for (const table of [Tables.availableRegions, Tables.providerRegion, Tables.provider, Tables.carbonRegion, Tables.performanceRegion]) {
      for (const [key, row] of Object.entries(tables[table]!)) await adapters.store.put(table, key, JSON.stringify(row));
    }
    await adapters.store.put(Tables.deploymentManagerResource, WF, JSON.stringify({ workflow_id: WF, workflow_config: JSON.stringify(config) }));
    const deployedRegions = Object.fromEntries([FUNCTION_A, FUNCTION_B].map((name) => [name, { deploy_region: US_EAST_1, identifier: name, function_identifier: name }]));
    await adapters.store.put(
      Tables.deploymentResources,
      WF,
      JSON.stringify({ workflow_id: WF, workflow_function_descriptions: '[]', deployment_config: '{}', deployed_regions: JSON.stringify(deployedRegions) }),
    );
    // 60 runs two hours ago, written where Lambda writes them: CloudWatch Logs of each function.
    const logs = adapters.clients.logs(US_EAST_1.region);
    const start = Date.now() - 2 * 3_600_000;
    const perFunction: Record<string, string[]> = { [FUNCTION_A]: [], [FUNCTION_B]: [] };
    const events: Record<string, Array<{ timestamp: number; message: string }>> = { [FUNCTION_A]: [], [FUNCTION_B]: [] };
    for (let run = 0; run < RUNS; run++) {
      const runLines = linearRunLines(`run${String(run).padStart(4, '0')}`, start + run * 20_000);
      perFunction[FUNCTION_A]!.push(...runLines.linesA);
      perFunction[FUNCTION_B]!.push(...runLines.linesB);
    }
    for (const [fn, fnLines] of Object.entries(perFunction)) {
      let last = 0;
      for (const message of fnLines) {
        const iso = message.startsWith('[CARIBOU]') ? Date.parse(message.split('\t')[1]!) : Number.NaN;
        last = Number.isNaN(iso) ? last + 1 : iso;
        events[fn]!.push({ timestamp: last, message });
      }
      await logs.send(new CreateLogGroupCommand({ logGroupName: lambdaLogGroup(adapters.clients.names.functionName(fn)) })).catch((error) => {
        if (!isAwsError(error, 'ResourceAlreadyExistsException')) throw error;
      });
      await logs.send(new CreateLogStreamCommand({ logGroupName: lambdaLogGroup(adapters.clients.names.functionName(fn)), logStreamName: 'stream' }));
      const sorted = events[fn]!.sort((x, y) => x.timestamp - y.timestamp);
      for (let i = 0; i < sorted.length; i += 500) {
        await logs.send(new PutLogEventsCommand({ logGroupName: lambdaLogGroup(adapters.clients.names.functionName(fn)), logStreamName: 'stream', logEvents: sorted.slice(i, i + 500) }));
      }
    }

    // log_sync fans out one sync_workflow; the framework runs it.
    expect(await handler({ action: 'log_sync' })).toEqual({ status: 200, message: 'Log sync started' });
    expect(internalEvents()).toEqual([{ action: 'internal_action', type: 'sync_workflow', event: { workflow_id: WF } }]);
    expect(await handler(internalEvents()[0])).toEqual({ status: 200, message: `Workflow ${WF} synced` });
    proxy.invokes.length = 0;

    // manage_deployments (the seed's `go` calculator) fans out check_workflow, which decides and emits run_deployment_algorithm.
    expect(await handler({ action: 'manage_deployments', deployment_metrics_calculator_type: 'go' })).toEqual({ status: 200, message: 'Deployment check started, using go calculator' });
    const [check] = internalEvents();
    expect(check).toEqual({ action: 'internal_action', type: 'check_workflow', event: { workflow_id: WF, deployment_metrics_calculator_type: 'go' } });
    proxy.invokes.length = 0;
    expect(await handler(check)).toEqual({ status: 200, message: `Workflow ${WF} checked` });
    expect(lines).toContain(`Deployment check of ${WF}: solve`);
    // Nothing is recorded before the solve has run.
    expect(await adapters.store.has(Tables.deploymentManagerWorkflowInfo, WF)).toBe(false);
    expect(proxy.invokes).toHaveLength(1);
    expect(proxy.invokes[0]).toMatchObject({ functionName: 'caribou_cli', invocationType: 'Event' });
    const solveEvent = internalEvents()[0]!;
    expect(solveEvent).toMatchObject({ action: 'internal_action', type: 'run_deployment_algorithm', event: { workflow_id: WF, deployment_metrics_calculator_type: 'go' } });
    const solveHours = solveEvent.event.solve_hours as string[];
    const leftover = solveEvent.event.leftover_tokens as number;
    // The reference's wire format: hours as strings, tokens as a whole number.
    expect(solveHours.every((hour) => typeof hour === 'string')).toBe(true);
    expect(Number.isInteger(leftover)).toBe(true);

    // The handler runs on the system clock: the solve happened somewhere between these two readings.
    const solveNotBefore = Date.now();
    expect(await handler(solveEvent)).toEqual({ status: 200, message: `Deployment algorithm performed on ${WF}` });
    const solveNotAfter = Date.now();
    const staged = JSON.parse((await adapters.store.get(Tables.workflowPlacementSolverStagingArea, WF))!) as { time_keys_to_staging_area_data: Record<string, unknown>; expiry_time: string };
    expect(Object.keys(staged.time_keys_to_staging_area_data)).toEqual(solveHours);
    const info = JSON.parse((await adapters.store.get(Tables.deploymentManagerWorkflowInfo, WF))!) as { tokens_left: number; next_check: string; last_solved: string };
    expect(info.tokens_left).toBe(leftover);
    // The plan lives 86400·σ₂(leftover) seconds from the solve, and the next check comes then.
    const cooldownMs = cooldownSeconds(leftover) * 1000;
    expect(parseTime(info.next_check)).toBeGreaterThanOrEqual(solveNotBefore + cooldownMs);
    expect(parseTime(info.next_check)).toBeLessThanOrEqual(solveNotAfter + cooldownMs);
    expect(info.next_check).toBe(staged.expiry_time);
    // `go` ran the worker-thread evaluator shipped in the bundle.
    expect(lines.some((line) => line.startsWith(`Solved ${WF} for hours ${solveHours.join(', ')}`) && line.includes('(fast calculator'))).toBe(true);

    // The same hop with hours and tokens given by hand solves exactly those.
    proxy.invokes.length = 0;
    const byHand = { action: 'internal_action', type: 'run_deployment_algorithm', event: { workflow_id: WF, deployment_metrics_calculator_type: 'simple', solve_hours: [15, '3'], leftover_tokens: 7 } };
    expect(await handler(byHand)).toEqual({ status: 200, message: `Deployment algorithm performed on ${WF}` });
    const restaged = JSON.parse((await adapters.store.get(Tables.workflowPlacementSolverStagingArea, WF))!) as { time_keys_to_staging_area_data: Record<string, unknown> };
    expect(Object.keys(restaged.time_keys_to_staging_area_data)).toEqual(['3', '15']);
    expect((JSON.parse((await adapters.store.get(Tables.deploymentManagerWorkflowInfo, WF))!) as { tokens_left: number }).tokens_left).toBe(7);
    expect(proxy.invokes).toEqual([]);
  });
});
