import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'libsql';
import { brotliDecompressSync } from 'node:zlib';
import { runCli } from '@caribou/cli/testing';
import { parseSolverWorkflowConfig, WorkflowModel } from '@caribou/domain-model';

const root = join(import.meta.dirname, '../..');
const WF = 'small_sync_example-0.0.1';

describe('npm run quickstart (README command 1) on a fresh CARIBOU_HOME', () => {
  const home = mkdtempSync(join(tmpdir(), 'caribou-quickstart-'));
  const env = { CARIBOU_HOME: home };
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  let output = '';
  it('runs the whole loop end to end and succeeds, printing each step\'s progress and results in order', () => {
    // stdout and stderr into one file, as a terminal shows them: the order is what a person reads.
    const log = join(home, 'quickstart.log');
    const fd = openSync(log, 'w');
    let result;
    try {
      result = spawnSync('npm', ['run', 'quickstart'], { cwd: root, env: { ...process.env, ...env, CI: '1' }, stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    output = stripVTControlCharacters(readFileSync(log, 'utf8')); // colours, if the environment forces them
    expect(result.status, output).toBe(0);
    for (const step of ['caribou deploy', 'caribou log_sync', 'caribou data_collect all', 'caribou manage_deployments', 'caribou run_deployment_migrator', 'caribou plan', 'caribou report']) {
      expect(output).toContain(`$ ${step}`);
    }
    expect(output).toMatch(/Done in \d+\.\d s\./);
    // It ends with the measured report's summary.
    expect(output).toMatch(/\$ caribou report [\s\S]*emitted +[\d.]+ (µg|mg|g|kg) CO2e \(all at home [\s\S]*By function/);

    // Each command's progress (stderr) and results (stdout) sit under its own "$ caribou …" line in
    // the order the command wrote them (data_collect says where it runs before its progress), before
    // the next command's line.
    const inOrder = (...patterns: RegExp[]) => {
      let from = 0;
      for (const pattern of patterns) {
        const at = output.slice(from).search(pattern);
        expect(at, `${pattern} after offset ${from} in:\n${output}`).toBeGreaterThanOrEqual(0);
        from += at + 1;
      }
    };
    inOrder(/\$ caribou deploy /, /✔ Bundling src\/app\.ts/, /✔ Deploying 3 functions/, /Workflow id: small_sync_example-0\.0\.1/, /\$ caribou run /, /Run ID: /, /Started \d+ runs/, /\$ caribou log_sync/);
    inOrder(/\$ caribou data_collect all/, /Running data collector locally\./, /✔ Collecting regions and prices/, /✔ Collecting inter-region latency/, /Regions and prices \(local\): \d+ regions/, /Latency \(local\)/, /\$ caribou manage_deployments/);
    inOrder(/\$ caribou run_deployment_migrator/, /✔ Migrating small_sync_example-0\.0\.1/, /small_sync_example-0\.0\.1: migrated/, /\$ caribou run /);
    // True counts of where runs went: before any plan all 24 ran at home; after the migration the
    // 10 runs split into the home sample and the plan's placements, adding up to 10.
    expect(output).toContain('Started 24 runs: 24 at home (no placement plan in force)');
    const after = /Started 10 runs: (?:(\d+) at home \(the 10 % home sample\)(?:, )?)?(?:(\d+) placed by the plan \(hours from [^)]*\))?\n/.exec(output);
    expect(after, output).not.toBeNull();
    expect(Number(after![1] ?? 0) + Number(after![2] ?? 0)).toBe(10);
    expect(output).not.toMatch(/N\/A|\bFalse\b|\d{2}:\d{2}:\d{2},\d{6}/);
    inOrder(/\$ caribou plan /, /Wrote .*plan\.html/, /Plan for small_sync_example-0\.0\.1/, /\$ caribou log_sync/, /\$ caribou report /, /Wrote .*report\.html/, /Measured carbon of/, /Done in/);
  }, 180_000);

  it('the synced runs give an instance summary the solver loads', () => {
    const db = new Database(join(home, 'local.db'));
    const value = (table: string) => {
      const row = db.prepare('SELECT value, compressed FROM kv WHERE tbl = ? AND key = ?').get(table, WF) as { value: Buffer | string; compressed: number };
      return JSON.parse(row.compressed ? brotliDecompressSync(row.value as Buffer).toString('utf8') : String(row.value)) as Record<string, unknown>;
    };
    const summary = value('workflow_summary_table') as { logs: unknown[] };
    expect(summary.logs.length).toBeGreaterThanOrEqual(20);
    const instances = value('workflow_instance_table') as { instance_summary: Record<string, unknown> };
    expect(Object.keys(instances.instance_summary)).toHaveLength(3);
    const manager = value('deployment_manager_resource_table') as { workflow_config: string };
    const table = (name: string) =>
      Object.fromEntries(
        (db.prepare('SELECT key, value FROM kv WHERE tbl = ? AND value IS NOT NULL ORDER BY rowid').all(name) as Array<{ key: string; value: string }>).map((r) => [
          r.key,
          JSON.parse(String(Buffer.isBuffer(r.value) ? r.value.toString('utf8') : r.value)),
        ]),
      );
    const model = new WorkflowModel({
      workflowConfig: parseSolverWorkflowConfig(JSON.parse(manager.workflow_config)),
      tables: {
        available_regions_table: table('available_regions_table'),
        provider_region_table: table('provider_region_table'),
        carbon_region_table: table('carbon_region_table'),
        performance_region_table: table('performance_region_table'),
        workflow_summary: instances,
      },
      systemRegion: 'local:us-west-2',
    });
    db.close();
    expect(model.instanceNames).toHaveLength(3);
    expect(model.regionKeys).toContain('local:ca-central-1');
  });

  it('plan --json names moved instances and a negative Δ carbon per time key', async () => {
    const plan = await runCli(['plan', WF, '--json'], { env });
    expect(plan.code, plan.stderr).toBe(0);
    const report = JSON.parse(plan.stdout) as {
      status: string;
      time_keys: Array<{ time_key: string; moved_instances: string[]; delta: { average_carbon: { absolute: number }; tail_runtime: { percent: number } } | null }>;
    };
    expect(report.status).toBe('published');
    expect(report.time_keys.length).toBeGreaterThan(0);
    for (const key of report.time_keys) {
      expect(key.moved_instances.length, `time key ${key.time_key}`).toBeGreaterThan(0);
      expect(key.delta!.average_carbon.absolute, `time key ${key.time_key}`).toBeLessThan(0);
      // Moving the entry point away from the clients (at home by default) lengthens their hop.
      if (key.moved_instances.some((name) => name.endsWith(':entry_point:0')))
        expect(key.delta!.tail_runtime.percent, `time key ${key.time_key}`).toBeGreaterThan(0);
    }
    expect(readFileSync(join(home, 'plan.html'), 'utf8')).toContain('echarts.init');
  });

  it('report --json counts exactly the synced runs; savings agree with measured and the all-home counterfactual', async () => {
    const db = new Database(join(home, 'local.db'));
    const row = db.prepare('SELECT value, compressed FROM kv WHERE tbl = ? AND key = ?').get('workflow_summary_table', WF) as { value: Buffer | string; compressed: number };
    db.close();
    const synced = (JSON.parse(row.compressed ? brotliDecompressSync(row.value as Buffer).toString('utf8') : String(row.value)) as { logs: unknown[] }).logs;
    const result = await runCli(['report', WF, '--json'], { env });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      runs: number;
      runs_at_home: number;
      measured: { carbon_g: number; cost_usd: number; runtime_p95_s: number };
      home_counterfactual: { carbon_g: number; cost_usd: number; runtime_p95_s: number };
      savings: { carbon_g: number; carbon_pct: number; cost_pct: number; runtime_p95_pct: number };
      prediction: { carbon_pct: number } | null;
      by_day: Array<{ runs: number; carbon_g: number }>;
    };
    expect(report.runs).toBe(synced.length);
    expect(report.by_day.reduce((sum, day) => sum + day.runs, 0)).toBe(synced.length);
    const { measured, home_counterfactual: allHome, savings } = report;
    expect(savings.carbon_g).toBeCloseTo(allHome.carbon_g - measured.carbon_g, 12);
    expect(savings.carbon_pct).toBeCloseTo((measured.carbon_g / allHome.carbon_g - 1) * 100, 9);
    expect(savings.cost_pct).toBeCloseTo((measured.cost_usd / allHome.cost_usd - 1) * 100, 9);
    expect(savings.runtime_p95_pct).toBeCloseTo((measured.runtime_p95_s / allHome.runtime_p95_s - 1) * 100, 9);
    // The runs after the migration ran mostly in ca-central-1, whose grid is cleaner than us-east-1's.
    expect(report.runs_at_home).toBeLessThan(report.runs);
    expect(savings.carbon_g).toBeGreaterThan(0);
    expect(report.prediction!.carbon_pct).toBeLessThan(0);
    expect(readFileSync(join(home, 'report.html'), 'utf8')).toContain('echarts.init');
  });

  it('runs after the migration execute in the planned regions (checked from executions and log lines)', async () => {
    const hourBefore = new Date().getUTCHours();
    const run = await runCli(['run', WF, '-a', '{"execute_1": true, "execute_3": true}', '--wait', '--json', '--times', '10'], { env });
    expect(run.code, run.stderr).toBe(0);
    const results = JSON.parse(run.stdout) as Array<{ run_id: string; executions: Array<{ instance_name: string; region: string }> }>;
    const show = await runCli(['show', WF, '--json'], { env });
    const view = JSON.parse(show.stdout) as { placement: { current: { time_keys: string[]; instances: Record<string, Record<string, string>> } } };
    const keys = view.placement.current.time_keys.map(Number);
    const hour = new Date().getUTCHours();
    // Runs straddling an hour boundary may follow either hour's plan: try again in the next hour.
    if (hour !== hourBefore) return;
    const timeKey = String(Math.max(...keys.filter((k) => k <= hour)));
    const planned = view.placement.current.instances[timeKey]!;
    const db = new Database(join(home, 'local.db'));
    let followedPlan = 0;
    for (const result of results) {
      const regions = new Set(result.executions.map((e) => e.region));
      const atHome = [...regions].every((r) => r === 'local:us-east-1');
      if (atHome && Object.values(planned).some((r) => r !== 'local:us-east-1')) continue; // one of the 10 % sent home
      followedPlan += 1;
      for (const execution of result.executions) {
        expect(execution.region).toBe(planned[execution.instance_name]);
        // The function's own log lines for this run are in the planned region's copy.
        const region = execution.region.split(':')[1];
        const lines = db
          .prepare("SELECT count(*) AS n FROM logs WHERE region = ? AND line LIKE ? AND line LIKE '%EXECUTED: INSTANCE (' || ? || ')%'")
          .get(region, `%RUN_ID (${result.run_id})%`, execution.instance_name) as { n: number };
        expect(lines.n).toBe(1);
      }
    }
    db.close();
    expect(followedPlan).toBeGreaterThan(0);
  }, 60_000);
});
