import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalDatabase } from '../database';
import { LocalFunctionPlatform, localFunctionIdentifier } from '../function-platform';
import { LocalSyncStoreProvider } from '../sync-store';
import { LocalExecutionEngine } from './engine';
import { MatrixLatencyModel } from './latency-model';
import { invocationClock, SimulationClock } from './simulation-clock';
import type { InvocationExecutor } from './types';

describe('LocalExecutionEngine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'caribou-engine-'));
  const db = new LocalDatabase(join(dir, 'local.db'));
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a sandbox failure fails that invocation only: the run is recorded as failed and later runs go on', async () => {
    const clock = new SimulationClock(db);
    const platform = new LocalFunctionPlatform(db, join(dir, 'functions'), clock);
    const region = { provider: 'local', region: 'us-east-1' };
    const bundle = join(dir, 'bundle');
    (await import('node:fs')).mkdirSync(bundle, { recursive: true });
    await platform.createOrUpdate({
      functionName: 'wf-0_0_1-f_local-us-east-1',
      region,
      artifact: { kind: 'directory', path: bundle, sha256: 'x' },
      handler: 'f',
      entryPoint: true,
      environment: {},
      memoryMb: 128,
      timeoutSeconds: 3,
      roleIdentifier: 'r',
    });
    let calls = 0;
    // Stands for a worker whose sandbox died (an uncaught asynchronous error, an unloadable bundle).
    const executor: InvocationExecutor = {
      async execute(task) {
        calls += 1;
        if (calls === 1) throw new Error('late boom');
        return { status: 'succeeded', endMs: task.startMs + 5, instanceName: 'wf-0_0_1-f:entry_point:0', workflowId: 'wf-0.0.1', maxMemoryUsedMb: 1 };
      },
      async close() {},
    };
    const engine = new LocalExecutionEngine({
      db,
      platform,
      syncStores: new LocalSyncStoreProvider(db, clock),
      clock,
      latency: { deliverySeconds: () => 0.01 },
      executor,
    });
    const send = async (runId: string) => {
      const message = JSON.stringify({ workflow_placement_decision: { run_id: runId, current_instance_name: 'wf-0_0_1-f:entry_point:0' } });
      await engine.clientInvoker().invokeAsync(region, localFunctionIdentifier(region, 'wf-0_0_1-f_local-us-east-1'), message);
    };
    await send('run-1');
    expect(await engine.waitForRun('run-1')).toEqual({ failed: true });
    expect(engine.executions('run-1')).toMatchObject([
      { status: 'failed', instance_name: 'wf-0_0_1-f:entry_point:0', error: 'wf-0_0_1-f_local-us-east-1: late boom' },
    ]);
    await send('run-2');
    expect(await engine.waitForRun('run-2')).toEqual({ failed: false });
    await engine.idle();
  });

  it('the client sends from the entry point’s CARIBOU_CLIENT_REGION; a function waits a round trip for data in another CARIBOU_DATA_REGION', async () => {
    // Its own database and a fixed wall clock: every time below is simulated.
    const db = new LocalDatabase(join(dir, 'local-2.db'));
    const clock = new SimulationClock(db, () => 1_000_000);
    const platform = new LocalFunctionPlatform(db, join(dir, 'functions-2'), clock);
    const home = { provider: 'local', region: 'us-east-1' };
    const far = { provider: 'local', region: 'eu-north-1' };
    const bundle = join(dir, 'bundle-2');
    (await import('node:fs')).mkdirSync(bundle, { recursive: true });
    const deploy = (region: typeof home, name: string, environment: Record<string, string>) =>
      platform.createOrUpdate({
        functionName: name,
        region,
        artifact: { kind: 'directory', path: bundle, sha256: 'y' },
        handler: 'f',
        entryPoint: true,
        environment,
        memoryMb: 128,
        timeoutSeconds: 3,
        roleIdentifier: 'r',
      });
    const environment = { CARIBOU_CLIENT_REGION: 'local:us-east-1', CARIBOU_DATA_REGION: 'local:us-east-1' };
    await deploy(home, 'wf-f_local-us-east-1', environment);
    await deploy(far, 'wf-f_local-eu-north-1', environment);
    // Stands for the sandbox: the runtime notes its start, then the handler's work reads the clock.
    const seen: Array<{ region: string; startMs: number; firstRead: number; workRead: number; dataAccessMs: number }> = [];
    const executor: InvocationExecutor = {
      async execute(task) {
        const invocation = invocationClock(task.startMs, 1, task.dataAccessMs ?? 0);
        const firstRead = invocation.now();
        const workRead = invocation.now();
        seen.push({ region: task.region.region, startMs: task.startMs, firstRead, workRead, dataAccessMs: task.dataAccessMs ?? 0 });
        return { status: 'succeeded', endMs: workRead, instanceName: 'wf-f:entry_point:0', workflowId: 'wf', maxMemoryUsedMb: 1 };
      },
      async close() {},
    };
    // No jitter: delivery = 25 ms + half the round trip; the data wait = the round trip.
    const latency = new MatrixLatencyModel({ roundTripMs: { 'us-east-1': { 'us-east-1': 5, 'eu-north-1': 110 } }, jitterSigma: 0 });
    const engine = new LocalExecutionEngine({ db, platform, syncStores: new LocalSyncStoreProvider(db, clock), clock, latency, executor });
    const sentAt: Record<string, number> = {};
    for (const [region, name, runId] of [
      [home, 'wf-f_local-us-east-1', 'run-home'],
      [far, 'wf-f_local-eu-north-1', 'run-far'],
    ] as const) {
      const message = JSON.stringify({ workflow_placement_decision: { run_id: runId, current_instance_name: 'wf-f:entry_point:0' } });
      sentAt[region.region] = clock.now();
      await engine.clientInvoker().invokeAsync(region, localFunctionIdentifier(region, name), message);
      await engine.waitForRun(runId);
    }
    await engine.close();
    db.close();
    const [atHome, away] = [seen.find((s) => s.region === 'us-east-1')!, seen.find((s) => s.region === 'eu-north-1')!];
    // Cold starts add 180 ms to both; the client hop to eu-north-1 is half of 110 ms, not of eu-north-1's own round trip.
    expect(atHome.dataAccessMs).toBeCloseTo(5, 9);
    expect(away.dataAccessMs).toBeCloseTo(110, 9);
    expect(atHome.startMs).toBeCloseTo(sentAt['us-east-1']! + 25 + 2.5 + 180, 6);
    expect(away.startMs).toBeCloseTo(sentAt['eu-north-1']! + 25 + 55 + 180, 6);
    // The function's start is its delivery; its work comes after the wait.
    expect(away.firstRead).toBeCloseTo(away.startMs, 0);
    expect(away.workRead - away.firstRead).toBeGreaterThanOrEqual(110);
  });
});
