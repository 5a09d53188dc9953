import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { createZip } from '@caribou/adapter-archive';
import { LAMBDA_PROVIDED_PACKAGES } from '@caribou/adapter-aws';
import { CaribouError, DEFAULT_LAMBDA_RUNTIME, esbuildTargetOf } from '@caribou/domain-common';
import type { Artifact } from '@caribou/ports';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPOSITORY = resolve(HERE, '../../..');

/** The remote framework's Lambda entry module (exports `handler`). */
export const REMOTE_HANDLER_ENTRY = join(HERE, 'lambda.ts');
/** Where `npm run build:remote-handler` (and `npm run pack`) writes the bundle. */
export const REMOTE_HANDLER_DIST = join(REPOSITORY, 'dist', 'remote-handler');

const SOLVER_THREADS = join(REPOSITORY, 'libs', 'adapters', 'solver-threads', 'src');
/** What the bundle directory holds: the handler, the solver's worker thread, and the worker's bootstrap. */
export const REMOTE_HANDLER_FILES = ['index.mjs', 'solver-worker.mjs', 'bootstrap.mjs'] as const;
/** Inputs of the last build and their sha256, to tell a stale bundle from a current one. */
const MANIFEST = 'inputs.json';
/** The manifest key of the esbuild target the bundle was built for (not a path). */
const TARGET_KEY = '#esbuild-target';
/** The target of the default runtime: what `npm run build:remote-handler` builds. */
const DEFAULT_TARGET = esbuildTargetOf(DEFAULT_LAMBDA_RUNTIME);

export interface RemoteHandlerBundle {
  dir: string;
  /** `<dir>/index.mjs`, exporting `handler`. */
  entry: string;
  files: string[];
}

const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

/**
 * Bundles the remote framework for Lambda's Node.js runtime with esbuild: `index.mjs` exporting
 * `handler`, the solver's worker (`go` calculator) and its bootstrap, the AWS SDK left to the
 * runtime. Written to a staging directory first, then moved into place: an interrupted build
 * never leaves half a bundle. Secrets are never part of it.
 */
export async function buildRemoteHandlerBundle(outDir: string = REMOTE_HANDLER_DIST, target: string = DEFAULT_TARGET): Promise<RemoteHandlerBundle> {
  const staging = `${outDir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  let inputs: string[];
  try {
    const result = await build({
      entryPoints: { index: REMOTE_HANDLER_ENTRY, 'solver-worker': join(SOLVER_THREADS, 'worker.ts') },
      outdir: staging,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      // The Node.js of the function's Lambda runtime. The tests also run it on the Node.js 20
      // toolchain: the sources use nothing newer, and esbuild only lowers, never raises, syntax.
      target,
      external: LAMBDA_PROVIDED_PACKAGES,
      banner: { js: "import { createRequire as __caribouRequire } from 'node:module'; const require = __caribouRequire(import.meta.url);" },
      legalComments: 'none',
      metafile: true,
      logLevel: 'silent',
    });
    inputs = Object.keys(result.metafile.inputs).map((input) => resolve(REPOSITORY, input));
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    const first = (error as { errors?: Array<{ text: string; location?: { file: string; line: number } }> }).errors?.[0];
    const where = first?.location ? ` (${first.location.file}:${first.location.line})` : '';
    throw new CaribouError(`Could not bundle the remote framework: ${first?.text ?? String(error)}${where}`);
  }
  writeFileSync(join(staging, 'bootstrap.mjs'), readFileSync(join(SOLVER_THREADS, 'bootstrap.mjs')));
  const manifest = { [TARGET_KEY]: target, ...Object.fromEntries(inputs.map((input) => [relative(REPOSITORY, input), sha256(readFileSync(input))])) };
  writeFileSync(join(staging, MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(dirname(outDir), { recursive: true });
  renameSync(staging, outDir);
  return bundleIn(outDir);
}

function bundleIn(dir: string): RemoteHandlerBundle {
  return { dir, entry: join(dir, 'index.mjs'), files: REMOTE_HANDLER_FILES.map((file) => join(dir, file)) };
}

/** True when the bundle in `dir` is missing a file, was built for another target, or any source it was built from has changed since. */
export function isRemoteHandlerBundleStale(dir: string = REMOTE_HANDLER_DIST, target: string = DEFAULT_TARGET): boolean {
  if (!REMOTE_HANDLER_FILES.every((file) => existsSync(join(dir, file))) || !existsSync(join(dir, MANIFEST))) return true;
  let recorded: Record<string, string>;
  try {
    recorded = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as Record<string, string>;
  } catch {
    return true;
  }
  if ((recorded[TARGET_KEY] ?? 'node20') !== target) return true;
  // A source that is gone was renamed or deleted, so a file that imported it changed too; without
  // the sources at all (an installed CLI shipping the bundle) the bundle is what there is.
  const changed = (path: string, hash: string): boolean => existsSync(path) && sha256(readFileSync(path)) !== hash;
  const bootstrap = join(SOLVER_THREADS, 'bootstrap.mjs');
  if (changed(bootstrap, sha256(readFileSync(join(dir, 'bootstrap.mjs'))))) return true;
  return Object.entries(recorded).some(([input, hash]) => input !== TARGET_KEY && changed(resolve(REPOSITORY, input), hash));
}

/**
 * The bundle in `dir`, built first when it is missing or stale (a clean clone has no dist/):
 * what tests and `deploy_remote_cli` use when running from the sources.
 */
export async function ensureRemoteHandlerBundle(dir: string = REMOTE_HANDLER_DIST, target: string = DEFAULT_TARGET): Promise<RemoteHandlerBundle> {
  return isRemoteHandlerBundleStale(dir, target) ? buildRemoteHandlerBundle(dir, target) : bundleIn(dir);
}

/** The bundle a packed CLI ships, used as it is: there are no sources to rebuild it from. */
function prebuiltBundle(dir: string): RemoteHandlerBundle {
  const bundle = bundleIn(dir);
  const missing = bundle.files.find((file) => !existsSync(file));
  if (missing) throw new CaribouError(`The remote framework bundle this CLI ships is missing ${missing}; reinstall the CLI`);
  return bundle;
}

/**
 * The zip `deploy_remote_cli` uploads: the files of the bundle in `dir` built for `runtime`'s
 * Node.js (built when missing, stale or for another runtime; used as it is when `prebuilt`, as
 * the packed CLI ships it), `index.handler` being the handler.
 */
export async function buildRemoteHandlerPackage(
  dir: string = REMOTE_HANDLER_DIST,
  runtime: string = DEFAULT_LAMBDA_RUNTIME,
  options: { prebuilt?: boolean } = {},
): Promise<Artifact & { kind: 'zip' }> {
  const bundle = options.prebuilt ? prebuiltBundle(dir) : await ensureRemoteHandlerBundle(dir, esbuildTargetOf(runtime));
  const zip = createZip(bundle.files.map((file) => ({ name: relative(bundle.dir, file), data: readFileSync(file) })));
  const hash = sha256(zip);
  const workDir = join(tmpdir(), 'caribou-remote-framework');
  mkdirSync(workDir, { recursive: true });
  const path = join(workDir, `caribou_cli-${hash.slice(0, 16)}.zip`);
  writeFileSync(path, zip);
  return { kind: 'zip', path, sha256: hash };
}
