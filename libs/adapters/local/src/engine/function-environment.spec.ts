import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalDatabase } from '../database';
import type { LocalFunctionRow } from '../function-platform';
import { RUNTIME_VARIABLE_NAMES } from './function-environment';
import { InThreadExecutor } from './in-thread-executor';
import type { InvocationTask, WorkflowModule } from './types';

describe('what a local function sees in process.env (in-thread executor)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'caribou-env-'));
  const db = new LocalDatabase(join(dir, 'local.db'));
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const seen = new Map<string, Record<string, string | undefined>>();
  const module: WorkflowModule = {
    workflow: { name: 'wf', version: '0.0.1', getFunction: () => undefined },
    async handleInvocation(_workflow, functionName) {
      // Read after an await: the view must follow the invocation through its async work.
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.set(functionName, { ...process.env });
      process.env.SET_BY_FUNCTION = functionName;
      return undefined;
    },
  };
  const task = (name: string, environment: Record<string, string>): InvocationTask => ({
    requestId: `req-${name}`,
    region: { provider: 'local', region: 'ca-central-1' },
    fn: {
      region: 'ca-central-1',
      name: `wf-0_0_1-${name}_local-ca-central-1`,
      handler: name,
      entry_point: 0,
      artifact_dir: dir,
      artifact_sha256: 'x',
      environment: JSON.stringify(environment),
      memory_mb: 256,
      timeout_s: 10,
      role: 'r',
    } as LocalFunctionRow,
    message: '{}',
    startMs: Date.UTC(2026, 0, 1),
    coldStart: false,
    slowdown: 1,
    cpuModel: 'test',
  });

  it('only its declared variables and the runtime’s own, never the CLI’s (credentials, API keys); concurrent invocations apart', async () => {
    process.env.AWS_SECRET_ACCESS_KEY = 'secret-of-the-deployer';
    process.env.ELECTRICITY_MAPS_AUTH_TOKEN = 'token-of-the-deployer';
    const executor = new InThreadExecutor(db, join(dir, 'functions'), async () => module);
    await Promise.all([
      executor.execute(task('a', { ONLY_A: '1' }), () => undefined),
      executor.execute(task('b', { ONLY_B: '2', AWS_REGION: 'overridden?' }), () => undefined),
    ]);
    expect(Object.keys(seen.get('a')!).sort()).toEqual(['ONLY_A', ...RUNTIME_VARIABLE_NAMES].sort());
    expect(Object.keys(seen.get('b')!).sort()).toEqual(['ONLY_B', ...RUNTIME_VARIABLE_NAMES].sort());
    expect(seen.get('a')).toMatchObject({ ONLY_A: '1', AWS_REGION: 'ca-central-1', CARIBOU_REGION: 'local:ca-central-1', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256' });
    // The runtime's variables win over declared ones, as Lambda's reserved keys do.
    expect(seen.get('b')!.AWS_REGION).toBe('ca-central-1');
    // Outside invocations the process keeps its own environment, untouched by what functions set.
    expect(process.env.AWS_SECRET_ACCESS_KEY).toBe('secret-of-the-deployer');
    expect(process.env.SET_BY_FUNCTION).toBeUndefined();
    expect(process.env.PATH).toBeDefined();
    delete process.env.AWS_SECRET_ACCESS_KEY;
    delete process.env.ELECTRICITY_MAPS_AUTH_TOKEN;
  });
});
