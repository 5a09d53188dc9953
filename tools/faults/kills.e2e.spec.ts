import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '@caribou/cli/testing';
import { emptyFigures, formatFigures, saveFigures } from './figures';
import { mulberry32 } from '@caribou/domain-collection';
import { freshHome, startCli } from './cli-process';
import { LocalHomeInspector } from './local-home';

/**
 * SIGKILL at seeded random points of deploy, run, log_sync, manage_deployments and the
 * migrator (the real CLI in a child process), then: the store passes its integrity check,
 * the next command recovers, and every run a command started is synced once or reported
 * as unfinished. `FAULT_SEED` / `FAULT_KILLS` (kills per command) explore further.
 */
const SEED = Number(process.env.FAULT_SEED ?? 22);
const KILLS = Number(process.env.FAULT_KILLS ?? 2);
const WORKFLOW = 'small_sync_example-0.0.1';
const EXAMPLE = join(REPO_ROOT, 'examples/small_sync_example');
const ARGUMENT = '{"execute_1": true, "execute_3": true}';
// Kill points are seeded: a failing campaign is replayed from its seed.
const random = mulberry32(SEED);
const figures = emptyFigures();
const homes: string[] = [];

afterAll(() => {
  console.log(formatFigures('SIGKILL of CLI commands', figures));
  saveFigures('SIGKILL of CLI commands', figures);
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

/** Starts the command, kills it after a seeded delay in [minMs, maxMs) (or lets it finish first). */
async function killDuring(args: string[], env: Record<string, string>, minMs: number, maxMs: number) {
  const started = startCli(args, env);
  const delay = minMs + random() * (maxMs - minMs);
  const timer = setTimeout(() => started.child.kill('SIGKILL'), delay);
  const result = await started.done;
  clearTimeout(timer);
  figures.kills += 1;
  return result;
}

const ok = async (args: string[], env: Record<string, string>) => {
  const result = await runCli(args, { env });
  expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result;
};

/** Every run id a command printed is in the summary once, or was named unfinished by log_sync. */
function accountRuns(home: string, printed: readonly string[], reportedUnfinished: readonly string[]): { lost: string[]; duplicated: number } {
  const logs = new LocalHomeInspector(home).summary(WORKFLOW)?.logs ?? [];
  const synced = logs.map((log) => log.run_id);
  const duplicated = synced.length - new Set(synced).size;
  const lost = printed.filter((id) => !synced.includes(id) && !reportedUnfinished.includes(id));
  figures.runsStarted += printed.length;
  figures.runsLost += lost.length;
  figures.runsDuplicated += duplicated;
  return { lost, duplicated };
}

const unfinishedIn = (stderr: string): string[] => stderr.match(/never finished[^:]*: (.*)$/m)?.[1]?.split(', ').filter((id) => /^[0-9a-f]{32}$/.test(id)) ?? [];

describe('fault suite: SIGKILL at random points, then recovery', () => {
  it.each(Array.from({ length: KILLS }, (_, i) => i))('deploy killed (#%i): the store is intact and the next deploy (after remove if needed) succeeds', async () => {
    const home = freshHome('kill-deploy');
    homes.push(home);
    const env = { CARIBOU_HOME: home };
    await killDuring(['deploy', '-p', EXAMPLE], env, 1_500, 9_000);
    const inspector = new LocalHomeInspector(home);
    // Killed before the database existed, or the database is intact.
    if (existsSync(join(home, 'local.db'))) expect(inspector.integrity()).toBe('ok');
    let again = await runCli(['deploy', '-p', EXAMPLE], { env });
    if (again.code !== 0) {
      // A deploy that did not finish (or did) is cleared by remove, as its message says.
      expect(again.stderr).toMatch(/caribou remove|already deployed/);
      await ok(['remove', WORKFLOW], env);
      again = await runCli(['deploy', '-p', EXAMPLE], { env });
    }
    expect(again.code, again.stderr).toBe(0);
    expect(inspector.count('SELECT count(*) AS n FROM functions')).toBe(3);
    figures.cleanRecoveries += 1;
  });

  describe('on a deployed workflow', () => {
    const home = freshHome('kill-runs');
    homes.push(home);
    const env = { CARIBOU_HOME: home };
    const inspector = new LocalHomeInspector(home);

    it('deploys', async () => {
      await ok(['deploy', '-p', EXAMPLE], env);
    });

    it.each(Array.from({ length: KILLS }, (_, i) => i))('run --times killed (#%i): each printed run is synced once or named unfinished', async () => {
      const killed = await killDuring(['run', WORKFLOW, '-a', ARGUMENT, '--times', '60'], env, 3_000, 12_000);
      const printed = [...killed.stdout.matchAll(/^Run ID: ([0-9a-f]{32})$/gm)].map((m) => m[1]!);
      expect(inspector.integrity()).toBe('ok');
      const sync = await ok(['log_sync'], env);
      const { lost, duplicated } = accountRuns(home, printed, unfinishedIn(sync.stderr));
      expect(lost).toEqual([]);
      expect(duplicated).toBe(0);
      expect(inspector.runs().running ?? 0).toBe(0);
      figures.cleanRecoveries += 1;
    });

    it.each(Array.from({ length: KILLS }, (_, i) => i))('log_sync killed (#%i): the next log_sync syncs every run once', async () => {
      const run = await ok(['run', WORKFLOW, '-a', ARGUMENT, '--times', '20'], env);
      const printed = [...run.stdout.matchAll(/^Run ID: ([0-9a-f]{32})$/gm)].map((m) => m[1]!);
      await killDuring(['log_sync'], env, 1_500, 6_000);
      expect(inspector.integrity()).toBe('ok');
      const sync = await ok(['log_sync'], env);
      const { lost, duplicated } = accountRuns(home, printed, unfinishedIn(sync.stderr));
      expect(lost).toEqual([]);
      expect(duplicated).toBe(0);
      figures.cleanRecoveries += 1;
    });

    it('collects data for the planner', async () => {
      await ok(['data_collect', 'all'], env);
    });

    it.each(Array.from({ length: KILLS }, (_, i) => i))('manage_deployments killed (#%i): the next one completes', async () => {
      await killDuring(['manage_deployments'], env, 1_500, 8_000);
      expect(inspector.integrity()).toBe('ok');
      await ok(['manage_deployments'], env);
      figures.cleanRecoveries += 1;
    });

    it.each(Array.from({ length: KILLS }, (_, i) => i))('run_deployment_migrator killed (#%i): the next one completes and runs still execute', async () => {
      await killDuring(['run_deployment_migrator'], env, 1_500, 6_000);
      expect(inspector.integrity()).toBe('ok');
      await ok(['run_deployment_migrator'], env);
      const run = await ok(['run', WORKFLOW, '-a', ARGUMENT, '--wait', '--json'], env);
      expect((JSON.parse(run.stdout) as { executions: Array<{ status: string }> }).executions.every((e) => e.status === 'succeeded')).toBe(true);
      figures.cleanRecoveries += 1;
    });

    it('the figures: every kill recovered, no run lost or duplicated', () => {
      expect(figures.cleanRecoveries).toBe(figures.kills);
      expect(figures.runsLost).toBe(0);
      expect(figures.runsDuplicated).toBe(0);
    });
  });
});
