import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Message, type Plugin } from 'esbuild';
import { CaribouError } from '@caribou/domain-common';

/** What the loader reads from a registered function at run time. */
export interface RuntimeFunction {
  name: string;
  entryPoint: boolean;
  regionsAndProviders: Record<string, unknown>;
  environmentVariables: Array<{ key: string; value: string }>;
  allowPlacementDecisionOverride: boolean;
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
  let module: Record<string, unknown>;
  const restore = guardModuleLoad(label);
  try {
    const file = join(dir, 'app.mjs');
    writeFileSync(file, code);
    module = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof CaribouError) throw error;
    throw new CaribouError(`Unable to import ${label}: ${(error as Error).message ?? String(error)}`);
  } finally {
    restore();
    rmSync(dir, { recursive: true, force: true });
  }
  const workflow = [module['workflow'], module['default']].find(isWorkflow);
  if (!workflow) {
    throw new CaribouError(
      `${label} must export its workflow: add \`export const workflow = new CaribouWorkflow({ name, version })\``,
    );
  }
  return workflow;
}

function isWorkflow(value: unknown): value is RuntimeWorkflow {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate['name'] === 'string' &&
    typeof candidate['version'] === 'string' &&
    Array.isArray(candidate['functions']) &&
    typeof candidate['serverlessFunction'] === 'function'
  );
}

/**
 * Loading the app runs its top-level code. While it does, what it prints goes to stderr
 * (stdout may carry `--json`), and `process.exit` becomes an error instead of ending the
 * command as if it had succeeded. Returns the function that undoes both.
 */
function guardModuleLoad(label: string): () => void {
  const saved = { log: console.log, info: console.info, debug: console.debug, exit: process.exit };
  const toStderr = (...args: unknown[]) => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  process.exit = ((code?: number) => {
    throw new CaribouError(`${label} called process.exit(${code ?? ''}) while loading; a workflow app must not exit the process`);
  }) as typeof process.exit;
  return () => {
    console.log = saved.log;
    console.info = saved.info;
    console.debug = saved.debug;
    process.exit = saved.exit;
  };
}
