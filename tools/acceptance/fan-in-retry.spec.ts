import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalDatabase, LocalExecutionMarkerProvider, LocalKeyValueStore, LocalSyncStoreProvider, SimulationClock } from '@caribou/adapter-local';
import type { InstanceDescription, WorkflowPlacementDecision } from '@caribou/domain-workflow';
import type { FunctionInvoker } from '@caribou/ports';
import { CaribouWorkflow } from '@caribou/sdk';
import { handleInvocation, type RuntimeServices } from '@caribou/sdk/runtime';

const E = 'retry-0_0_1-e:entry_point:0';
const A = 'retry-0_0_1-a:retry-0_0_1-e_0_0:1';
const B = 'retry-0_0_1-b:retry-0_0_1-e_0_1:2';
const S = 'retry-0_0_1-s:sync:';
const region = { provider: 'local', region: 'us-east-1' };
const node = (name: string, pre: string[], succ: string[], dependent: Array<[string, string]> = []): InstanceDescription => ({
  instance_name: name,
  regions_and_providers: { providers: {} },
  preceding_instances: pre,
  succeeding_instances: succ,
  dependent_sync_predecessors: dependent,
});

describe('fan-in when a predecessor invocation is retried (Lambda retries failed async events)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'caribou-retry-'));
  const db = new LocalDatabase(join(dir, 'local.db'));
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a send that fails after the claim is completed by the retry; the sync node gets each payload once', async () => {
    const received: unknown[][] = [];
    const workflow = new CaribouWorkflow({ name: 'retry', version: '0.0.1' });
    const e = workflow.serverlessFunction({ name: 'e', entryPoint: true }, () => {
      workflow.invokeServerlessFunction(a, 'to a');
      workflow.invokeServerlessFunction(b, 'to b');
    });
    const a = workflow.serverlessFunction({ name: 'a' }, () => workflow.invokeServerlessFunction(s, { from: 'a' }));
    const b = workflow.serverlessFunction({ name: 'b' }, () => workflow.invokeServerlessFunction(s, { from: 'b' }));
    const s = workflow.serverlessFunction({ name: 's' }, async () => void received.push(await workflow.getPredecessorData()));
    void e;
    const placement = { provider_region: region, identifier: 'x', function_identifier: 'x' };
    const wpd: WorkflowPlacementDecision = {
      instances: { [E]: node(E, [], [A, B]), [A]: node(A, [E], [S], [[A, S]]), [B]: node(B, [E], [S], [[B, S]]), [S]: node(S, [A, B], []) },
      current_instance_name: E,
      workflow_placement: { home_deployment: { [E]: placement, [A]: placement, [B]: placement, [S]: placement } },
      run_id: 'r'.repeat(32),
      time_key: 'N/A',
      send_to_home_region: false,
    };
    const sent: Array<{ to: string; message: string }> = [];
    let failNextSendToS = false;
    const invoker: FunctionInvoker = {
      async invokeAsync(_region, _identifier, message) {
        const to = (JSON.parse(message) as { workflow_placement_decision: { current_instance_name: string } }).workflow_placement_decision.current_instance_name;
        if (to === S && failNextSendToS) {
          failNextSendToS = false;
          throw new Error('TooManyRequestsException (transient)');
        }
        sent.push({ to, message });
      },
    };
    const clock = new SimulationClock(db);
    const services: RuntimeServices = {
      region,
      store: new LocalKeyValueStore(db),
      syncStore: (r) => new LocalSyncStoreProvider(db, clock).forRegion(r),
      invoker,
      markers: new LocalExecutionMarkerProvider(db, clock).forRegion(region),
      remainingTimeMs: () => 60_000,
      clock,
      random: { random: () => 0.5, uuid: () => crypto.randomUUID().replace(/-/g, '') },
      log: () => undefined,
      requestId: 'req',
      cpuModel: 'test',
    };
    const deliver = async (instance: string) => {
      const message = sent.find((m) => m.to === instance)!.message;
      return handleInvocation(workflow, instance.split(':')[0]!.split('-').pop()!, message, services);
    };
    await handleInvocation(workflow, 'e', JSON.stringify({ workflow_placement_decision: wpd, payload: 'go' }), services);
    await deliver(A);
    failNextSendToS = true;
    await expect(deliver(B)).rejects.toThrow('TooManyRequestsException');
    expect(sent.filter((m) => m.to === S)).toHaveLength(0);
    await deliver(B); // the platform's retry of B's event
    expect(sent.filter((m) => m.to === S)).toHaveLength(1);
    await deliver(S);
    expect(received).toHaveLength(1);
    expect(received[0]).toEqual(expect.arrayContaining([{ from: 'a' }, { from: 'b' }]));
    expect(received[0]).toHaveLength(2);
  });
});
