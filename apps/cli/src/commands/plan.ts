import { Args, Flags } from '@oclif/core';
import { groupConsecutive, readableTime } from '@caribou/domain-common';
import { placementSignature, renderPlanHtml, type MetricDelta, type PlanReport } from '@caribou/application';
import { CaribouCommand } from '../base-command';
import { writeHtmlFile } from '../html-file';
import { echartsSource } from '../chart-library';
import { SERVICES } from '../composition/tokens';

export default class Plan extends CaribouCommand {
  static override summary = "Show a workflow's plan: where each function runs per hour, and what it saves.";
  static override description = [
    'Reads the staged plan (if manage_deployments made one that is not migrated yet) or the published one.',
    'For every time key: the region of each instance, which instances moved from home, and the change in',
    'expected carbon, cost and p95 runtime against running everything at home (solver estimates).',
    '--html writes a single self-contained HTML report with a chart of carbon per hour, home vs plan.',
  ].join(' ');
  static override args = { workflow_id: Args.string({ required: true, description: 'Workflow id, <name>-<version>.' }) };
  static override flags = {
    json: Flags.boolean({ description: 'Print the report as JSON.' }),
    html: Flags.string({ description: 'Write an HTML report to this file.' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Plan);
    const report = await (await this.services(flags.provider)).get(SERVICES.PlanReport).report(args.workflow_id);
    if (flags.html) {
      const file = writeHtmlFile(flags.html, renderPlanHtml(report, echartsSource()), 'plan.html');
      if (!flags.json) this.log(`Wrote ${file}`);
    }
    if (flags.json) return this.printJson(report);
    this.printReport(report);
  }

  private printReport(report: PlanReport): void {
    const expiry = report.expired ? `expired ${readableTime(report.expiry_time)}: runs go home until the next plan` : `expires ${readableTime(report.expiry_time)}`;
    this.log(`Plan for ${report.workflow_id} (${report.status}; ${expiry})`);
    // Consecutive time keys with the same placement read as one block (a plan often repeats itself).
    for (const block of groupConsecutive(report.time_keys, placementSignature)) {
      const first = block[0]!;
      const lastHour = block[block.length - 1]!.hours.at(-1) ?? 23;
      const deltas = block.map((k) => k.delta).filter((d) => d !== null);
      const summary = deltas.length
        ? `Δ carbon ${range(deltas.map((d) => d.average_carbon))}, Δ cost ${range(deltas.map((d) => d.average_cost))}, Δ p95 runtime ${range(deltas.map((d) => d.tail_runtime))}`
        : 'no home metrics recorded';
      this.log(
        `  ${pad(first.hours[0] ?? 0)}:00–${pad(lastHour)}:59 UTC (time key${block.length > 1 ? 's' : ''} ${block.map((k) => k.time_key).join(', ')}) — ` +
          `${first.moved_instances.length} of ${first.instances.length} moved; ${summary}`,
      );
      for (const i of first.instances) this.log(`    ${i.moved ? '→' : ' '} ${i.instance_name}  ${i.region}${i.moved ? `  (home ${i.home_region})` : ''}`);
    }
  }
}

const pad = (hour: number) => String(hour).padStart(2, '0');

/** One delta, or the span of several (e.g. "-31.9 % … -30.6 %"). */
function range(deltas: MetricDelta[]): string {
  const texts = deltas.map(pct);
  const values = deltas.map((d) => d.percent ?? d.absolute);
  if (new Set(texts).size === 1) return texts[0]!;
  const low = deltas[values.indexOf(Math.min(...values))]!;
  const high = deltas[values.indexOf(Math.max(...values))]!;
  return `${pct(low)} … ${pct(high)}`;
}

function pct(delta: MetricDelta): string {
  return delta.percent === null ? `${delta.absolute}` : `${delta.percent > 0 ? '+' : ''}${delta.percent.toFixed(1)} %`;
}
