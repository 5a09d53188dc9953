import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { CaribouError, regionKey, type ProviderRegion } from '@caribou/domain-common';
import type { Artifact, ArtifactCopier, Clock, DeployedFunction, FunctionPlatform, FunctionSpec } from '@caribou/ports';
import type { LocalDatabase } from './database';

export interface LocalFunctionRow extends Record<string, unknown> {
  region: string;
  name: string;
  handler: string;
  entry_point: number;
  artifact_dir: string;
  artifact_sha256: string;
  environment: string;
  memory_mb: number;
  timeout_s: number;
  role: string;
  /** JSON of the AsyncInvocationConfig, or null (deployed before retries existed: no retries, no record). */
  async_invocation: string | null;
}

/** `local:<region>:<function name>`: the address the local invoker resolves. */
export function localFunctionIdentifier(region: ProviderRegion, functionName: string): string {
  return `local:${region.region}:${functionName}`;
}

export function parseLocalFunctionIdentifier(identifier: string): { region: ProviderRegion; functionName: string } {
  const match = /^local:([^:]+):(.+)$/.exec(identifier);
  if (!match) throw new CaribouError(`'${identifier}' is not a local function identifier (local:<region>:<function>)`);
  return { region: { provider: 'local', region: match[1]! }, functionName: match[2]! };
}

/** `<name>.tmp-<pid>` / `<name>.old-<pid>`: a copy being made or replaced by process `pid`. */
const SCRATCH = /^(.+)\.(tmp|old)-(\d+)$/;

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * "Deploys" a function into a simulated region: its bundle is copied to
 * `<home>/functions/<region>/<name>/` and registered in the local database, like a
 * Lambda that holds its own copy of the code. The stored `artifact_dir` is relative to
 * the functions directory, so a moved `CARIBOU_HOME` runs its own copies.
 */
export class LocalFunctionPlatform implements FunctionPlatform, ArtifactCopier {
  constructor(
    private readonly db: LocalDatabase,
    private readonly functionsDir: string,
    private readonly clock: Clock,
  ) {}

  private functionDir(region: ProviderRegion, functionName: string): string {
    return join(this.functionsDir, region.region, functionName);
  }

  /**
   * A copy is made under `<name>.tmp-<pid>` and renamed into place, the copy it replaces
   * moved aside first: a kill at any point leaves the old or the new code in place, plus
   * scratch directories that `removeScratch` deletes.
   */
  async createOrUpdate(spec: FunctionSpec): Promise<DeployedFunction> {
    if (spec.region.provider !== 'local') {
      throw new CaribouError(`The local platform cannot deploy to ${regionKey(spec.region)}; use a local:<region> region`);
    }
    const source = artifactDirectory(spec.artifact);
    const target = this.functionDir(spec.region, spec.functionName);
    this.removeScratch(spec.region, spec.functionName);
    if (source !== target) {
      const staging = `${target}.tmp-${process.pid}`;
      const previous = `${target}.old-${process.pid}`;
      mkdirSync(dirname(staging), { recursive: true });
      rmSync(staging, { recursive: true, force: true });
      cpSync(source, staging, { recursive: true });
      if (existsSync(target)) renameSync(target, previous);
      renameSync(staging, target);
      rmSync(previous, { recursive: true, force: true });
    }
    this.db.run(
      `INSERT INTO functions (region, name, handler, entry_point, artifact_dir, artifact_sha256, environment, memory_mb, timeout_s, role, updated_at, async_invocation)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (region, name) DO UPDATE SET handler = excluded.handler, entry_point = excluded.entry_point,
         artifact_dir = excluded.artifact_dir, artifact_sha256 = excluded.artifact_sha256, environment = excluded.environment,
         memory_mb = excluded.memory_mb, timeout_s = excluded.timeout_s, role = excluded.role, updated_at = excluded.updated_at,
         async_invocation = excluded.async_invocation`,
      spec.region.region,
      spec.functionName,
      spec.handler,
      spec.entryPoint ? 1 : 0,
      relative(this.functionsDir, target).split(sep).join('/'),
      spec.artifact.kind === 'image' ? spec.artifact.imageUri : spec.artifact.sha256,
      JSON.stringify(spec.environment),
      spec.memoryMb,
      spec.timeoutSeconds,
      spec.roleIdentifier,
      this.clock.now(),
      spec.asyncInvocation ? JSON.stringify(spec.asyncInvocation) : null,
    );
    return {
      functionName: spec.functionName,
      region: spec.region,
      functionIdentifier: localFunctionIdentifier(spec.region, spec.functionName),
    };
  }

  /**
   * Deletes scratch copies (`<name>.tmp-<pid>`, `<name>.old-<pid>`) left by a process that
   * was killed while copying: of one function, or of every function when none is named.
   * A scratch copy of a process still running is its work in progress and is kept.
   */
  removeScratch(region?: ProviderRegion, functionName?: string): number {
    let removed = 0;
    const regions = region ? [region.region] : safeList(this.functionsDir);
    for (const regionName of regions) {
      const dir = join(this.functionsDir, regionName);
      for (const entry of safeList(dir)) {
        const match = SCRATCH.exec(entry);
        if (!match || (functionName !== undefined && match[1] !== functionName)) continue;
        if (processAlive(Number(match[3]))) continue;
        rmSync(join(dir, entry), { recursive: true, force: true });
        removed += 1;
      }
    }
    return removed;
  }

  async exists(region: ProviderRegion, functionName: string): Promise<boolean> {
    return this.find(region, functionName) !== undefined;
  }

  /** The function's row, with `artifact_dir` resolved against this home's functions directory. */
  find(region: ProviderRegion, functionName: string): LocalFunctionRow | undefined {
    const row = this.db.get<LocalFunctionRow>('SELECT * FROM functions WHERE region = ? AND name = ?', region.region, functionName);
    if (!row) return undefined;
    return { ...row, artifact_dir: this.resolveArtifactDir(row) };
  }

  /**
   * Relative paths resolve against this home. Rows of earlier versions hold absolute paths:
   * the copy of this home (`functions/<region>/<name>`) is used, not the directory the path
   * names, which may be another (older) home.
   */
  private resolveArtifactDir(row: LocalFunctionRow): string {
    if (!isAbsolute(row.artifact_dir)) return join(this.functionsDir, row.artifact_dir);
    return join(this.functionsDir, row.region, row.name);
  }

  async remove(region: ProviderRegion, functionName: string): Promise<void> {
    this.db.run('DELETE FROM functions WHERE region = ? AND name = ?', region.region, functionName);
    rmSync(this.functionDir(region, functionName), { recursive: true, force: true });
    this.removeScratch(region, functionName);
  }

  async list(region: ProviderRegion): Promise<string[]> {
    return this.db.all<{ name: string }>('SELECT name FROM functions WHERE region = ? ORDER BY name', region.region).map((r) => r.name);
  }

  /** The code of a deployed function, ready to be deployed elsewhere (a copy of its directory). */
  async copyToRegion(source: { region: ProviderRegion; functionName: string }): Promise<Artifact> {
    const row = this.find(source.region, source.functionName);
    if (!row) throw new CaribouError(`Function ${source.functionName} is not deployed in ${regionKey(source.region)}`);
    return { kind: 'directory', path: row.artifact_dir, sha256: row.artifact_sha256 };
  }
}

function artifactDirectory(artifact: Artifact): string {
  if (artifact.kind !== 'directory') {
    throw new CaribouError(`The local platform deploys bundle directories, not ${artifact.kind} artifacts`);
  }
  if (!existsSync(artifact.path) || !statSync(artifact.path).isDirectory()) {
    throw new CaribouError(`Bundle directory ${artifact.path} does not exist; deploy again to rebuild it`);
  }
  return artifact.path;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
