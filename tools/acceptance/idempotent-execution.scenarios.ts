import { describe, expect, it } from 'vitest';
import type { ProviderRegion } from '@caribou/domain-common';
import type { InstanceDescription, WorkflowPlacementDecision } from '@caribou/domain-workflow';
import type { Clock, ExecutionMarkerProvider, FunctionInvoker, KeyValueStore, SyncStoreProvider } from '@caribou/ports';
import { CaribouWorkflow } from '@caribou/sdk';
import { handleInvocation, type RuntimeServices } from '@caribou/sdk/runtime';

/** The real stores under test (libsql files, DynamoDB on moto), with their tables made. */
export interface IdempotenceStores {
  region: ProviderRegion;
  store: KeyValueStore;
  syncStores: SyncStoreProvider;
  markers: ExecutionMarkerProvider;
  clock: Clock;
  cleanup(): Promise<void>;
}

const E = 'dup-0_0_1-e:entry_point:0';
const A = 'dup-0_0_1-a:dup-0_0_1-e_0_0:1';
const B = 'dup-0_0_1-b:dup-0_0_1-e_0_1:2';
const C = 'dup-0_0_1-c:dup-0_0_1-e_0_2:3';
const S = 'dup-0_0_1-s:sync:';

const node = (name: string, pre: string[], succ: string[], dependent: Array<[string, string]> = []): InstanceDescription => ({
  instance_name: name,
  regions_and_providers: { providers: {} },
  preceding_instances: pre,
  succeeding_instances: succ,
  dependent_sync_predecessors: dependent,
});

interface Sent {
  to: string;
  message: string;
}

const addressee = (message: string): string =>
  (JSON.parse(message) as { workflow_placement_decision: { current_instance_name: string } }).workflow_placement_decision.current_instance_name;

/**
 * One workflow — e calls a, b and c; a and b both call the fan-in s — driven through the SDK
 * runtime in-process: moto does not run Lambda code nor retry or duplicate asynchronous
 * events, so each delivery, duplicate and retry is a call of the handler with the message a
 * predecessor really sent, against the real stores.
 */
class Deliveries {
  readonly sent: Sent[] = [];
  readonly handled = new Map<string, number>();
  readonly received: unknown[][] = [];
  /** Sends to these instances fail once (a throttled Invoke): the sender's attempt fails after its earlier sends. */
  readonly failNextSendTo = new Set<string>();
  /** Recording these sends fails once: the attempt dies between sending and recording it. */
  readonly failNextRecordOf = new Set<string>();
  /** Held by e's handler until released: lets two deliveries overlap. */
  gate: Promise<void> = Promise.resolve();
  /** Called when a second delivery enters e's handler (what must never happen). */
  onSecondEntry: () => void = () => undefined;
  readonly workflow = new CaribouWorkflow({ name: 'dup', version: '0.0.1' });
  readonly runId: string;

  constructor(
    private readonly stores: IdempotenceStores,
    label: string,
  ) {
    this.runId = `${label}${Date.now().toString(16)}${Math.floor(Math.random() * 1e9).toString(16)}`.padEnd(32, '0');
    const count = (name: string) => this.handled.set(name, (this.handled.get(name) ?? 0) + 1);
    const wf = this.workflow;
    const a = wf.serverlessFunction({ name: 'a' }, () => {
      count('a');
      wf.invokeServerlessFunction(s, { from: 'a' });
    });
    const b = wf.serverlessFunction({ name: 'b' }, () => {
      count('b');
      wf.invokeServerlessFunction(s, { from: 'b' });
    });
    const c = wf.serverlessFunction({ name: 'c' }, () => void count('c'));
    const s = wf.serverlessFunction({ name: 's' }, async () => {
      count('s');
      this.received.push(await wf.getPredecessorData());
    });
    wf.serverlessFunction({ name: 'e', entryPoint: true }, async () => {
      count('e');
      if (this.handled.get('e') === 2) this.onSecondEntry();
      await this.gate;
      wf.invokeServerlessFunction(a, 'to a');
      wf.invokeServerlessFunction(b, 'to b');
      wf.invokeServerlessFunction(c, 'to c');
    });
  }

  private services(requestId: string): RuntimeServices {
    const invoker: FunctionInvoker = {
      invokeAsync: async (_region, _identifier, message) => {
        const to = addressee(message);
        if (this.failNextSendTo.delete(to)) throw new Error('TooManyRequestsException: Rate exceeded (transient)');
        this.sent.push({ to, message });
      },
    };
    const markers = this.stores.markers.forRegion(this.stores.region);
    return {
      region: this.stores.region,
      store: this.stores.store,
      syncStore: (region) => this.stores.syncStores.forRegion(region),
      invoker,
      markers: {
        acquire: (key, holder, leaseMs) => markers.acquire(key, holder, leaseMs),
        recordSend: async (key, sendKey) => {
          if (this.failNextRecordOf.delete(sendKey.slice(sendKey.indexOf(':') + 1))) throw new Error('ProvisionedThroughputExceededException (transient)');
          return markers.recordSend(key, sendKey);
        },
        finish: (key, holder) => markers.finish(key, holder),
        release: (key, holder) => markers.release(key, holder),
      },
      remainingTimeMs: () => 60_000,
      clock: this.stores.clock,
      random: { random: () => 0.5, uuid: () => crypto.randomUUID().replace(/-/g, '') },
      log: () => undefined,
      requestId,
      cpuModel: 'test',
    };
  }

  /** The first message of the run, as `caribou run` sends it. */
  entryMessage(): string {
    const placement = { provider_region: this.stores.region, identifier: 'x', function_identifier: 'x' };
    const wpd: WorkflowPlacementDecision = {
      instances: {
        [E]: node(E, [], [A, B, C]),
        [A]: node(A, [E], [S], [[A, S]]),
        [B]: node(B, [E], [S], [[B, S]]),
        [C]: node(C, [E], []),
        [S]: node(S, [A, B], []),
      },
      current_instance_name: E,
      workflow_placement: { home_deployment: { [E]: placement, [A]: placement, [B]: placement, [C]: placement, [S]: placement } },
      run_id: this.runId,
      time_key: 'N/A',
      send_to_home_region: false,
    };
    return JSON.stringify({ workflow_placement_decision: wpd, payload: 'go' });
  }

  deliver(instance: string, message: string, requestId: string = crypto.randomUUID()): Promise<unknown> {
    const fn = instance.split(':')[0]!.split('-').pop()!;
    return handleInvocation(this.workflow, fn, message, this.services(requestId));
  }

  /** Delivers every message sent to `instance` so far (duplicates included). */
  async deliverAllTo(instance: string): Promise<void> {
    for (const { message } of this.sent.filter((m) => m.to === instance)) await this.deliver(instance, message);
  }

  sends(instance: string): number {
    return this.sent.filter((m) => m.to === instance).length;
  }
}

export function describeIdempotentExecution(name: string, makeStores: () => Promise<IdempotenceStores>): void {
  describe(`idempotent execution: ${name}`, () => {
    const withStores = async (body: (stores: IdempotenceStores) => Promise<void>) => {
      const stores = await makeStores();
      try {
        await body(stores);
      } finally {
        await stores.cleanup();
      }
    };

    it('the same event delivered twice runs the user handler once and sends each successor once', () =>
      withStores(async (stores) => {
        const run = new Deliveries(stores, 'twice');
        const entry = run.entryMessage();
        await run.deliver(E, entry, 'request-1');
        const second = await run.deliver(E, entry, 'request-1');
        expect(second).toMatchObject({ statusCode: 200, message: expect.stringContaining('another delivery already executed it') });
        expect(run.handled.get('e')).toBe(1);
        expect([run.sends(A), run.sends(B), run.sends(C)]).toEqual([1, 1, 1]);
        // Every later hop delivered twice too: each handler still runs once, the fan-in once with both payloads.
        for (const instance of [A, B, C]) {
          await run.deliverAllTo(instance);
          await run.deliverAllTo(instance);
        }
        await run.deliverAllTo(S);
        await run.deliverAllTo(S);
        expect(Object.fromEntries(run.handled)).toEqual({ e: 1, a: 1, b: 1, c: 1, s: 1 });
        expect(run.received).toHaveLength(1);
        expect(run.received[0]).toEqual(expect.arrayContaining([{ from: 'a' }, { from: 'b' }]));
      }));

    it('two concurrent deliveries of one event run the user handler once', () =>
      withStores(async (stores) => {
        const run = new Deliveries(stores, 'concurrent');
        let open!: () => void;
        run.gate = new Promise<void>((resolve) => (open = resolve));
        const entry = run.entryMessage();
        const bothInside = new Promise<string>((resolve) => (run.onSecondEntry = () => resolve('both deliveries entered the handler')));
        const first = run.deliver(E, entry);
        const second = run.deliver(E, entry);
        // The delivery that lost the marker answers while the winner is still inside the handler.
        const skipped = await Promise.race([first, second, bothInside]);
        expect(skipped).toMatchObject({ message: expect.stringContaining('is executing it') });
        open();
        await Promise.all([first, second]);
        run.onSecondEntry = () => undefined;
        expect(run.handled.get('e')).toBe(1);
        expect([run.sends(A), run.sends(B), run.sends(C)]).toEqual([1, 1, 1]);
      }));

    it('a predecessor retried after a partial send sends each remaining successor once', () =>
      withStores(async (stores) => {
        const run = new Deliveries(stores, 'partial');
        const entry = run.entryMessage();
        run.failNextSendTo.add(B);
        await expect(run.deliver(E, entry, 'request-e')).rejects.toThrow('TooManyRequestsException');
        expect([run.sends(A), run.sends(B), run.sends(C)]).toEqual([1, 0, 0]);
        // The platform's retry (same request id, as Lambda's retries of an async event).
        await run.deliver(E, entry, 'request-e');
        expect(run.handled.get('e')).toBe(2);
        expect([run.sends(A), run.sends(B), run.sends(C)]).toEqual([1, 1, 1]);
        // b's send to the fan-in fails after a's reached it; b's retry completes it and s runs once.
        await run.deliverAllTo(A);
        run.failNextSendTo.add(S);
        await expect(run.deliverAllTo(B)).rejects.toThrow('TooManyRequestsException');
        await run.deliverAllTo(B);
        await run.deliverAllTo(C);
        expect(run.sends(S)).toBe(1);
        await run.deliverAllTo(S);
        // A third delivery of b (a late duplicate) changes nothing.
        await run.deliverAllTo(B);
        await run.deliverAllTo(S);
        expect(run.handled.get('s')).toBe(1);
        expect(run.received[0]).toHaveLength(2);
      }));

    it('a predecessor that invoked the fan-in and died before recording it re-invokes it on retry; the fan-in still runs once', () =>
      withStores(async (stores) => {
        const run = new Deliveries(stores, 'claimed');
        await run.deliver(E, run.entryMessage());
        await run.deliverAllTo(A);
        run.failNextRecordOf.add(S);
        await expect(run.deliverAllTo(B)).rejects.toThrow('ProvisionedThroughputExceededException');
        expect(run.sends(S)).toBe(1);
        // The retry keeps b's claim on s (same edge) and invokes s again: a duplicate delivery of s.
        await run.deliver(B, run.sent.find((m) => m.to === B)!.message);
        expect(run.sends(S)).toBe(2);
        await run.deliverAllTo(S);
        expect(run.handled.get('b')).toBe(2);
        expect(run.handled.get('s')).toBe(1);
        expect(run.received).toEqual([expect.arrayContaining([{ from: 'a' }, { from: 'b' }])]);
        expect(run.received[0]).toHaveLength(2);
      }));
  });
}
