import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import Database from 'libsql';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '@caribou/cli/testing';
import { percentChange, percentile } from '@caribou/domain-accounting';

/*
 * Issue 19 on the local provider, through the CLI: examples/data_locality's `summarize` reads
 * data that lives in us-east-1 (its home); the plan moves the workflow to eu-north-1 (a far
 * cleaner grid ~110 ms away). With `dataRegion` declared, the plan's predicted change of p95
 * runtime and carbon matches what 200 synced runs measure; the same workflow with the
 * declaration removed (its function still reads the data in us-east-1, which the local
 * provider simulates from CARIBOU_DATA_REGION) is mispredicted.
 */
const root = join(import.meta.dirname, '../..');
const DECLARED = 'data_locality-0.0.1';
const UNDECLARED = 'data_locality_undeclared-0.0.1';
const HOME = 'local:us-east-1';
const SUMMARIZE = (workflow: string) => `${workflow.replace(/-.*$/, '')}-0_0_1-summarize`;

interface PlanJson {
  status: string;
  time_keys: Array<{
    time_key: string;
    moved_instances: string[];
    delta: { tail_runtime: { percent: number }; average_carbon: { percent: number }; average_cost: { percent: number } } | null;
  }>;
}

interface SyncedRun {
  start_time: string;
  runtime_s: number;
  execution_data: Array<{ instance_name: string; provider_region: string }>;
  start_hop_info: { latency_from_client_s?: number };
}

describe('a model that prices moving: examples/data_locality on the local provider', () => {
  const home = mkdtempSync(join(tmpdir(), 'caribou-data-locality-'));
  const env = { CARIBOU_HOME: home };
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  // The same workflow without the declaration: its data still lives in us-east-1 (the local
  // provider reads that from the function's CARIBOU_DATA_REGION), only the model is not told.
  const undeclaredDir = join(home, 'data_locality_undeclared');
  cpSync(join(root, 'examples/data_locality'), undeclaredDir, { recursive: true });
  const config = join(undeclaredDir, '.caribou/config.yml');
  writeFileSync(config, readFileSync(config, 'utf8').replace('workflow_name: "data_locality"', 'workflow_name: "data_locality_undeclared"'));
  const app = join(undeclaredDir, 'src/app.ts');
  const source = readFileSync(app, 'utf8');
  const undeclaredSource = source
    .replace("name: 'data_locality'", "name: 'data_locality_undeclared'")
    .replace(
      /dataRegion: \{ provider: 'local', region: 'us-east-1' \},\s*dataBytesPerInvocation: [^,]+,/,
      "environmentVariables: [{ key: 'CARIBOU_DATA_REGION', value: 'local:us-east-1' }],",
    );
  writeFileSync(app, undeclaredSource);

  const cli = async (args: string[]) => {
    const result = await runCli(args, { env });
    expect(result.code, `caribou ${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result.stdout;
  };

  const syncedRuns = (workflow: string): SyncedRun[] => {
    const db = new Database(join(home, 'local.db'));
    const row = db.prepare('SELECT value, compressed FROM kv WHERE tbl = ? AND key = ?').get('workflow_summary_table', workflow) as { value: Buffer | string; compressed: number };
    db.close();
    return (JSON.parse(row.compressed ? brotliDecompressSync(row.value as Buffer).toString('utf8') : String(row.value)) as { logs: SyncedRun[] }).logs;
  };

  /** p95 of end-to-end runtime (client hop included, as the report counts it) of runs that followed the plan vs runs all at home. */
  const measuredRuntimeChange = (workflow: string, since: string): { percent: number; planRuns: number; homeRuns: number } => {
    const runs = syncedRuns(workflow);
    const endToEnd = (run: SyncedRun) => run.runtime_s + (run.start_hop_info.latency_from_client_s ?? 0);
    const atHome = (run: SyncedRun) => run.execution_data.every((execution) => execution.provider_region === HOME);
    const planned = runs.filter((run) => run.start_time >= since && run.execution_data.every((execution) => execution.provider_region !== HOME));
    const homeRuns = runs.filter(atHome);
    return {
      percent: percentChange(percentile(planned.map(endToEnd), 95)!, percentile(homeRuns.map(endToEnd), 95)!)!,
      planRuns: planned.length,
      homeRuns: homeRuns.length,
    };
  };

  const timeKeyOf = (plan: PlanJson, hour: number) => {
    const keys = plan.time_keys.map((key) => Number(key.time_key)).filter((key) => key <= hour);
    return plan.time_keys.find((key) => Number(key.time_key) === Math.max(...keys))!;
  };

  it('the undeclared copy differs only in the declaration', () => {
    expect(undeclaredSource).not.toMatch(/dataRegion:|dataBytesPerInvocation:/);
    expect(source).toMatch(/dataRegion:/);
    expect(undeclaredSource).toContain("'CARIBOU_DATA_REGION', value: 'local:us-east-1'");
  });

  const plans: Record<string, PlanJson> = {};
  it('deploys both, runs them at home, collects, plans and migrates', async () => {
    await cli(['deploy', '-p', join(root, 'examples/data_locality')]);
    await cli(['deploy', '-p', undeclaredDir]);
    // The deployed entry point learns where its client sits, summarize where its data is.
    for (const workflow of [DECLARED, UNDECLARED]) await cli(['run', workflow, '-a', '{"customer": "c1"}', '--wait', '--times', '150']);
    await cli(['log_sync']);
    await cli(['data_collect', 'all']);
    await cli(['manage_deployments']);
    await cli(['run_deployment_migrator']);
    for (const workflow of [DECLARED, UNDECLARED]) {
      plans[workflow] = JSON.parse(await cli(['plan', workflow, '--json'])) as PlanJson;
      expect(plans[workflow]!.status).toBe('published');
    }
  });

  it('plan --json: moving the data-bound function shows Δ p95 runtime > 0 and Δ cost > 0', () => {
    const plan = plans[DECLARED]!;
    const moving = plan.time_keys.filter((key) => key.moved_instances.some((name) => name.startsWith(SUMMARIZE(DECLARED))));
    expect(moving.length).toBeGreaterThan(0);
    for (const key of moving) {
      expect(key.delta!.tail_runtime.percent, `time key ${key.time_key}`).toBeGreaterThan(0);
      expect(key.delta!.average_cost.percent, `time key ${key.time_key}`).toBeGreaterThan(0);
      expect(key.delta!.average_carbon.percent, `time key ${key.time_key}`).toBeLessThan(0);
    }
    // Without the declaration the model sees only the client hop: a smaller predicted change.
    const undeclared = timeKeyOf(plans[UNDECLARED]!, 12);
    expect(undeclared.moved_instances.some((name) => name.startsWith(SUMMARIZE(UNDECLARED)))).toBe(true);
    expect(undeclared.delta!.tail_runtime.percent).toBeLessThan(timeKeyOf(plan, 12).delta!.tail_runtime.percent);
  });

  const since: Record<string, string> = {};
  const predicted: Record<string, number> = {};
  it('after migration, 200 runs of the declared workflow (100 of the other) are synced', async () => {
    for (const [workflow, times] of [
      [DECLARED, 200],
      [UNDECLARED, 100],
    ] as const) {
      const before = syncedRuns(workflow).length;
      await cli(['run', workflow, '-a', '{"customer": "c1"}', '--wait', '--times', String(times)]);
      await cli(['log_sync']);
      const runs = syncedRuns(workflow);
      expect(runs.length).toBe(before + times);
      since[workflow] = runs[before]!.start_time;
      const hour = Number(since[workflow]!.slice(11, 13));
      predicted[workflow] = timeKeyOf(plans[workflow]!, hour).delta!.tail_runtime.percent;
    }
  });

  it('declared: the measured change of p95 runtime and of carbon is within 10 points of the prediction', async () => {
    const runtime = measuredRuntimeChange(DECLARED, since[DECLARED]!);
    expect(runtime.planRuns).toBeGreaterThan(150);
    expect(runtime.homeRuns).toBeGreaterThan(150);
    console.info(`data_locality p95 runtime: measured ${runtime.percent.toFixed(1)} %, predicted ${predicted[DECLARED]!.toFixed(1)} %`);
    expect(Math.abs(runtime.percent - predicted[DECLARED]!), `measured ${runtime.percent} %, predicted ${predicted[DECLARED]} %`).toBeLessThanOrEqual(10);
    // Carbon from the synced runs of the period (the report's measured accounting) against the plan's prediction for them.
    const report = JSON.parse(await cli(['report', DECLARED, '--since', since[DECLARED]!.replace(' ', 'T').replace(/,(\d{3})\d*\+0000$/, '.$1Z'), '--json'])) as {
      runs: number;
      savings: { carbon_pct: number };
      prediction: { carbon_pct: number };
    };
    expect(report.runs).toBe(200);
    expect(report.savings.carbon_pct).toBeLessThan(0);
    console.info(`data_locality carbon: measured ${report.savings.carbon_pct.toFixed(1)} %, predicted ${report.prediction.carbon_pct.toFixed(1)} %`);
    expect(Math.abs(report.savings.carbon_pct - report.prediction.carbon_pct), JSON.stringify(report)).toBeLessThanOrEqual(10);
  });

  it('with the dataRegion declaration removed, the prediction misses the measured runtime by more than 10 points', () => {
    const runtime = measuredRuntimeChange(UNDECLARED, since[UNDECLARED]!);
    expect(runtime.planRuns).toBeGreaterThan(70);
    console.info(`data_locality without dataRegion, p95 runtime: measured ${runtime.percent.toFixed(1)} %, predicted ${predicted[UNDECLARED]!.toFixed(1)} %`);
    expect(runtime.percent - predicted[UNDECLARED]!, `measured ${runtime.percent} %, predicted ${predicted[UNDECLARED]} %`).toBeGreaterThan(10);
  });
});
