import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build, type Message, type Plugin } from 'esbuild';
import { CaribouError } from '@caribou/domain-common';

/** What the loader reads from a registered function at run time. */
export interface RuntimeFunction {
  name: string;
  entryPoint: boolean;
  regionsAndProviders: Record<string, unknown>;
  environmentVariables: Array<{ key: string; value: string }>;
  allowPlacementDecisionOverride: boolean;
  dataRegion?: { provider: string; region: string } | null;
  dataBytesPerInvocation?: number | null;
}

/** The app's `CaribouWorkflow`, seen through its public shape. */
export interface RuntimeWorkflow {
  name: string;
  version: string;
  functions: RuntimeFunction[];
}

/** This checkout: `@caribou/sdk` and its own dependencies resolve from here. */
const FRAMEWORK_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface AppLoaderOptions {
  /** Entry module of the SDK bundled into the app (default: this checkout's `libs/sdk/src/index.ts`). */
  sdkEntry?: string;
  /** Where the SDK's own dependencies resolve from (default: this checkout's `node_modules`). */
  nodePaths?: string[];
  /** How long the app's top-level code may run while it loads (default 20 s, `CARIBOU_APP_LOAD_TIMEOUT` seconds). */
  loadTimeoutMs?: number;
}

const DEFAULT_LOAD_TIMEOUT_MS = 20_000;

function loadTimeoutMs(options: AppLoaderOptions): number {
  if (options.loadTimeoutMs !== undefined) return options.loadTimeoutMs;
  const value = process.env['CARIBOU_APP_LOAD_TIMEOUT']?.trim();
  if (!value) return DEFAULT_LOAD_TIMEOUT_MS;
  const seconds = Number(value);
  // A typo must not silently become the default (or no limit at all).
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new CaribouError(`CARIBOU_APP_LOAD_TIMEOUT=${value} is not a number of seconds: set it to a number above 0 (default ${DEFAULT_LOAD_TIMEOUT_MS / 1000}), or unset it`);
  }
  return seconds * 1000;
}

/**
 * Makes every `import ... from '@caribou/sdk'` use the framework's SDK, so a project
 * scaffolded anywhere runs without installing it.
 */
function sdkFromFramework(sdkEntry: string): Plugin {
  return {
    name: 'caribou-sdk-from-framework',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^@caribou\/sdk$/ }, () => ({ path: sdkEntry }));
    },
  };
}

const describeMessage = (message: Message, projectDir: string): string => {
  const location = message.location;
  if (!location) return message.text;
  const file = resolve(projectDir, location.file);
  const shown = file.startsWith(projectDir) ? file.slice(projectDir.length + 1) : location.file;
  return `${message.text} at ${shown}:${location.line}`;
};

/**
 * Bundles the app module with esbuild into a temporary ES module, imports it and returns
 * its `workflow` export (named, else default). The bundle has its own copy of the SDK, so
 * the workflow is recognised by its shape, not with `instanceof`.
 */
export async function importWorkflowApp(
  appFile: string,
  projectDir: string,
  options: AppLoaderOptions = {},
): Promise<RuntimeWorkflow> {
  const label = appFile.startsWith(projectDir) ? appFile.slice(projectDir.length + 1) : appFile;
  const sdkEntry = options.sdkEntry ?? join(FRAMEWORK_ROOT, 'libs/sdk/src/index.ts');
  let code: string;
  try {
    const result = await build({
      entryPoints: [appFile],
      absWorkingDir: projectDir,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      plugins: [sdkFromFramework(sdkEntry)],
      nodePaths: options.nodePaths ?? [join(FRAMEWORK_ROOT, 'node_modules')],
      // CommonJS dependencies inside an ES module bundle still call require().
      banner: { js: "import { createRequire as __caribouRequire } from 'node:module'; const require = __caribouRequire(import.meta.url);" },
    });
    code = result.outputFiles[0]!.text;
  } catch (error) {
    const first = (error as { errors?: Message[] }).errors?.[0];
    throw new CaribouError(`Unable to import ${label}: ${first ? describeMessage(first, projectDir) : (error as Error).message}`);
  }

  const dir = mkdtempSync(join(tmpdir(), 'caribou-app-'));
  try {
    const file = join(dir, 'app.mjs');
    writeFileSync(file, code);
    return await loadInWorker(pathToFileURL(file).href, label, loadTimeoutMs(options));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The worker that imports the bundled app: its top-level code runs there, so an endless loop
 * is ended by terminating the worker; what it prints goes to stderr (stdout may carry
 * `--json`) and `process.exit` is refused. It answers with the workflow's data only.
 */
const LOADER_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const toStderr = (...args) => console.error(...args);
console.log = toStderr; console.info = toStderr; console.debug = toStderr;
process.exit = (code) => { throw new Error('EXIT:' + (code ?? '')); };
import(workerData.url).then((module) => {
  const isWorkflow = (value) => typeof value === 'object' && value !== null && typeof value.name === 'string' &&
    typeof value.version === 'string' && Array.isArray(value.functions) && typeof value.serverlessFunction === 'function';
  const workflow = [module.workflow, module.default].find(isWorkflow);
  if (!workflow) { parentPort.postMessage({ type: 'no-workflow' }); return; }
  const functions = workflow.functions.map((fn) => ({
    name: fn.name, entryPoint: fn.entryPoint, regionsAndProviders: fn.regionsAndProviders,
    environmentVariables: fn.environmentVariables, allowPlacementDecisionOverride: fn.allowPlacementDecisionOverride,
    dataRegion: fn.dataRegion ?? null, dataBytesPerInvocation: fn.dataBytesPerInvocation ?? null,
  }));
  parentPort.postMessage({ type: 'workflow', workflow: JSON.parse(JSON.stringify({ name: workflow.name, version: workflow.version, functions })) });
}, (error) => parentPort.postMessage({ type: 'error', message: String(error && error.message !== undefined ? error.message : error) }));
`;

type LoaderAnswer = { type: 'workflow'; workflow: RuntimeWorkflow } | { type: 'no-workflow' } | { type: 'error'; message: string };

function loadInWorker(url: string, label: string, timeoutMs: number): Promise<RuntimeWorkflow> {
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(LOADER_WORKER, { eval: true, workerData: { url }, stdout: false, stderr: false });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(
            new CaribouError(
              `${label} did not finish loading within ${Math.round(timeoutMs / 1000)} s (an endless loop or long work at its top level?): move work into the function handlers, or raise CARIBOU_APP_LOAD_TIMEOUT (seconds)`,
            ),
          ),
        ),
      timeoutMs,
    );
    worker.on('message', (answer: LoaderAnswer) =>
      settle(() => {
        if (answer.type === 'workflow') resolvePromise(answer.workflow);
        else if (answer.type === 'no-workflow') {
          reject(new CaribouError(`${label} must export its workflow: add \`export const workflow = new CaribouWorkflow({ name, version })\``));
        } else if (answer.message.startsWith('EXIT:')) {
          reject(new CaribouError(`${label} called process.exit(${answer.message.slice(5)}) while loading; a workflow app must not exit the process`));
        } else reject(new CaribouError(`Unable to import ${label}: ${answer.message}`));
      }),
    );
    worker.on('error', (error) => settle(() => reject(new CaribouError(`Unable to import ${label}: ${error.message}`))));
    worker.on('exit', (code) => settle(() => reject(new CaribouError(`Unable to import ${label}: its loading ended the thread (exit code ${code})`))));
  });
}
