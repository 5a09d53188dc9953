/**
 * Installs the packed CLI as a new user would, for the pack test and the start-up bench:
 * `npm i -g` of dist/packages/caribou-cli-<version>.tgz into a fresh prefix in a temporary
 * directory outside the repository, with a PATH that holds nothing of the repository (npm run
 * and vitest put its node_modules/.bin there, with a `caribou` and a `tsc` of their own).
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { PACKAGES_DIR, REPO_ROOT } from './pack';

/**
 * Any request for an `@caribou/*` package goes to a closed loopback port: an install that needed
 * one of ours from a registry fails instead of fetching it (or a stranger's package of that name).
 */
export const OUR_SCOPE_BLOCKED = '--@caribou:registry=http://127.0.0.1:9/';

export interface InstalledCli {
  /** The temporary directory everything lives in (outside the repository). */
  root: string;
  prefix: string;
  /** Where the CLI package is installed (`<prefix>/lib/node_modules/@caribou/cli`). */
  packageDir: string;
  /** The environment commands run with: PATH with the prefix's bin and no repository path, CARIBOU_HOME in `root`. */
  env: NodeJS.ProcessEnv;
}

export function packedTarball(name: 'cli' | 'sdk'): string {
  const file = readdirSync(PACKAGES_DIR).find((entry) => entry.startsWith(`caribou-${name}-`) && entry.endsWith('.tgz'));
  if (!file) throw new Error(`No caribou-${name}-<version>.tgz in ${PACKAGES_DIR}: run npm run pack`);
  return join(PACKAGES_DIR, file);
}

/** `npm run pack` itself, as a user runs it. */
export function runPack(): void {
  execFileSync('npm', ['run', 'pack'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
}

function cleanEnv(prefix: string, home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    // npm run's and vitest's own settings (npm_config_*, the package's paths) belong to the repository's run.
    if (key.startsWith('npm_') || key.startsWith('CARIBOU_') || key === 'INIT_CWD' || key === 'NODE_OPTIONS' || key.startsWith('VITEST')) delete env[key];
  }
  const path = (process.env.PATH ?? '').split(delimiter).filter((entry) => entry && !entry.startsWith(REPO_ROOT));
  return { ...env, PATH: [join(prefix, 'bin'), ...path].join(delimiter), CARIBOU_HOME: home, NO_COLOR: '1' };
}

/** Installs the packed CLI into a fresh prefix under a new temporary directory. */
export function installPackedCli(): InstalledCli {
  const root = mkdtempSync(join(tmpdir(), 'caribou-installed-'));
  const prefix = join(root, 'prefix');
  const work = join(root, 'work');
  mkdirSync(prefix);
  mkdirSync(work);
  const env = cleanEnv(prefix, join(root, 'home'));
  const result = spawnSync('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', OUR_SCOPE_BLOCKED, packedTarball('cli')], {
    cwd: work,
    env,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`npm install -g of the packed CLI failed (${result.status}):\n${result.stderr}`);
  return { root, prefix, packageDir: join(prefix, 'lib', 'node_modules', '@caribou', 'cli'), env };
}

/** Runs `command args` in `cwd` with the installed CLI's environment. */
export function runInstalled(installed: InstalledCli, cwd: string, command: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: { ...installed.env, ...extraEnv }, encoding: 'utf8', timeout: 600_000 });
}
