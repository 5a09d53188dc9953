import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '@caribou/cli/testing';
import { freshHome, writeProject } from './cli-process';
import { LocalHomeInspector } from './local-home';

/*
 * Issue 22, the files of a local home: a copy a killed process left half-made, and a home
 * moved elsewhere. Both through the real CLI.
 */

const app = `import { CaribouWorkflow } from '@caribou/sdk';
export const workflow = new CaribouWorkflow({ name: 'home_files', version: '0.0.1' });
export const only = workflow.serverlessFunction({ name: 'only', entryPoint: true }, async () => {
  console.log('CODE_MARK original');
  return { status: 200 };
});
`;
const WORKFLOW = 'home_files-0.0.1';
const FUNCTION_DIR = 'home_files-0_0_1-only_local-us-east-1';
const homes: string[] = [];
afterAll(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

/** The pid of a process that has ended (what a SIGKILLed deploy leaves in its scratch copy's name). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

async function deployed(label: string): Promise<{ home: string; env: Record<string, string> }> {
  const home = freshHome(label);
  homes.push(home);
  const env = { CARIBOU_HOME: home };
  const deploy = await runCli(['deploy', '-p', writeProject('home_files', app)], { env });
  expect(deploy.code, deploy.stderr).toBe(0);
  return { home, env };
}

describe('the files of a local home (issue 22)', () => {
  it('a half-made copy a killed process left (<name>.tmp-<pid>) is removed by the next run, and by remove', async () => {
    const { home, env } = await deployed('scratch');
    const regionDir = join(home, 'functions', 'us-east-1');
    const scratch = () => readdirSync(regionDir).filter((entry) => entry.includes('.tmp-') || entry.includes('.old-'));
    const leave = () => {
      const dir = join(regionDir, `${FUNCTION_DIR}.tmp-${deadPid()}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'index.mjs'), 'export const half = ');
      return dir;
    };

    leave();
    const run = await runCli(['run', WORKFLOW, '--wait'], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(scratch()).toEqual([]);

    leave();
    const removed = await runCli(['remove', WORKFLOW], { env });
    expect(removed.code, removed.stderr).toBe(0);
    expect(existsSync(regionDir) ? readdirSync(regionDir) : []).toEqual([]);
  }, 300_000);

  it('a copied or moved CARIBOU_HOME runs the code in its own functions directory, not the old home’s', async () => {
    const { home, env } = await deployed('before-move');
    const moved = `${home}-moved`;
    homes.push(moved);
    cpSync(home, moved, { recursive: true });
    // Tell the two copies apart: the moved home's function now logs another mark.
    const movedDir = join(moved, 'functions', 'us-east-1', FUNCTION_DIR);
    const edited = readdirSync(movedDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile() && /\.m?js$/.test(entry.name));
    let marks = 0;
    for (const entry of edited) {
      const file = join(entry.parentPath, entry.name);
      const text = readFileSync(file, 'utf8');
      if (!text.includes('CODE_MARK original')) continue;
      writeFileSync(file, text.replaceAll('CODE_MARK original', 'CODE_MARK moved'));
      marks += 1;
    }
    expect(marks).toBeGreaterThan(0);

    const run = await runCli(['run', WORKFLOW, '--wait'], { env: { ...env, CARIBOU_HOME: moved } });
    expect(run.code, run.stderr).toBe(0);
    const lines = new LocalHomeInspector(moved).lines("SELECT line FROM logs WHERE line LIKE '%CODE_MARK%'");
    expect(lines.map((line) => /CODE_MARK (\w+)/.exec(line)?.[1])).toEqual(['moved']);
  }, 300_000);
});
