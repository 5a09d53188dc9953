/**
 * The installable product end to end (issue 15): `npm run pack`, `npm i -g` of the CLI tarball
 * into a fresh prefix in a temporary directory outside the repository (any request for an
 * `@caribou/*` package from a registry fails), then the whole loop a new user runs, from a
 * directory outside the repository, on the local provider. `npm run test:pack` runs this file.
 */
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SolverThreadPool } from '@caribou/adapter-solver-threads';
import { solverInputFromInstanceFile } from '@caribou/domain-model';
import { createInThreadEvaluator, type EvaluationRequest } from '@caribou/domain-solver';
import { REPO_ROOT } from './pack';
import { installPackedCli, OUR_SCOPE_BLOCKED, runInstalled, runPack, type InstalledCli } from './installed-cli';

let installed: InstalledCli;
let work: string;

beforeAll(() => {
  runPack();
  installed = installPackedCli();
  work = join(installed.root, 'work');
}, 900_000);
afterAll(() => {
  if (installed) rmSync(installed.root, { recursive: true, force: true });
});

/** Runs a command of the loop, failing with its output when it exits non-zero. */
function ok(cwd: string, command: string, ...args: string[]): string {
  const result = runInstalled(installed, cwd, command, args);
  expect(result.status, `${command} ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

/** Every file under `dir` (links not followed). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.isFile() ? [path] : [];
  });
}

/** The files of `dir` whose bytes contain `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const bytes = Buffer.from(needle);
  return filesUnder(dir).filter((file) => statSync(file).size > 0 && readFileSync(file).includes(bytes));
}

/**
 * The modules (by URL) a command loads, through a module-loading hook the command's Node.js
 * registers first (NODE_OPTIONS --import): what start-up costs, seen from the outside.
 */
function modulesLoadedBy(cwd: string, ...args: string[]): string[] {
  const trace = join(installed.root, `trace-${args[0]}.txt`);
  const hooks = join(installed.root, 'trace-hooks.mjs');
  writeFileSync(hooks, `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) { appendFileSync(process.env.CARIBOU_TEST_TRACE, url + '\\n'); return next(url, context); }\n`);
  const register = join(installed.root, 'trace-register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${hooks}`)});\n`);
  writeFileSync(trace, '');
  const result = runInstalled(installed, cwd, 'caribou', args, { NODE_OPTIONS: `--import ${register}`, CARIBOU_TEST_TRACE: trace });
  expect(result.status, result.stderr).toBe(0);
  return readFileSync(trace, 'utf8').split('\n').filter(Boolean);
}

const HEAVY = ['/node_modules/typescript/', '/node_modules/esbuild/', '/node_modules/@aws-sdk/'];

describe('the packed CLI, installed from its tarball into a fresh prefix', () => {
  it('runs the whole loop on the local provider from a directory outside the repository', () => {
    expect(work.startsWith(REPO_ROOT)).toBe(false);
    expect(ok(work, 'caribou', '--help')).toContain('new_workflow');

    expect(ok(work, 'caribou', 'new_workflow', 'demo')).toContain('demo');
    const demo = join(work, 'demo');
    const manifest = JSON.parse(readFileSync(join(demo, 'package.json'), 'utf8'));
    expect(manifest.dependencies['@caribou/sdk']).toMatch(/^file:vendor\/caribou-sdk-.*\.tgz$/);

    // The SDK comes from the project's vendor/ copy; TypeScript from the registry.
    ok(demo, 'npm', 'install', '--prefer-offline', '--no-audit', '--no-fund', OUR_SCOPE_BLOCKED);
    ok(demo, 'npx', 'tsc', '--noEmit');
    // The app's types are the SDK's: a wrong call fails to compile.
    const app = join(demo, 'src/app.ts');
    const source = readFileSync(app, 'utf8');
    writeFileSync(app, `${source}\nworkflow.invokeServerlessFunction('not a function', {});\n`);
    const broken = runInstalled(installed, demo, 'npx', ['tsc', '--noEmit']);
    expect(broken.status).not.toBe(0);
    expect(broken.stdout).toMatch(/src\/app\.ts.*TS2345/);
    writeFileSync(app, source);

    expect(ok(demo, 'caribou', 'deploy')).toContain('Workflow id: demo-0.0.1');
    const runs = ok(demo, 'caribou', 'run', 'demo-0.0.1', '-a', '{"message": "Hello from the installed CLI"}', '--times', '24', '--wait');
    expect(runs).toMatch(/24 × demo-0_0_1-Seventh_Function:sync:\s+local:us-east-1\s+succeeded/);
    expect(ok(demo, 'caribou', 'log_sync')).toMatch(/24 runs synced/);
    expect(ok(demo, 'caribou', 'data_collect', 'all')).toMatch(/Carbon intensity \(local\): \d+ regions/);
    // It solves (24 runs are enough for a plan): the solver's WebAssembly kernels and worker threads work from the installed package.
    expect(ok(demo, 'caribou', 'manage_deployments')).toMatch(/planned \d+ hour\(s\)[^\n]*\n\s+[1-9]\d* simulated deployments/);
    ok(demo, 'caribou', 'run_deployment_migrator');
    const planHtml = join(work, 'plan.html');
    ok(demo, 'caribou', 'plan', 'demo-0.0.1', '--html', planHtml);
    expect(readFileSync(planHtml, 'utf8')).toContain('echarts');
    expect(ok(work, 'caribou', 'list')).toContain('demo-0.0.1');
    expect(ok(demo, 'caribou', 'remove', 'demo-0.0.1')).toContain('Removed workflow demo-0.0.1');
    expect(ok(work, 'caribou', 'list')).toContain('No workflows deployed');
  });

  it('holds no path into the repository, and no package of ours but the CLI (with its SDK inside)', () => {
    expect(filesContaining(installed.prefix, REPO_ROOT)).toEqual([]);
    expect(filesContaining(join(work, 'demo'), REPO_ROOT)).toEqual([]);
    const scope = join(installed.packageDir, 'node_modules', '@caribou');
    expect(() => readdirSync(scope)).toThrow(/ENOENT/);
    expect(readdirSync(join(installed.packageDir, 'sdk-package'))).toEqual([expect.stringMatching(/^caribou-sdk-.*\.tgz$/)]);
  });

  it("its solver worker (manage_deployments --calculator fast) gives, on 2 threads, the metrics of the sources", async () => {
    const input = solverInputFromInstanceFile(JSON.parse(readFileSync(join(REPO_ROOT, 'libs/adapters/solver-threads/src/__fixtures__/instance_n10_r10_s1.json'), 'utf8')));
    const requests: EvaluationRequest[] = [
      { deployment: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], hours: [null, 0, 13] },
      { deployment: [2, 3, 7, 3, 1, 7, 8, 2, 1, 4], hours: [] },
    ];
    const expected = await (await createInThreadEvaluator({ input, seed: 42 })).evaluate(requests);
    const workerEntry = pathToFileURL(join(installed.packageDir, 'dist', 'solver-worker.js'));
    const pool = await SolverThreadPool.start({ input, seed: 42 }, { threads: 2, workerEntry });
    try {
      expect(await pool.evaluate(requests)).toEqual(expected);
    } finally {
      await pool.close();
    }
  });

  it('reaches Google Cloud with --provider gcp: its client libraries are installed, not bundled (they find their protos by __dirname)', () => {
    // No credentials anywhere: the command must get as far as asking for them, in one line.
    const result = runInstalled(installed, work, 'caribou', ['list', '--provider', 'gcp'], {
      CARIBOU_GCP_PROJECT: 'caribou-pack',
      GOOGLE_APPLICATION_CREDENTIALS: '',
      CLOUDSDK_CONFIG: join(installed.root, 'no-gcloud'),
      METADATA_SERVER_DETECTION: 'none',
      FIRESTORE_EMULATOR_HOST: '',
      PUBSUB_EMULATOR_HOST: '',
    });
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/^Error: No Google Cloud credentials \(Could not load the default credentials.*\); run gcloud auth application-default login/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('starts without the TypeScript compiler, esbuild or the AWS SDK; deploy loads the first two', () => {
    for (const command of [['--help'], ['list']]) {
      const loaded = modulesLoadedBy(work, ...command);
      expect(loaded.some((url) => url.includes('/@caribou/cli/dist/')), `caribou ${command.join(' ')} loaded ${loaded.join(', ')}`).toBe(true);
      expect(loaded.filter((url) => HEAVY.some((heavy) => url.includes(heavy))), `caribou ${command.join(' ')}`).toEqual([]);
    }
    ok(work, 'caribou', 'new_workflow', 'traced');
    const deploy = modulesLoadedBy(join(work, 'traced'), 'deploy');
    expect(deploy.some((url) => url.includes('/node_modules/typescript/'))).toBe(true);
    expect(deploy.some((url) => url.includes('/node_modules/esbuild/'))).toBe(true);
    expect(deploy.filter((url) => url.includes('/node_modules/@aws-sdk/'))).toEqual([]);
  });
});
