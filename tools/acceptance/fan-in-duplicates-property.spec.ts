import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalDatabase, LocalExecutionMarkerProvider, LocalKeyValueStore, LocalSyncStoreProvider, SimulationClock } from '@caribou/adapter-local';
import { mulberry32 } from '@caribou/domain-collection';
import type { WorkflowPlacementDecision } from '@caribou/domain-workflow';
import type { ExecutionMarkerStore, FunctionInvoker } from '@caribou/ports';
import type { CaribouWorkflow } from '@caribou/sdk';
import { handleInvocation, type RuntimeServices } from '@caribou/sdk/runtime';
import { expectedExecutions, generateDag, hashToBit, instancesOf, workflowOfDag } from './random-dags';

/** Lambda retries a failed asynchronous event twice: injected faults hit only the first two attempts, so every event eventually succeeds. */
const RETRIES = 2;
const region = { provider: 'local', region: 'us-east-1' };

interface Delivery {
  instance: string;
  message: string;
  /** 0 for the first attempt, then the platform's retries. */
  attempt: number;
}

/** What the handlers of one run did, per node. */
interface RunRecord {
  entered: number[];
  completed: number[];
  /** Payload count each fan-in node read. */
  payloadsRead: number[];
}

const addressee = (message: string): string =>
  (JSON.parse(message) as { workflow_placement_decision: { current_instance_name: string } }).workflow_placement_decision.current_instance_name;

/**
 * Drives runs through the SDK runtime on one libsql file, as an unreliable platform would:
 * events are delivered in random order, several at once, some twice (a duplicate now or
 * later); some sends fail (a throttled Invoke) and some attempts die between a send and
 * recording it; a failed event is delivered again, up to Lambda's two retries.
 */
class UnreliablePlatform {
  readonly faults = { duplicates: 0, failedSends: 0, lostRecords: 0, retries: 0 };

  constructor(
    private readonly workflow: CaribouWorkflow,
    private readonly db: LocalDatabase,
    private readonly random: () => number,
  ) {}

  async run(entryMessage: string): Promise<void> {
    const pending: Delivery[] = [{ instance: addressee(entryMessage), message: entryMessage, attempt: 0 }];
    while (pending.length > 0) {
      const batch = pending.splice(0, 1 + Math.floor(this.random() * Math.min(3, pending.length)));
      // Random order: the batch is taken from a shuffled queue.
      pending.sort(() => this.random() - 0.5);
      await Promise.all(batch.map((delivery) => this.deliver(delivery, pending)));
    }
  }

  private async deliver(delivery: Delivery, pending: Delivery[]): Promise<void> {
    const faulty = delivery.attempt < RETRIES;
    if (this.random() < 0.15) {
      this.faults.duplicates += 1;
      pending.push({ ...delivery, attempt: 0 });
    }
    const clock = new SimulationClock(this.db);
    const syncStores = new LocalSyncStoreProvider(this.db, clock);
    const markers = new LocalExecutionMarkerProvider(this.db, clock).forRegion(region);
    const invoker: FunctionInvoker = {
      invokeAsync: async (_region, _identifier, message) => {
        if (faulty && this.random() < 0.08) {
          this.faults.failedSends += 1;
          throw new Error('TooManyRequestsException (injected)');
        }
        pending.push({ instance: addressee(message), message, attempt: 0 });
      },
    };
    const unreliableMarkers: ExecutionMarkerStore = {
      acquire: (key, holder, leaseMs) => markers.acquire(key, holder, leaseMs),
      recordSend: async (key, sendKey) => {
        if (faulty && this.random() < 0.05) {
          this.faults.lostRecords += 1;
          throw new Error('the attempt died after the send (injected)');
        }
        return markers.recordSend(key, sendKey);
      },
      finish: (key, holder) => markers.finish(key, holder),
      release: (key, holder) => markers.release(key, holder),
    };
    const services: RuntimeServices = {
      region,
      store: new LocalKeyValueStore(this.db),
      syncStore: (r) => syncStores.forRegion(r),
      invoker,
      markers: unreliableMarkers,
      remainingTimeMs: () => 60_000,
      clock,
      random: { random: this.random, uuid: () => crypto.randomUUID().replace(/-/g, '') },
      log: () => undefined,
      requestId: crypto.randomUUID(),
      cpuModel: 'test',
    };
    const fn = delivery.instance.split(':')[0]!.split('-').pop()!;
    try {
      await handleInvocation(this.workflow, fn, delivery.message, services);
    } catch (error) {
      if (delivery.attempt >= RETRIES) throw error;
      this.faults.retries += 1;
      pending.push({ ...delivery, attempt: delivery.attempt + 1 });
    }
  }
}

describe('fan-in property under duplicate deliveries and retries', () => {
  const dir = mkdtempSync(join(tmpdir(), 'caribou-duplicates-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('1,000 runs with injected duplicates, failed sends and retries: every node completes exactly once iff it should, and runs again only as the retry of a failed attempt', async () => {
    const random = mulberry32(20261123);
    const runId = () => Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
    let runsChecked = 0;
    let fanInRuns = 0;
    const totals = { duplicates: 0, failedSends: 0, lostRecords: 0, retries: 0 };
    for (let d = 0; d < 50; d++) {
      const dag = generateDag(random);
      const { names, instances } = instancesOf(dag);
      const db = new LocalDatabase(join(dir, `dag-${d}.db`));
      const records = new Map<string, RunRecord>();
      const record = (id: string): RunRecord => {
        let run = records.get(id);
        if (!run) {
          run = { entered: Array(dag.size).fill(0), completed: Array(dag.size).fill(0), payloadsRead: Array(dag.size).fill(-1) };
          records.set(id, run);
        }
        return run;
      };
      const workflow = workflowOfDag(dag, {
        entered: (node, runId) => (record(runId).entered[node]! += 1),
        readPayloads: (node, count, runId) => (record(runId).payloadsRead[node] = count),
      });
      const platform = new UnreliablePlatform(workflow, db, random);
      // Completions: the handler returned and its sends were made (the marker says finished).
      const finished = (id: string, instance: string) =>
        db.get<{ n: number }>("SELECT count(*) AS n FROM execution_markers WHERE run_id = ? AND instance = ? AND state = 'finished'", id, instance)!.n;
      const placement = { provider_region: region, identifier: 'x', function_identifier: 'x' };
      for (let r = 0; r < 20; r++) {
        const id = runId();
        const wpd: WorkflowPlacementDecision = {
          instances,
          current_instance_name: names[0]!,
          workflow_placement: { home_deployment: Object.fromEntries(names.map((n) => [n, placement])) },
          run_id: id,
          time_key: 'N/A',
          send_to_home_region: false,
        };
        await platform.run(JSON.stringify({ workflow_placement_decision: wpd, payload: {} }));
        const expected = expectedExecutions(dag, id);
        const run = record(id);
        for (let i = 0; i < dag.size; i++) {
          const where = `DAG ${d} run ${id} node f${i}${dag.isSync[i] ? ' (fan-in)' : ''}`;
          expect(finished(id, names[i]!), where).toBe(expected[i] ? 1 : 0);
          if (!expected[i]) expect(run.entered[i], where).toBe(0);
          if (dag.isSync[i] && expected[i]) {
            fanInRuns += 1;
            const direct = dag.sites.filter((s) => s.callee === i && expected[s.caller] && hashToBit(id + s.id)).length;
            expect(run.payloadsRead[i], `${where}: payloads`).toBe(direct);
          }
        }
        runsChecked += 1;
      }
      // Re-entries beyond the first are retries of failed attempts only (each failed attempt is retried once).
      const entered = [...records.values()].reduce((sum, run) => sum + run.entered.reduce((a, b) => a + b, 0), 0);
      const expectedEntries = [...records.keys()].reduce((sum, id) => sum + expectedExecutions(dag, id).filter(Boolean).length, 0);
      expect(entered - expectedEntries, `DAG ${d}: handler re-runs`).toBe(platform.faults.retries);
      for (const key of Object.keys(totals) as Array<keyof typeof totals>) totals[key] += platform.faults[key];
      db.close();
    }
    expect(runsChecked).toBe(1000);
    expect(fanInRuns).toBeGreaterThan(100);
    // The faults really happened, in numbers.
    expect(totals.duplicates).toBeGreaterThan(500);
    expect(totals.failedSends).toBeGreaterThan(100);
    expect(totals.lostRecords).toBeGreaterThan(50);
    console.log(`fan-in under faults: ${runsChecked} runs, ${fanInRuns} fan-in executions, ${totals.duplicates} duplicate deliveries, ${totals.failedSends} failed sends, ${totals.lostRecords} lost send records, ${totals.retries} retries`);
  }, 300_000);
});
