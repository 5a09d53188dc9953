import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryLocalDeployment } from '@caribou/adapter-local/testing';
import type { WorkflowModule } from '@caribou/adapter-local';
import { RunWorkflowService } from '@caribou/application';
import type { InstanceDescription } from '@caribou/domain-workflow';
import { CaribouWorkflow } from '@caribou/sdk';
import { handleInvocation } from '@caribou/sdk/runtime';

const A = 'limits-0_0_1-a:entry_point:0';
const B = 'limits-0_0_1-b:limits-0_0_1-a_0_0:1';
const region = { provider: 'local', region: 'ca-central-1' };
const description = (name: string, pre: string[], succ: string[]): InstanceDescription => ({
  instance_name: name,
  regions_and_providers: { providers: {} },
  preceding_instances: pre,
  succeeding_instances: succ,
  dependent_sync_predecessors: [],
});

function twoStepModule(payloadBytes: () => number): WorkflowModule {
  const workflow = new CaribouWorkflow({ name: 'limits', version: '0.0.1' });
  workflow.serverlessFunction({ name: 'a', entryPoint: true }, () => {
    workflow.invokeServerlessFunction(b, { blob: 'x'.repeat(payloadBytes()) });
    return 'ok';
  });
  const b = workflow.serverlessFunction({ name: 'b' }, () => 'done');
  return { workflow, handleInvocation } as unknown as WorkflowModule;
}

const CARIBOU_LINE =
  /^\[CARIBOU\]\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t[0-9a-f-]{36}\tTIME \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{6}\+0000\) RUN_ID \(([0-9a-f]{32}|UNKNOWN)\) MESSAGE \((.*)\) LOG_VERSION \(0\.0\.4\)$/;
const FLOAT = String.raw`-?\d+(?:\.\d+)?(?:e[-+]\d\d)?`;
const BOOL = 'True|False';
/** Field patterns of reference-system §3.7, in the order the log syncer reads them. */
const MARKERS: Record<string, RegExp> = {
  ENTRY_POINT: new RegExp(
    String.raw`^ENTRY_POINT: Entry Point INSTANCE \([^)]+\) of workflow \S+ called with USER_PAYLOAD_SIZE \(${FLOAT}\) GB and is REDIRECTED \((${BOOL})\) with INIT_LATENCY_FROM_CLIENT \((${FLOAT}|N/A)\) s INIT_LATENCY_FIRST_RECIEVED \(${FLOAT}\) s TIME_FROM_FUNCTION_START \(${FLOAT}\) s from REQUEST_SOURCE \([^)]+\) with WORKFLOW_PLACEMENT_DECISION_SIZE \(${FLOAT}\) GB and CONSUMED_READ_CAPACITY \(${FLOAT}\)$`,
  ),
  INVOKED: new RegExp(String.raw`^INVOKED: INSTANCE \([^)]+\) called with TAINT \(([0-9a-f]{32}|N/A)\) with NUMBER_OF_HOPS_FROM_CLIENT_REQUEST \(\d+\)$`),
  INVOKING_SUCCESSOR: new RegExp(
    String.raw`^INVOKING_SUCCESSOR: INSTANCE \([^)]+\) potentially calling SUCCESSOR \([^)]+\) with PAYLOAD_SIZE \(${FLOAT}\) GB and TAINT \([0-9a-f]{32}\) to PROVIDER \(\w+\) and REGION \([\w-]+\) SUCCESSOR_INVOKED \((${BOOL})\) at INVOCATION_TIME_FROM_FUNCTION_START \(${FLOAT}\) s and FINISH_TIME_FROM_INVOCATION_START \(${FLOAT}\) s UPLOADED_DATA_TO_SYNC_TABLE \((${BOOL})\)( UPLOAD_DATA_SIZE \(${FLOAT}\) GB consuming CONSUMED_WRITE_CAPACITY \(${FLOAT}\) loaded SYNC_DATA_RESPONSE_SIZE \(${FLOAT}\) GB with UPLOAD_RTT \(${FLOAT}\) s)?$`,
  ),
  EXECUTED: new RegExp(String.raw`^EXECUTED: INSTANCE \([^)]+\) with USER_EXECUTION_TIME \(${FLOAT}\) s and TOTAL_EXECUTION_TIME \(${FLOAT}\) s$`),
  USED_CPU_MODEL: new RegExp(String.raw`^USED_CPU_MODEL: CPU_MODEL \([^)]+\) used in INSTANCE \([^)]+\) and from FROM_REDIRECTOR \((${BOOL})\)$`),
  DEBUG_MESSAGE: new RegExp(String.raw`^DEBUG_MESSAGE: PAYLOAD_SIZE \(${FLOAT}\) GB PAYLOAD_SIZE_BYTE \(\d+\) BytesExceeds the limit of 256000 bytes$`),
  CLIENT_CODE_EXCEPTION: /^CLIENT_CODE_EXCEPTION: Client Code Exception! INSTANCE \([^)]+\) raised EXCEPTION \([^)]*\)$/,
  EXCEED_HOP_ERROR: /^EXCEED_HOP_ERROR: NUMBER_OF_HOPS_FROM_CLIENT_REQUEST \(\d+\) EXCEEDS_MAXIMUM_HOPS_FROM_CLIENT_REQUEST \(20\)$/,
};

function caribouMessages(deployment: InMemoryLocalDeployment, fn: string): Array<{ runId: string; message: string }> {
  return deployment.db
    .all<{ line: string }>('SELECT line FROM logs WHERE function_name = ? ORDER BY id', fn)
    .map((r) => r.line)
    .filter((line) => line.startsWith('[CARIBOU]'))
    .map((line) => {
      const match = CARIBOU_LINE.exec(line);
      expect(match, `not a [CARIBOU] line of LOG_VERSION 0.0.4: ${line}`).not.toBeNull();
      return { runId: match![1]!, message: match![2]! };
    });
}

function expectWellFormed(messages: Array<{ message: string }>): void {
  for (const { message } of messages) {
    const marker = message.split(':')[0]!;
    expect(MARKERS[marker], `unexpected marker ${marker}`).toBeDefined();
    expect(message).toMatch(MARKERS[marker]!);
  }
}

describe('runtime limits and log format on the local provider', () => {
  let deployment: InMemoryLocalDeployment | undefined;
  afterEach(async () => {
    await deployment?.close();
    deployment = undefined;
  });

  async function deployTwoStep(payloadBytes: () => number) {
    deployment = new InMemoryLocalDeployment(twoStepModule(payloadBytes));
    const wpd = await deployment.deploy(
      { instances: { [A]: description(A, [], [B]), [B]: description(B, [A], []) }, current_instance_name: A },
      (instance) => instance.split(':')[0]!.split('-').pop()!,
      region,
      'a',
    );
    const runner = new RunWorkflowService({
      store: deployment.store,
      invoker: deployment.engine.clientInvoker(),
      clock: deployment.clock,
      random: { random: () => 0.99, uuid: () => crypto.randomUUID().replace(/-/g, '') },
    });
    return { wpd, runner };
  }

  it('every log line of a run matches the reference field patterns', async () => {
    const { runner } = await deployTwoStep(() => 10);
    const { runId } = await runner.run('limits-0.0.1', '{"x": 1}');
    await deployment!.engine.waitForRun(runId);
    const lines = [...caribouMessages(deployment!, 'a_local-ca-central-1'), ...caribouMessages(deployment!, 'b_local-ca-central-1')];
    expect(lines.map((l) => l.message.split(':')[0]).sort()).toEqual(
      ['ENTRY_POINT', 'EXECUTED', 'EXECUTED', 'INVOKED', 'INVOKED', 'INVOKING_SUCCESSOR', 'USED_CPU_MODEL', 'USED_CPU_MODEL'].sort(),
    );
    expect(new Set(lines.map((l) => l.runId))).toEqual(new Set([runId]));
    expectWellFormed(lines);
  });

  it('a message over 256,000 bytes fails the sender with a clear error and DEBUG_MESSAGE + CLIENT_CODE_EXCEPTION lines', async () => {
    const { runner } = await deployTwoStep(() => 300_000);
    const { runId } = await runner.run('limits-0.0.1', '{}');
    const { failed } = await deployment!.engine.waitForRun(runId);
    expect(failed).toBe(true);
    const [execution] = deployment!.engine.executions(runId);
    expect(execution!.status).toBe('failed');
    // The error says which part is large: the payload (300,000 x's plus its JSON), not the placement decision.
    expect(execution!.error).toMatch(/over the limit of 256000 bytes: the payload is 3000\d\d bytes and the placement decision \d{3,4} bytes; pass large data by reference/);
    const messages = caribouMessages(deployment!, 'a_local-ca-central-1');
    expect(messages.map((m) => m.message.split(':')[0])).toEqual(expect.arrayContaining(['DEBUG_MESSAGE', 'CLIENT_CODE_EXCEPTION']));
    expect(messages.map((m) => m.message.split(':')[0])).not.toContain('EXECUTED');
    expectWellFormed(messages);
    expect(caribouMessages(deployment!, 'b_local-ca-central-1')).toEqual([]);
  });

  it('a first message over 256,000 bytes is not sent; the error names the argument and the placement decision with their sizes', async () => {
    const { runner } = await deployTwoStep(() => 1);
    const argument = JSON.stringify({ blob: 'x'.repeat(300_000) });
    await expect(runner.run('limits-0.0.1', argument)).rejects.toThrow(
      /^The first message of the run is 3\d{5} bytes, over the limit of 256000 bytes: the argument is 3000\d\d bytes and the placement decision \d{3,4} bytes; pass large input by reference/,
    );
    expect(deployment!.db.all('SELECT * FROM executions')).toEqual([]);
  });

  it('a message past the hop limit (20) is refused with EXCEED_HOP_ERROR', async () => {
    const { wpd } = await deployTwoStep(() => 1);
    const runId = 'f'.repeat(32);
    const message = JSON.stringify({
      workflow_placement_decision: { ...wpd, current_instance_name: B, run_id: runId, time_key: 'N/A', send_to_home_region: false },
      transmission_taint: 'a'.repeat(32),
      number_of_hops_from_client_request: 20,
    });
    await deployment!.engine.clientInvoker().invokeAsync(region, wpd.workflow_placement.home_deployment[B]!.identifier, message);
    await deployment!.engine.waitForRun(runId);
    const [execution] = deployment!.engine.executions(runId);
    expect(execution!.status).toBe('failed');
    expect(execution!.error).toMatch(/hops from the client request \(21\) exceeds the maximum of 20/);
    const messages = caribouMessages(deployment!, 'b_local-ca-central-1');
    expect(messages).toEqual([{ runId, message: 'EXCEED_HOP_ERROR: NUMBER_OF_HOPS_FROM_CLIENT_REQUEST (21) EXCEEDS_MAXIMUM_HOPS_FROM_CLIENT_REQUEST (20)' }]);
  });
});
