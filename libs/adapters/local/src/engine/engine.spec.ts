import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalDatabase } from '../database';
import { LocalFunctionPlatform, localFunctionIdentifier } from '../function-platform';
import { LocalSyncStoreProvider } from '../sync-store';
import { LocalExecutionEngine } from './engine';
import { SimulationClock } from './simulation-clock';
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
});
