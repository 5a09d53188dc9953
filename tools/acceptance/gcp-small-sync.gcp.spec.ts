import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  FirestoreKeyValueStore,
  FirestoreSyncStoreProvider,
  GCP_BUNDLE_FILES,
  GCP_PROVIDED_PACKAGES,
  gcpEntry,
  googleFunctionId,
  PubSubFunctionInvoker,
  type GcpClients,
} from '@caribou/adapter-gcp';
import { emulatorClients, emulatorEnvironment, gcpExampleProject, LoopbackFunctionsPlatform, type PushDelivery } from '@caribou/adapter-gcp/testing';
import { EsbuildPackageBuilder } from '@caribou/adapter-bundler';
import { FileSystemProjectLoader } from '@caribou/adapter-project';
import { DeployWorkflowService, RemoveWorkflowService, RunWorkflowService } from '@caribou/application';
import { FixedClock } from '@caribou/application/testing';
import type { ProviderRegion } from '@caribou/domain-common';
import { parseLogLine, type CaribouLogLine } from '@caribou/domain-telemetry';
import type { IdentityManager, ProgressReporter } from '@caribou/ports';
import { SMALL_SYNC_TRUTH_TABLE } from './small-sync-truth-table';

const EXAMPLE = join(import.meta.dirname, '../../examples/small_sync_example');
const REPO_NODE_MODULES = join(import.meta.dirname, '../../node_modules');
const HOME: ProviderRegion = { provider: 'gcp', region: 'us-east4' };
const WF = 'small_sync_example-0.0.1';
const physical = (fn: string) => `small_sync_example-0_0_1-${fn}_gcp-${HOME.region}`;
const FUNCTIONS = ['initial_function', 'syncFunction', 'secondSyncFunction'] as const;
type FunctionName = (typeof FUNCTIONS)[number];

const quiet: ProgressReporter = { step: (_title, work) => work(() => undefined), info: () => undefined, warn: () => undefined };

/** Service accounts per function are the control plane's job (issue 21); the data plane only needs a name to pass on. */
const namedAccounts: IdentityManager = {
  ensureRole: async (_region, roleName) => ({ roleIdentifier: `${roleName}@demo-caribou.iam.gserviceaccount.com` }),
  roleExists: async () => true,
  removeRole: async () => undefined,
};

const caribouLines = (lines: string[]): CaribouLogLine[] => lines.map(parseLogLine).filter((line): line is CaribouLogLine => line.kind === 'caribou');

/**
 * examples/small_sync_example deployed on the gcp data plane, all on loopback: the real
 * bundle (gcp entry) served by functions-framework processes, a Pub/Sub topic and push
 * subscription per function on the Pub/Sub emulator, the placement decision and fan-in
 * state on the Firestore emulator. The client's message and every successor call travel
 * through Pub/Sub; nothing is invoked directly.
 */
describe('small_sync_example on Pub/Sub push + Firestore + functions-framework (emulators, loopback)', () => {
  let clients: GcpClients;
  let platform: LoopbackFunctionsPlatform;
  let projectDir: string;
  let workDir: string;
  let store: FirestoreKeyValueStore;
  let runner: RunWorkflowService;

  beforeAll(async () => {
    clients = emulatorClients({ systemRegion: 'us-west1' });
    projectDir = gcpExampleProject(EXAMPLE, { home: HOME.region });
    workDir = mkdtempSync(join(tmpdir(), 'caribou-gcp-functions-'));
    platform = new LoopbackFunctionsPlatform({ clients, workDir, nodeModules: REPO_NODE_MODULES, environment: emulatorEnvironment() });
    store = new FirestoreKeyValueStore(clients);
    const packages = new EsbuildPackageBuilder({ entries: { gcp: gcpEntry }, external: { gcp: GCP_PROVIDED_PACKAGES }, extraFiles: { gcp: GCP_BUNDLE_FILES } });
    const project = await new FileSystemProjectLoader().load(projectDir);
    await new DeployWorkflowService({ store, platform, identity: namedAccounts, packages, syncStores: new FirestoreSyncStoreProvider(clients), progress: quiet, clock: new FixedClock(Date.UTC(2026, 11, 3)) }).deploy(project);
    runner = new RunWorkflowService({
      store,
      invoker: new PubSubFunctionInvoker(clients),
      clock: { now: () => Date.now() },
      random: { random: () => 0.5, uuid: () => crypto.randomUUID().replace(/-/g, '') },
    });
  });

  afterAll(async () => {
    try {
      if (store) await new RemoveWorkflowService({ store, platform, identity: namedAccounts }).remove(WF);
    } finally {
      await platform?.close();
      await clients?.close();
      if (projectDir) rmSync(projectDir, { recursive: true, force: true });
      if (workDir) rmSync(workDir, { recursive: true, force: true });
    }
  });

  const functionId = (fn: FunctionName) => googleFunctionId(physical(fn));
  const linesOf = (fn: FunctionName, runId: string) => caribouLines(platform.lines(HOME, physical(fn))).filter((line) => line.runId === runId);
  const count = (fn: FunctionName, runId: string, marker: string) => linesOf(fn, runId).filter((line) => line.message.marker === marker).length;

  /** Messages the run's functions say they sent (each successor or sync node they invoked), plus the client's. */
  function sendsOf(runId: string): number {
    const invoked = FUNCTIONS.flatMap((fn) => linesOf(fn, runId)).filter(
      (line) => (line.message.marker === 'INVOKING_SUCCESSOR' || line.message.marker === 'INVOKING_SYNC_NODE') && line.message.successorInvoked,
    );
    return 1 + invoked.length;
  }

  /**
   * The run is over when no push is in flight, every delivery's function has written its
   * last line (so all its sends are in the logs) and every message sent has been delivered:
   * after that nothing is left to arrive.
   */
  async function settle(runId: string, ofRun: () => PushDelivery[]): Promise<void> {
    await vi.waitFor(
      () => {
        const deliveries = ofRun();
        const answered = deliveries.filter((delivery) => delivery.status !== undefined);
        const finished = FUNCTIONS.every((fn) => count(fn, runId, 'USED_CPU_MODEL') === answered.filter((d) => d.functionId === functionId(fn) && d.status === 200).length);
        // More deliveries than sends is final too (a duplicate): the assertions below say so.
        if (platform.inFlight > 0 || !finished || deliveries.length < sendsOf(runId)) {
          throw new Error(`run ${runId} not settled: ${deliveries.length} deliveries, ${sendsOf(runId)} sends, ${platform.inFlight} in flight`);
        }
      },
      { timeout: 90_000, interval: 250 },
    );
  }

  it.each(SMALL_SYNC_TRUTH_TABLE)(
    'execute_1=%s execute_2=%s execute_3=%s → syncFunction %s, secondSyncFunction %s: each exactly once, every message through a subscription',
    async (e1, e2, e3, syncRuns, secondRuns) => {
      const before = platform.deliveries.length;
      const { runId } = await runner.run(WF, JSON.stringify({ execute_1: e1, execute_2: e2, execute_3: e3 }));
      const ofRun = () => platform.deliveries.slice(before);
      await settle(runId, ofRun);
      const delivered = ofRun();

      // Each function ran exactly as often as the truth table says, and nothing failed.
      const runs: Record<FunctionName, number> = { initial_function: 1, syncFunction: syncRuns ? 1 : 0, secondSyncFunction: secondRuns ? 1 : 0 };
      for (const fn of FUNCTIONS) {
        expect(count(fn, runId, 'EXECUTED'), `${fn} EXECUTED`).toBe(runs[fn]);
        expect(count(fn, runId, 'CLIENT_CODE_EXCEPTION'), `${fn} exceptions`).toBe(0);
      }

      // Every message reached its function through that function's own push subscription, once, and was acknowledged.
      for (const fn of FUNCTIONS) {
        const toFn = delivered.filter((delivery) => delivery.functionId === functionId(fn));
        expect(toFn, `deliveries to ${fn}`).toHaveLength(runs[fn]);
        for (const delivery of toFn) {
          expect(delivery.subscription).toBe(`projects/${clients.projectId}/subscriptions/${functionId(fn)}`);
          expect(delivery.status).toBe(200);
        }
      }
      expect(delivered).toHaveLength(sendsOf(runId));
      expect(new Set(delivered.map((delivery) => delivery.messageId)).size).toBe(delivered.length);
      // Each invocation's log lines carry the id of the Pub/Sub message that started it.
      for (const fn of FUNCTIONS) {
        const deliveredIds = new Set(delivered.filter((d) => d.functionId === functionId(fn)).map((d) => d.messageId));
        for (const line of linesOf(fn, runId)) expect(deliveredIds.has(line.requestId), `${fn} line from ${line.requestId}`).toBe(true);
      }

      // The sync functions saw exactly the payloads of the direct calls that happened (Firestore fan-in state).
      const received = (fn: FunctionName) =>
        (JSON.parse(delivered.find((delivery) => delivery.functionId === functionId(fn))!.response!) as { result: { received: unknown[] } }).result.received;
      if (syncRuns) {
        const expected = [...(e1 ? [{ from: 'initial_function', call: 1 }] : []), ...(e2 ? [{ from: 'initial_function', call: 2 }] : [])];
        expect(received('syncFunction')).toEqual(expected);
      }
      if (secondRuns) {
        const expected = [...(e3 ? [{ from: 'initial_function', call: 3 }] : []), ...(syncRuns ? [{ from: 'syncFunction', received: (e1 ? 1 : 0) + (e2 ? 1 : 0) }] : [])];
        expect(received('secondSyncFunction')).toEqual(expect.arrayContaining(expected));
        expect(received('secondSyncFunction')).toHaveLength(expected.length);
      }
    },
  );
});
