/**
 * The solver's WebAssembly kernels (embedded as code in libs/domain/solver, run in one shared
 * WebAssembly memory per simulator) work where the remote framework runs them: in the Lambda
 * bundle's solver worker (the 'fast' calculator) and bundled in-thread by esbuild the way the
 * bundle's handler holds it (the 'simple' calculator) — with the same metrics as from the sources.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SolverThreadPool } from '@caribou/adapter-solver-threads';
import { DEFAULT_LAMBDA_RUNTIME, esbuildTargetOf } from '@caribou/domain-common';
import { solverInputFromInstanceFile } from '@caribou/domain-model';
import { createInThreadEvaluator, type EvaluationRequest } from '@caribou/domain-solver';
import { buildRemoteHandlerBundle } from './bundle';

const REPOSITORY = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const INSTANCE = join(REPOSITORY, 'libs/adapters/solver-threads/src/__fixtures__/instance_n10_r10_s1.json');
const requests: EvaluationRequest[] = [
  { deployment: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], hours: [null, 0, 13] },
  { deployment: [2, 3, 7, 3, 1, 7, 8, 2, 1, 4], hours: [null, 23] },
  { deployment: [2, 3, 7, 3, 1, 7, 8, 2, 1, 5], hours: [] },
];

describe('the solver in the remote framework bundle', () => {
  let dir: string;
  let expected: unknown;
  const input = solverInputFromInstanceFile(JSON.parse(readFileSync(INSTANCE, 'utf8')));
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'caribou-bundle-solver-'));
    expected = await (await createInThreadEvaluator({ input, seed: 42 })).evaluate(requests);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("the bundle's solver worker: 2 threads give the metrics of the sources", async () => {
    const bundle = await buildRemoteHandlerBundle(join(dir, 'remote-handler'));
    const pool = await SolverThreadPool.start({ input, seed: 42 }, { threads: 2, workerEntry: pathToFileURL(join(bundle.dir, 'solver-worker.mjs')) });
    try {
      expect(await pool.evaluate(requests)).toEqual(expected);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('bundled in-thread by esbuild as the handler is: the metrics of the sources', async () => {
    const script = join(dir, 'in-thread.mjs');
    await build({
      stdin: {
        contents: [
          "import { readFileSync } from 'node:fs';",
          "import { solverInputFromInstanceFile } from '@caribou/domain-model';",
          "import { createInThreadEvaluator } from '@caribou/domain-solver';",
          `const input = solverInputFromInstanceFile(JSON.parse(readFileSync(${JSON.stringify(INSTANCE)}, 'utf8')));`,
          `const metrics = await (await createInThreadEvaluator({ input, seed: 42 })).evaluate(${JSON.stringify(requests)});`,
          'console.log(JSON.stringify(metrics, (_, value) => (Number.isNaN(value) ? "NaN" : value)));',
        ].join('\n'),
        resolveDir: REPOSITORY,
        loader: 'ts',
      },
      outfile: script,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: esbuildTargetOf(DEFAULT_LAMBDA_RUNTIME),
      logLevel: 'silent',
    });
    const printed = execFileSync(process.execPath, [script], { encoding: 'utf8' });
    expect(JSON.parse(printed, (_, value: unknown) => (value === 'NaN' ? NaN : value))).toEqual(expected);
  }, 60_000);
});
