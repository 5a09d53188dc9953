import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { createZip } from '@caribou/adapter-archive';
import { CaribouError } from '@caribou/domain-common';
import type { Artifact, PackageBuilder, PackageRequest } from '@caribou/ports';

/** Source of the bundle's entry module for one provider, given the app module's absolute path. */
export type EntrySource = (appModulePath: string) => string;

/** The local executor imports the bundle and drives the SDK copy inside it. */
export const localEntry: EntrySource = (app) =>
  [
    `import * as app from ${JSON.stringify(app)};`,
    `export const workflow = app.workflow ?? app.default;`,
    `export { handleInvocation } from '@caribou/sdk/runtime';`,
  ].join('\n');

export interface EsbuildPackageBuilderOptions {
  entries: Record<string, EntrySource>;
  /** Also write `function.zip` (Lambda zip packages); the directory artifact is written either way. */
  zipFor?: string[];
  /** Extra directories to resolve packages from (this framework's node_modules by default). */
  nodePaths?: string[];
  /**
   * The files `@caribou/sdk` and its subpaths (`@caribou/sdk/runtime`) are bundled from, whatever
   * the project installed: the runtime in a function must be the one this framework drives.
   * Default: this checkout's `libs/sdk` sources; the packed CLI passes the SDK it carries.
   */
  sdkModules?: Readonly<Record<string, string>>;
  /**
   * Packages left out of the bundle per provider (esbuild `external` patterns), because the
   * platform's runtime provides them: e.g. `@aws-sdk/*` on Lambda's Node.js runtime.
   */
  external?: Record<string, string[]>;
  /**
   * Files written beside `index.mjs` (and into the zip) per provider: e.g. the package.json a
   * Cloud Run build installs the left-out packages from.
   */
  extraFiles?: Record<string, ReadonlyArray<{ name: string; contents: string }>>;
}

const FRAMEWORK_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const FRAMEWORK_NODE_MODULES = join(FRAMEWORK_ROOT, 'node_modules');

/** This checkout's SDK sources, by the specifier a workflow or an entry imports them with. */
export const SOURCE_SDK_MODULES: Readonly<Record<string, string>> = {
  '@caribou/sdk': join(FRAMEWORK_ROOT, 'libs/sdk/src/index.ts'),
  '@caribou/sdk/runtime': join(FRAMEWORK_ROOT, 'libs/sdk/src/runtime/index.ts'),
};

/** Resolves the SDK's specifiers to the framework's files; any other `@caribou/sdk/...` subpath is refused by name. */
function sdkFromFramework(modules: Readonly<Record<string, string>>): Plugin {
  return {
    name: 'caribou-sdk-from-framework',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^@caribou\/sdk(\/.*)?$/ }, (args) => {
        const path = modules[args.path];
        return path ? { path } : { errors: [{ text: `${args.path} is not part of @caribou/sdk: import ${Object.keys(modules).join(' or ')}` }] };
      });
    },
  };
}

/**
 * Bundles a workflow app and the Caribou runtime into one ESM file with esbuild:
 * `<project>/.caribou/deployment-packages/<sha256>-<name>-<version>-<provider>/index.mjs`.
 * `@caribou/sdk` always resolves to this framework's SDK (see `sdkModules`), so a project
 * scaffolded anywhere deploys without installing anything, and with the runtime this
 * framework drives even when the project installed another copy. The same content gives the same directory (reused).
 */
export class EsbuildPackageBuilder implements PackageBuilder {
  constructor(private readonly options: EsbuildPackageBuilderOptions) {}

  async build(request: PackageRequest): Promise<Artifact> {
    if (request.packaging === 'image') {
      throw new CaribouError(`packaging: image is not available for provider ${request.provider}; remove it from .caribou/config.yml or set it to zip`);
    }
    const entry = this.options.entries[request.provider];
    if (!entry) throw new CaribouError(`No package entry for provider ${request.provider}`);
    const appPath = resolve(request.projectDir, request.appEntry);
    if (!existsSync(appPath)) throw new CaribouError(`Could not find the workflow app ${appPath}`);
    let code: string;
    try {
      // Loaded here, not with the module: every command composes the bundler, few bundle.
      const { build } = await import('esbuild');
      const result = await build({
        stdin: { contents: entry(appPath), resolveDir: request.projectDir, sourcefile: 'caribou-entry.mjs', loader: 'js' },
        bundle: true,
        platform: 'node',
        format: 'esm',
        // The platform's Node.js (Lambda's runtime), else the local toolchain's.
        target: request.nodeTarget ?? 'node20',
        write: false,
        logLevel: 'silent',
        nodePaths: this.options.nodePaths ?? [FRAMEWORK_NODE_MODULES],
        plugins: [sdkFromFramework(this.options.sdkModules ?? SOURCE_SDK_MODULES)],
        external: this.options.external?.[request.provider] ?? [],
        banner: { js: "import { createRequire as __caribouRequire } from 'node:module'; const require = __caribouRequire(import.meta.url);" },
        legalComments: 'none',
      });
      code = result.outputFiles[0]!.text;
    } catch (error) {
      const first = (error as { errors?: Array<{ text: string; location?: { file: string; line: number } }> }).errors?.[0];
      const where = first?.location ? ` (${first.location.file}:${first.location.line})` : '';
      throw new CaribouError(`Could not bundle ${request.appEntry}: ${first?.text ?? String(error)}${where}`);
    }
    const extraFiles = this.options.extraFiles?.[request.provider] ?? [];
    const hash = createHash('sha256').update(code);
    // The extra files are part of what is deployed, so they are part of the package's name.
    for (const file of extraFiles) hash.update(`\0${file.name}\0${file.contents}`);
    const sha256 = hash.digest('hex');
    const name = `${sha256.slice(0, 16)}-${request.workflowName}-${request.workflowVersion}-${request.provider}`;
    const dir = join(request.projectDir, '.caribou', 'deployment-packages', name);
    const wantZip = this.options.zipFor?.includes(request.provider) ?? false;
    if (!existsSync(join(dir, 'index.mjs')) || (wantZip && !existsSync(join(dir, 'function.zip')))) {
      // Write to a temporary directory first so an interrupted build never leaves a half package.
      const staging = `${dir}.tmp-${process.pid}`;
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(staging, { recursive: true });
      writeFileSync(join(staging, 'index.mjs'), code);
      for (const file of extraFiles) writeFileSync(join(staging, file.name), file.contents);
      if (wantZip) {
        const entries = [{ name: 'index.mjs', data: Buffer.from(code) }, ...extraFiles.map((file) => ({ name: file.name, data: Buffer.from(file.contents) }))];
        writeFileSync(join(staging, 'function.zip'), createZip(entries));
      }
      rmSync(dir, { recursive: true, force: true });
      renameSync(staging, dir);
    }
    if (wantZip) {
      const zipPath = join(dir, 'function.zip');
      return { kind: 'zip', path: zipPath, sha256: createHash('sha256').update(readFileSync(zipPath)).digest('hex') };
    }
    return { kind: 'directory', path: dir, sha256 };
  }
}
