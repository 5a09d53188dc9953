/**
 * `npm run pack`: builds the installable products from the sources and writes
 *
 *   dist/packages/caribou-sdk-<version>.tgz   what workflow apps import (JavaScript + types)
 *   dist/packages/caribou-cli-<version>.tgz   the `caribou` command
 *
 * Both are bundles made with esbuild: every `@caribou/*` workspace package is compiled into
 * them, so installing a tarball asks no registry for a package of ours. Third-party packages
 * stay ordinary dependencies, pinned to the versions this checkout's lockfile installed. The
 * CLI is split at its dynamic imports (the AWS SDK, esbuild and TypeScript load only in the
 * commands that use them) and carries its oclif manifest, so `caribou --help` loads no command.
 * See docs/packaging.md for the layout of the CLI package.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { builtinModules } from 'node:module';
import { pathToFileURL } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const PACKAGES_DIR = join(REPO_ROOT, 'dist', 'packages');

/**
 * The Node.js versions the packed products run on. Their runtime dependencies declare ≥ 20
 * (the AWS SDK v3 clients, p-retry); the bundled code uses nothing newer than Node 20.0 has
 * (fetch, structuredClone, AbortSignal.timeout, worker_threads' `env`). Zips are written by
 * fflate, not zlib.crc32 (Node 20.15).
 */
export const PACKED_NODE_ENGINES = '>=20.0.0';

/** Files resolved at run time by path rather than imported, so esbuild cannot see them. */
const CLI_FILE_DEPENDENCIES = ['echarts'];

interface PackageJson {
  name: string;
  version: string;
  description?: string;
  license?: string;
  [key: string]: unknown;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const writeJson = (path: string, value: unknown): void => writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);

const isBuiltin = (specifier: string): boolean => specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!);

/** `lodash/fp` → `lodash`, `@scope/name/sub` → `@scope/name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/**
 * Leaves the third-party packages `isExternal` names out of the bundle (they become pinned
 * dependencies) and compiles everything else in, the workspace's `@caribou/*` packages always.
 * `node:` built-ins are external by platform.
 */
function externalPlugin(isExternal: (name: string) => boolean): Plugin {
  return {
    name: 'external-packages',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => {
        if (isBuiltin(args.path) || args.path.startsWith('@caribou/') || !isExternal(packageNameOf(args.path))) return undefined;
        return { path: args.path, external: true };
      });
    },
  };
}

/**
 * What the CLI leaves to npm: native or binary packages (libsql, esbuild), packages read as
 * files (echarts' script for the HTML plans), and the big ones loaded only by the commands that
 * use them (the TypeScript compiler, the AWS SDK). The rest (oclif, Inversify, zod, …) is
 * bundled: one file loads faster than a tree of small modules, which is most of a start-up.
 */
export const CLI_EXTERNAL = (name: string): boolean =>
  ['libsql', 'esbuild', 'typescript', 'echarts', 'google-gax', 'google-auth-library'].includes(name) ||
  name.startsWith('@aws-sdk/') ||
  name.startsWith('@smithy/') ||
  // google-gax finds its protos through __dirname, which a bundled ES module has not: --provider gcp failed at its first client.
  name.startsWith('@google-cloud/');

/** The third-party packages the written files still import (what tree shaking left). */
export function externalPackages(metafile: Metafile): Set<string> {
  const names = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const imported of output.imports) {
      if (imported.external && !isBuiltin(imported.path)) names.add(packageNameOf(imported.path));
    }
  }
  return names;
}

/** The version this checkout installed, to pin it: the tested version is the shipped one. */
function installedVersion(name: string): string {
  const manifest = join(REPO_ROOT, 'node_modules', name, 'package.json');
  if (!existsSync(manifest)) throw new Error(`${name} is imported by the bundle but not installed at the repository root; run npm ci`);
  return readJson<PackageJson>(manifest).version;
}

function pinned(names: Iterable<string>): Record<string, string> {
  return Object.fromEntries([...new Set(names)].sort().map((name) => [name, installedVersion(name)]));
}

async function bundle(options: {
  entryPoints: Record<string, string>;
  outdir: string;
  isExternal: (name: string) => boolean;
  commonJsInside?: boolean;
}): Promise<{ external: Set<string>; metafile: Metafile }> {
  const result = await build({
    entryPoints: options.entryPoints,
    outdir: options.outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Flat: modules locate their neighbours (bootstrap.mjs) with `new URL('./…', import.meta.url)`.
    chunkNames: 'chunk-[hash]',
    plugins: [externalPlugin(options.isExternal)],
    // CommonJS packages compiled into an ES module still call require() for built-ins. (Not in
    // the SDK: it bundles no CommonJS, and a function bundle adds this banner itself.)
    ...(options.commonJsInside ? { banner: { js: "import { createRequire as __caribouRequire } from 'node:module'; const require = __caribouRequire(import.meta.url);" } } : {}),
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  return { external: externalPackages(result.metafile), metafile: result.metafile };
}

function npmPack(dir: string, destination: string): string {
  mkdirSync(destination, { recursive: true });
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [{ filename }] = JSON.parse(out) as Array<{ filename: string }>;
  return join(destination, filename);
}

/** The workspace's `@caribou/*` packages: name → directory. */
function workspacePackages(): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (dir: string, depth: number): void => {
    if (existsSync(join(dir, 'package.json'))) found.set(readJson<PackageJson>(join(dir, 'package.json')).name, dir);
    if (depth === 0) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory() && entry.name !== 'node_modules') visit(join(dir, entry.name), depth - 1);
  };
  visit(join(REPO_ROOT, 'apps'), 1);
  visit(join(REPO_ROOT, 'libs'), 2);
  return new Map([...found].filter(([name]) => name.startsWith('@caribou/')));
}

/**
 * The SDK's declarations, one file per entry, with the workspace packages' types inlined.
 * The compiler treats sources reached through node_modules (the workspace links) as an external
 * library and emits no declarations for them, so a tsconfig maps each `@caribou/*` export to its
 * source file instead.
 */
async function writeSdkDeclarations(outdir: string, scratch: string): Promise<void> {
  const paths: Record<string, string[]> = {};
  for (const [name, dir] of workspacePackages()) {
    const exports = readJson<{ exports?: Record<string, string> }>(join(dir, 'package.json')).exports ?? {};
    for (const [subpath, file] of Object.entries(exports)) paths[join(name, subpath)] = [join(dir, file)];
  }
  const entries = [join(REPO_ROOT, 'libs/sdk/src/index.ts'), join(REPO_ROOT, 'libs/sdk/src/runtime/index.ts')];
  const tsconfig = join(scratch, 'tsconfig.sdk-declarations.json');
  writeJson(tsconfig, { extends: join(REPO_ROOT, 'tsconfig.base.json'), compilerOptions: { paths }, files: entries });
  const { generateDtsBundle } = await import('dts-bundle-generator');
  const [index, runtime] = generateDtsBundle(
    entries.map((filePath) => ({ filePath, libraries: { inlinedLibraries: [...workspacePackages().keys()] }, output: { noBanner: true } })),
    { preferredConfigPath: tsconfig },
  );
  writeFileSync(join(outdir, 'index.d.ts'), index!);
  writeFileSync(join(outdir, 'runtime.d.ts'), runtime!);
}

const common = (source: PackageJson) => ({
  version: source.version,
  license: readJson<PackageJson>(join(REPO_ROOT, 'package.json')).license,
  type: 'module',
  engines: { node: PACKED_NODE_ENGINES },
});

/** dist/pack/sdk: `@caribou/sdk`, self-contained JavaScript and declarations. */
async function stageSdk(stageDir: string): Promise<{ dir: string; manifest: PackageJson }> {
  const source = readJson<PackageJson>(join(REPO_ROOT, 'libs/sdk/package.json'));
  const dir = join(stageDir, 'sdk');
  const { external } = await bundle({
    entryPoints: { index: join(REPO_ROOT, 'libs/sdk/src/index.ts'), runtime: join(REPO_ROOT, 'libs/sdk/src/runtime/index.ts') },
    outdir: join(dir, 'dist'),
    // Functions bundle the SDK with their own dependencies: it leaves every third-party package to them.
    isExternal: () => true,
  });
  await writeSdkDeclarations(join(dir, 'dist'), stageDir);
  const manifest: PackageJson = {
    name: source.name,
    ...common(source),
    description: 'Caribou SDK: declare a workflow and its serverless functions (carbon-aware placement by the caribou CLI)',
    exports: {
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './runtime': { types: './dist/runtime.d.ts', default: './dist/runtime.js' },
      './package.json': './package.json',
    },
    types: './dist/index.d.ts',
    files: ['dist'],
    sideEffects: false,
    dependencies: pinned(external),
  };
  writeJson(join(dir, 'package.json'), manifest);
  writeFileSync(join(dir, 'README.md'), readFileSync(join(import.meta.dirname, 'sdk-README.md'), 'utf8'));
  return { dir, manifest };
}

const PACKED_BIN = `#!/usr/bin/env node
// The packed caribou CLI: bundled JavaScript (dist/), no TypeScript at run time.
// The AWS SDK warns on every start that its 2027 releases need Node 22; the pinned releases
// support Node 20, so the warning would only bury the command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('../dist/main.js');
await main(process.argv.slice(2), import.meta.url);
`;

/**
 * The CLI's command ids: the keys of its explicit registry (apps/cli/src/commands.ts), each of
 * which must be the command file's name, as oclif's `pattern` strategy derives ids from them.
 */
async function commandIds(): Promise<string[]> {
  const { COMMANDS } = await import('@caribou/cli');
  const ids = Object.keys(COMMANDS).sort();
  const missing = ids.filter((id) => !existsSync(join(REPO_ROOT, 'apps/cli/src/commands', `${id}.ts`)));
  if (missing.length > 0) throw new Error(`Commands ${missing.join(', ')} of apps/cli/src/commands.ts have no file of the same name in apps/cli/src/commands/`);
  return ids;
}

/** Writes oclif.manifest.json the way `oclif manifest` does: help then reads it instead of loading commands. */
async function writeOclifManifest(root: string): Promise<void> {
  const { Plugin } = await import('@oclif/core');
  const plugin = new Plugin({ root, type: 'core', isRoot: true, ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true });
  await plugin.load();
  if (Object.keys(plugin.manifest.commands).length === 0) throw new Error('oclif found no commands in the packed CLI');
  writeJson(join(root, 'oclif.manifest.json'), plugin.manifest);
}

/** dist/pack/cli: `@caribou/cli` with the SDK, the template, the remote framework's bundle and the Dockerfile it uses. */
async function stageCli(stageDir: string, sdk: { dir: string; tarball: string }): Promise<string> {
  const source = readJson<PackageJson & { oclif: Record<string, unknown> }>(join(REPO_ROOT, 'apps/cli/package.json'));
  const dir = join(stageDir, 'cli');
  const { external } = await bundle({
    entryPoints: {
      main: join(REPO_ROOT, 'apps/cli/src/packed-entry.ts'),
      // One module per command (oclif's `pattern` strategy): a command loads only what it imports.
      ...Object.fromEntries((await commandIds()).map((id) => [`commands/${id}`, join(REPO_ROOT, 'apps/cli/src/commands', `${id}.ts`)])),
      'local-worker': join(REPO_ROOT, 'libs/adapters/local/src/engine/worker-main.ts'),
      'solver-worker': join(REPO_ROOT, 'libs/adapters/solver-threads/src/worker.ts'),
    },
    outdir: join(dir, 'dist'),
    isExternal: CLI_EXTERNAL,
    commonJsInside: true,
  });
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin/run.js'), PACKED_BIN, { mode: 0o755 });

  cpSync(join(REPO_ROOT, 'libs/adapters/project/template'), join(dir, 'template'), { recursive: true });
  cpSync(sdk.dir, join(dir, 'sdk'), { recursive: true });
  mkdirSync(join(dir, 'sdk-package'));
  copyFileSync(sdk.tarball, join(dir, 'sdk-package', basename(sdk.tarball)));
  mkdirSync(join(dir, 'docker/function'), { recursive: true });
  copyFileSync(join(REPO_ROOT, 'docker/function/Dockerfile'), join(dir, 'docker/function/Dockerfile'));
  // Built once where the tests import it (dist/remote-handler/index.mjs), then shipped as built:
  // the bundle the tests ran is the one deploy_remote_cli uploads.
  const { buildRemoteHandlerBundle, REMOTE_HANDLER_DIST } = await import('@caribou/remote-handler/bundle');
  const remoteHandler = await buildRemoteHandlerBundle(REMOTE_HANDLER_DIST);
  cpSync(remoteHandler.dir, join(dir, 'remote-handler'), { recursive: true });

  const manifest = {
    name: source.name,
    ...common(source),
    description: 'Caribou: deploys serverless workflows and moves each function, hour by hour, to the region where it emits the least carbon',
    bin: { caribou: './bin/run.js' },
    files: ['bin', 'dist', 'sdk', 'sdk-package', 'template', 'remote-handler', 'docker', 'oclif.manifest.json'],
    dependencies: pinned([...external, ...CLI_FILE_DEPENDENCIES]),
    oclif: { ...source.oclif, commands: './dist/commands' },
  };
  writeJson(join(dir, 'package.json'), manifest);
  writeFileSync(join(dir, 'README.md'), readFileSync(join(import.meta.dirname, 'cli-README.md'), 'utf8'));
  await writeOclifManifest(dir);
  return dir;
}

export interface PackResult {
  sdkTarball: string;
  cliTarball: string;
}

/** Builds both packages into a staging directory and packs them into dist/packages. */
export async function pack(): Promise<PackResult> {
  const stageDir = join(REPO_ROOT, 'dist', 'pack');
  rmSync(stageDir, { recursive: true, force: true });
  mkdirSync(stageDir, { recursive: true });
  // Packed next to dist/packages, then moved there: an interrupted run leaves the previous pair.
  const packing = `${PACKAGES_DIR}.tmp-${process.pid}`;
  rmSync(packing, { recursive: true, force: true });
  try {
    const sdk = await stageSdk(stageDir);
    const sdkTarball = npmPack(sdk.dir, packing);
    const cliTarball = npmPack(await stageCli(stageDir, { dir: sdk.dir, tarball: sdkTarball }), packing);
    rmSync(PACKAGES_DIR, { recursive: true, force: true });
    renameSync(packing, PACKAGES_DIR);
    return { sdkTarball: join(PACKAGES_DIR, basename(sdkTarball)), cliTarball: join(PACKAGES_DIR, basename(cliTarball)) };
  } finally {
    rmSync(packing, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await pack();
  for (const file of [result.sdkTarball, result.cliTarball]) console.log(relative(process.cwd(), file));
}
