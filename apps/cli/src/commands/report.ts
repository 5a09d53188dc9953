import { Args, Flags } from '@oclif/core';
import {
  carbonUnitFor,
  formatCarbon,
  formatPercent,
  formatSeconds,
  formatUsd,
  renderCarbonReportHtml,
  type CarbonReportResult,
  type CarbonReportService,
} from '@caribou/application';
import { CaribouCommand } from '../base-command';
import { writeHtmlFile } from '../html-file';
import { echartsSource } from '../chart-library';
import { SERVICES } from '../composition/tokens';

export default class Report extends CaribouCommand {
  static override summary = 'Report what a workflow really emitted, cost and took, and what shifting saved.';
  static override description = [
    'Measured from the synced runs only (caribou log_sync first): the energy of every execution (duration,',
    "memory, CPU utilisation and the model's power figures) times the grid intensity of its region in the UTC",
    'hour the run started, plus the bytes moved; cost from the collected prices (requests, GB-seconds,',
    'DynamoDB operations, inter-region transfer); runtime end to end. Compared with the same runs with every',
    'function at home (durations scaled by the relative performance measured where a function ran in both),',
    "and with what the active plan predicted. Runs that ran at home (the 10 % control group) give the home runtime.",
    '--json prints the figures (grams, USD, seconds; negative *_pct = lower than at home); --html writes one',
    'self-contained page with charts.',
  ].join(' ');
  static override examples = [
    '<%= config.bin %> report small_sync_example-0.0.1',
    '<%= config.bin %> report small_sync_example-0.0.1 --since 2026-12-01 --until 2026-12-07 --json',
    '<%= config.bin %> report small_sync_example-0.0.1 --html report.html',
  ];
  static override args = { workflow_id: Args.string({ required: true, description: 'Workflow id, <name>-<version>.' }) };
  static override flags = {
    since: Flags.string({ description: 'Only runs that started on or after this UTC day (YYYY-MM-DD) or ISO 8601 time. Default: all synced runs.' }),
    until: Flags.string({ description: 'Only runs that started on or before this UTC day (inclusive) or ISO 8601 time.' }),
    json: Flags.boolean({ description: 'Print the report as JSON.' }),
    html: Flags.string({ description: 'Write the report as a self-contained HTML page with charts to this file.' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Report);
    const service = (await this.services(flags.provider)).get<CarbonReportService>(SERVICES.Report);
    const result = await service.report({
      workflowId: args.workflow_id,
      ...(flags.since !== undefined ? { since: flags.since } : {}),
      ...(flags.until !== undefined ? { until: flags.until } : {}),
    });
    if (flags.html) {
      const file = writeHtmlFile(flags.html, renderCarbonReportHtml(result.report, result.details, echartsSource()), 'report.html');
      if (!flags.json) this.log(`Wrote ${file}`);
    }
    if (flags.json) {
      for (const note of result.notes) process.stderr.write(`Note: ${note}\n`);
      return this.printJson(result.report);
    }
    this.printReport(result);
  }

  private printReport({ report, details, notes }: CarbonReportResult): void {
    const { measured, home_counterfactual: home, savings, prediction } = report;
    const unit = carbonUnitFor(Math.max(measured.carbon_g, home.carbon_g));
    const g = (grams: number) => formatCarbon(grams, unit);
    const when = (iso: string | null) => (iso ? iso.replace('T', ' ').slice(0, 16) : '');
    // --since alone bounds only the start: "from …", not an arrow to nothing.
    const period = report.period.to ? `${when(report.period.from)} → ${when(report.period.to)} UTC` : `from ${when(report.period.from)} UTC`;
    this.log(`Measured carbon of ${report.workflow_id}${report.period.from ? `, ${period}` : ''}`);
    if (report.runs === 0) {
      this.log('  no synced runs in this period');
      return;
    }
    const label = (text: string) => `  ${text.padEnd(16)}`;
    this.log(`${label('runs')}${report.runs} (${report.runs_at_home} all at home in ${details.home_region}: the control group and runs without a plan)`);
    this.log(`${label('emitted')}${g(measured.carbon_g)} (all at home ${g(home.carbon_g)})`);
    this.log(`${label('saved')}${g(savings.carbon_g)} (${formatPercent(savings.carbon_pct)} vs all at home)`);
    const items = details.cost_items.measured;
    this.log(
      `${label('cost')}${formatUsd(measured.cost_usd)} (${formatPercent(savings.cost_pct)}; all at home ${formatUsd(home.cost_usd)}) — ` +
        `requests ${formatUsd(items.requests)}, compute ${formatUsd(items.compute)}, DynamoDB ${formatUsd(items.dynamodb)}, transfer ${formatUsd(items.transfer)}`,
    );
    this.log(
      `${label('runtime')}p95 ${formatSeconds(measured.runtime_p95_s)} (${formatPercent(savings.runtime_p95_pct)}; all at home ${formatSeconds(home.runtime_p95_s)}` +
        `${details.home_runtime_source === 'runs at home' ? ', measured on the runs at home' : ', durations scaled to home'}), p50 ${formatSeconds(measured.runtime_p50_s)}`,
    );
    this.log(
      prediction
        ? `${label('plan predicted')}carbon ${formatPercent(prediction.carbon_pct)}, cost ${formatPercent(prediction.cost_pct)}, p95 runtime ${formatPercent(prediction.runtime_p95_pct)}` +
            ` (measured ${formatPercent(savings.carbon_pct)}, ${formatPercent(savings.cost_pct)}, ${formatPercent(savings.runtime_p95_pct)})`
        : `${label('plan predicted')}nothing: no published plan with home metrics (caribou manage_deployments, then run_deployment_migrator)`,
    );
    this.log('By day (UTC)');
    for (const day of report.by_day)
      this.log(`  ${day.day}  ${String(day.runs).padStart(5)} runs  ${g(day.carbon_g)} (all at home ${g(day.home_carbon_g)}, ${formatPercent(day.home_carbon_g === 0 ? null : (day.carbon_g / day.home_carbon_g - 1) * 100)})`);
    this.log('By function (runs per region)');
    const width = Math.max(...report.by_function.map((f) => f.function.length));
    for (const fn of report.by_function) {
      const where = Object.entries(fn.regions).map(([region, runs]) => `${region} × ${runs}`).join(', ') || 'no runs';
      const change = fn.home_carbon_g === 0 ? '' : `, ${formatPercent((fn.carbon_g / fn.home_carbon_g - 1) * 100)}`;
      this.log(`  ${fn.function.padEnd(width)}  ${g(fn.carbon_g)} (all at home ${g(fn.home_carbon_g)}${change})  ran in ${where}`);
    }
    for (const note of notes) this.log(`Note: ${note}`);
  }
}
