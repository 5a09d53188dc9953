import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { CaribouError } from '@caribou/domain-common';
import { PlanReportService, renderPlanHtml, type MetricDelta, type PlanReport } from '@caribou/application';
import { TOKENS, type KeyValueStore } from '@caribou/ports';
import { CaribouCommand } from '../base-command';

export default class Plan extends CaribouCommand {
  static override summary = 'Show the plan of a workflow: where each function runs per hour, and what it saves.';
  static override description = [
    'Reads the staged plan (if manage_deployments made one that is not migrated yet) or the published one.',
    'For every time key: the region of each instance, which instances moved from home, and the change in',
    'expected carbon, cost and p95 runtime against running everything at home (solver estimates).',
    '--html writes a single self-contained HTML report with a chart of carbon per hour, home vs plan.',
  ].join('\n');
  static override args = { workflow_id: Args.string({ required: true, description: 'Workflow id, <name>-<version>.' }) };
  static override flags = {
    json: Flags.boolean({ description: 'Print the report as JSON.' }),
    html: Flags.string({ description: 'Write an HTML report to this file.' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Plan);
    const report = await new PlanReportService((await this.services(flags.provider)).get<KeyValueStore>(TOKENS.KeyValueStore)).report(args.workflow_id);
    if (flags.html) {
      const file = resolve(flags.html);
      try {
        writeFileSync(file, renderPlanHtml(report, echartsSource()));
      } catch (error) {
        throw new CaribouError(`Could not write ${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!flags.json) this.log(`Wrote ${file}`);
    }
    if (flags.json) return this.printJson(report);
    this.printReport(report);
  }

  private printReport(report: PlanReport): void {
    this.log(`Plan for ${report.workflow_id} (${report.status}; expires ${report.expiry_time})`);
    for (const key of report.time_keys) {
      const d = key.delta;
      const summary = d
        ? `Δ carbon ${pct(d.average_carbon)}, Δ cost ${pct(d.average_cost)}, Δ p95 runtime ${pct(d.tail_runtime)}`
        : 'no home metrics recorded';
      this.log(`  from ${key.time_key.padStart(2, '0')}:00 UTC — ${key.moved_instances.length} of ${key.instances.length} moved; ${summary}`);
      for (const i of key.instances) this.log(`    ${i.moved ? '→' : ' '} ${i.instance_name}  ${i.region}${i.moved ? `  (home ${i.home_region})` : ''}`);
    }
  }
}

function pct(delta: MetricDelta): string {
  return delta.percent === null ? `${delta.absolute}` : `${delta.percent > 0 ? '+' : ''}${delta.percent.toFixed(1)} %`;
}

/** The charting library inlined into the report (Apache ECharts, Apache-2.0). */
function echartsSource(): string {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
}
