import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalDatabase } from './database';
import { SimulationClock } from './engine/simulation-clock';
import { LocalFunctionPlatform } from './function-platform';

const region = { provider: 'local', region: 'us-east-1' };
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function home(): { root: string; db: LocalDatabase; platform: LocalFunctionPlatform; bundle: string } {
  const root = mkdtempSync(join(tmpdir(), 'caribou-platform-'));
  dirs.push(root);
  const db = new LocalDatabase(join(root, 'home', 'local.db'));
  const bundle = join(root, 'bundle');
  mkdirSync(bundle);
  writeFileSync(join(bundle, 'index.mjs'), 'export const version = 1;\n');
  return { root, db, platform: new LocalFunctionPlatform(db, join(root, 'home', 'functions'), new SimulationClock(db)), bundle };
}

const spec = (bundle: string, name = 'wf-0_0_1-f_local-us-east-1') => ({
  functionName: name,
  region,
  artifact: { kind: 'directory' as const, path: bundle, sha256: 'abc' },
  handler: 'f',
  entryPoint: true,
  environment: {},
  memoryMb: 128,
  timeoutSeconds: 3,
  roleIdentifier: 'r',
});

/** A process id that is not running (a child that has exited). */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString());
}

describe('LocalFunctionPlatform copies', () => {
  it('stores the code directory relative to the home, so a moved CARIBOU_HOME runs its own copy', async () => {
    const { root, db, platform, bundle } = home();
    await platform.createOrUpdate(spec(bundle));
    expect(db.get<{ artifact_dir: string }>('SELECT artifact_dir FROM functions')!.artifact_dir).toBe('us-east-1/wf-0_0_1-f_local-us-east-1');
    db.close();
    // Move the home; leave a different copy of the code at the old place.
    renameSync(join(root, 'home'), join(root, 'moved'));
    mkdirSync(join(root, 'home', 'functions', 'us-east-1', 'wf-0_0_1-f_local-us-east-1'), { recursive: true });
    writeFileSync(join(root, 'home', 'functions', 'us-east-1', 'wf-0_0_1-f_local-us-east-1', 'index.mjs'), 'export const version = 0;\n');
    const movedDb = new LocalDatabase(join(root, 'moved', 'local.db'));
    const moved = new LocalFunctionPlatform(movedDb, join(root, 'moved', 'functions'), new SimulationClock(movedDb));
    const row = moved.find(region, 'wf-0_0_1-f_local-us-east-1')!;
    expect(row.artifact_dir).toBe(join(root, 'moved', 'functions', 'us-east-1', 'wf-0_0_1-f_local-us-east-1'));
    expect(readFileSync(join(row.artifact_dir, 'index.mjs'), 'utf8')).toContain('version = 1');
    movedDb.close();
  });

  it('a row of an earlier version (absolute path into another home) resolves to this home', async () => {
    const { root, db, platform, bundle } = home();
    await platform.createOrUpdate(spec(bundle));
    db.run('UPDATE functions SET artifact_dir = ?', '/somewhere/else/functions/us-east-1/wf-0_0_1-f_local-us-east-1');
    expect(platform.find(region, 'wf-0_0_1-f_local-us-east-1')!.artifact_dir).toBe(
      join(root, 'home', 'functions', 'us-east-1', 'wf-0_0_1-f_local-us-east-1'),
    );
    db.close();
  });

  it("a killed copy's scratch directories are removed by remove and by a later start; a live process's are kept", async () => {
    const { root, db, platform, bundle } = home();
    await platform.createOrUpdate(spec(bundle));
    const regionDir = join(root, 'home', 'functions', 'us-east-1');
    const dead = deadPid();
    mkdirSync(join(regionDir, `wf-0_0_1-f_local-us-east-1.tmp-${dead}`));
    mkdirSync(join(regionDir, `wf-0_0_1-f_local-us-east-1.old-${dead}`));
    mkdirSync(join(regionDir, `wf-0_0_1-g_local-us-east-1.tmp-${dead}`));
    mkdirSync(join(regionDir, `wf-0_0_1-g_local-us-east-1.tmp-${process.pid}`));
    await platform.remove(region, 'wf-0_0_1-f_local-us-east-1');
    expect(readdirSync(regionDir).sort()).toEqual([`wf-0_0_1-g_local-us-east-1.tmp-${dead}`, `wf-0_0_1-g_local-us-east-1.tmp-${process.pid}`].sort());
    expect(platform.removeScratch()).toBe(1);
    expect(readdirSync(regionDir)).toEqual([`wf-0_0_1-g_local-us-east-1.tmp-${process.pid}`]);
    expect(existsSync(join(regionDir, 'wf-0_0_1-f_local-us-east-1'))).toBe(false);
    db.close();
  });

  it('an update replaces the code in place and leaves no scratch directory', async () => {
    const { root, db, platform, bundle } = home();
    await platform.createOrUpdate(spec(bundle));
    writeFileSync(join(bundle, 'index.mjs'), 'export const version = 2;\n');
    await platform.createOrUpdate(spec(bundle));
    const regionDir = join(root, 'home', 'functions', 'us-east-1');
    expect(readdirSync(regionDir)).toEqual(['wf-0_0_1-f_local-us-east-1']);
    expect(readFileSync(join(regionDir, 'wf-0_0_1-f_local-us-east-1', 'index.mjs'), 'utf8')).toContain('version = 2');
    db.close();
  });
});
