import type { CarbonReport, CarbonReportDetails } from '@caribou/domain-accounting';
import { carbonUnitFor, formatCarbon, formatPercent, formatSeconds, formatUsd, threeDigits } from './report-format';

/**
 * Where the page puts things, in CSS pixels at a 1200 px wide viewport: a summary band, then
 * four charts in two rows of two (cumulative carbon, savings per day, where functions ran,
 * predicted vs measured), then the tables. Fixed so a screenshot can be checked chart by chart.
 */
export const REPORT_LAYOUT = { widthPx: 1200, summaryHeightPx: 170, chartWidthPx: 600, chartHeightPx: 400, chartIds: ['cumulative', 'daily', 'placement', 'prediction'] } as const;

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JSON inside a <script> element: `</script` and `<!--` must not appear literally. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * `caribou report --html`: one self-contained file. The charting library's source is passed
 * in and inlined (no network needed to open it), and every chart is drawn without animation
 * so that what a browser shows at load is the final picture.
 */
export function renderCarbonReportHtml(report: CarbonReport, details: CarbonReportDetails, chartLibrarySource: string): string {
  const { measured, home_counterfactual: home, savings } = report;
  const unit = carbonUnitFor(Math.max(home.carbon_g, measured.carbon_g));
  const inUnit = (grams: number) => Number(threeDigits(grams * unit.perGram));
  const axisName = `${unit.unit} CO₂e`;

  let cumulative = 0;
  let cumulativeHome = 0;
  const measuredSeries: Array<[number, number]> = [];
  const homeSeries: Array<[number, number]> = [];
  for (const point of details.timeline) {
    cumulative += point.carbon_g;
    cumulativeHome += point.home_carbon_g;
    measuredSeries.push([point.start_ms, inUnit(cumulative)]);
    homeSeries.push([point.start_ms, inUnit(cumulativeHome)]);
  }
  const base = { animation: false, textStyle: { fontFamily: 'system-ui, sans-serif' } };
  const cumulativeChart = {
    ...base,
    title: { text: 'Cumulative emissions', left: 'center', textStyle: { fontSize: 15 } },
    tooltip: { trigger: 'axis' },
    legend: { top: 28, data: ['measured', 'all at home'] },
    grid: { top: 70, left: 70, right: 25, bottom: 45 },
    xAxis: { type: 'time', name: 'run start (UTC)', nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', name: axisName },
    series: [
      { name: 'all at home', type: 'line', step: 'end', showSymbol: false, data: homeSeries, lineStyle: { type: 'dashed', width: 2 }, color: '#9a9a9a' },
      { name: 'measured', type: 'line', step: 'end', showSymbol: false, data: measuredSeries, areaStyle: { opacity: 0.2 }, lineStyle: { width: 2 }, color: '#2e8b57' },
    ],
  };
  const dailyChart = {
    ...base,
    title: { text: `Saved per day (${unit.unit} CO₂e vs all at home)`, left: 'center', textStyle: { fontSize: 15 } },
    tooltip: { trigger: 'axis' },
    grid: { top: 60, left: 70, right: 25, bottom: 45 },
    xAxis: { type: 'category', data: report.by_day.map((d) => d.day) },
    yAxis: { type: 'value', name: axisName },
    series: [
      {
        name: 'saved',
        type: 'bar',
        barMaxWidth: 60,
        color: '#2e8b57',
        data: report.by_day.map((d) => ({
          value: inUnit(d.home_carbon_g - d.carbon_g),
          label: { show: true, position: 'top', formatter: formatPercent(d.home_carbon_g === 0 ? null : (d.carbon_g / d.home_carbon_g - 1) * 100) },
        })),
      },
    ],
  };
  const rows = [...new Set(details.placements_by_hour.map((c) => `${c.function} @ ${c.region}`))].sort();
  const placementChart = {
    ...base,
    title: { text: 'Where each function ran (runs per UTC hour)', left: 'center', textStyle: { fontSize: 15 } },
    tooltip: { position: 'top' },
    grid: { top: 45, left: 190, right: 20, bottom: 80 },
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => String(h)), name: 'UTC hour', nameLocation: 'middle', nameGap: 25, splitArea: { show: true } },
    yAxis: { type: 'category', data: rows, axisLabel: { width: 175, overflow: 'truncate' }, splitArea: { show: true } },
    visualMap: {
      min: 0,
      max: Math.max(1, ...details.placements_by_hour.map((c) => c.runs)),
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 5,
      itemHeight: 120,
      inRange: { color: ['#e6f4ea', '#2e8b57', '#0b3d20'] },
    },
    series: [
      {
        name: 'runs',
        type: 'heatmap',
        label: { show: true, fontSize: 10 },
        data: details.placements_by_hour.map((c) => [c.hour, rows.indexOf(`${c.function} @ ${c.region}`), c.runs]),
      },
    ],
  };
  const metricsNames = ['carbon', 'cost', 'p95 runtime'];
  const measuredPct = [savings.carbon_pct, savings.cost_pct, savings.runtime_p95_pct];
  const predictedPct = report.prediction ? [report.prediction.carbon_pct, report.prediction.cost_pct, report.prediction.runtime_p95_pct] : null;
  const pctData = (values: Array<number | null>) =>
    values.map((v) => (v === null ? '-' : { value: Math.round(v * 10) / 10, label: { show: true, position: v < 0 ? 'bottom' : 'top', formatter: formatPercent(v) } }));
  const predictionChart = {
    ...base,
    title: {
      text: 'Predicted vs measured (change vs all at home)',
      subtext: predictedPct ? 'prediction: the active plan, 10 % of runs at home' : 'no active plan with home metrics: measured only',
      left: 'center',
      textStyle: { fontSize: 15 },
    },
    tooltip: { trigger: 'axis' },
    legend: { top: 48, data: predictedPct ? ['predicted', 'measured'] : ['measured'] },
    grid: { top: 85, left: 60, right: 25, bottom: 35 },
    xAxis: { type: 'category', data: metricsNames },
    yAxis: { type: 'value', name: '%' },
    series: [
      ...(predictedPct ? [{ name: 'predicted', type: 'bar', color: '#8fb3d9', data: pctData(predictedPct) }] : []),
      { name: 'measured', type: 'bar', color: '#2e8b57', data: pctData(measuredPct) },
    ],
  };

  const dayRows = report.by_day
    .map(
      (d) =>
        `<tr><td>${d.day}</td><td>${d.runs}</td><td>${escapeHtml(formatCarbon(d.carbon_g, unit, ''))}</td><td>${escapeHtml(formatCarbon(d.home_carbon_g, unit, ''))}</td>` +
        `<td>${escapeHtml(formatPercent(d.home_carbon_g === 0 ? null : (d.carbon_g / d.home_carbon_g - 1) * 100))}</td></tr>`,
    )
    .join('');
  const functionRows = report.by_function
    .map(
      (f) =>
        `<tr><td>${escapeHtml(f.function)}</td><td>${escapeHtml(Object.entries(f.regions).map(([r, n]) => `${r} × ${n}`).join(', ') || '—')}</td>` +
        `<td>${escapeHtml(formatCarbon(f.carbon_g, unit, ''))}</td><td>${escapeHtml(formatCarbon(f.home_carbon_g, unit, ''))}</td></tr>`,
    )
    .join('');
  const minute = (iso: string) => iso.replace('T', ' ').slice(0, 16);
  const period = report.period.from ? (report.period.to ? `${minute(report.period.from)} → ${minute(report.period.to)} UTC` : `from ${minute(report.period.from)} UTC`) : 'no runs';
  const tile = (label: string, value: string, sub: string) => `<div class="tile"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div><div class="sub">${escapeHtml(sub)}</div></div>`;
  const L = REPORT_LAYOUT;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Caribou report — ${escapeHtml(report.workflow_id)}</title>
<style>
body{margin:0;font-family:system-ui,sans-serif;color:#1d2b22;background:#fff}
#summary{box-sizing:border-box;width:${L.widthPx}px;height:${L.summaryHeightPx}px;overflow:hidden;padding:12px 20px}
h1{font-size:21px;margin:0 0 4px}p.meta{margin:0 0 10px;color:#555;font-size:13px}
.tiles{display:flex;gap:12px}.tile{flex:1;border:1px solid #d6e4da;border-radius:6px;padding:6px 10px;background:#f6fbf7}
.label{font-size:12px;color:#555}.value{font-size:19px;font-weight:600}.sub{font-size:12px;color:#555}
#charts{display:grid;grid-template-columns:${L.chartWidthPx}px ${L.chartWidthPx}px;grid-auto-rows:${L.chartHeightPx}px;width:${L.widthPx}px}
#charts>div{width:${L.chartWidthPx}px;height:${L.chartHeightPx}px}
section{width:${L.widthPx - 40}px;padding:10px 20px}table{border-collapse:collapse;margin-bottom:1rem}
td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:left;font-size:.85rem}
</style></head><body>
<div id="summary">
<h1>Measured carbon of ${escapeHtml(report.workflow_id)}</h1>
<p class="meta">${escapeHtml(period)} · ${report.runs} runs, ${report.runs_at_home} all at home (${escapeHtml(details.home_region)}) · measured from synced runs; all at home = the same runs with every function at home</p>
<div class="tiles">
${tile('emitted', formatCarbon(measured.carbon_g, unit, ' CO₂e'), `all at home ${formatCarbon(home.carbon_g, unit, '')}`)}
${tile('saved', formatCarbon(savings.carbon_g, unit, ''), `${formatPercent(savings.carbon_pct)} vs all at home`)}
${tile('cost', formatUsd(measured.cost_usd), `${formatPercent(savings.cost_pct)} (home ${formatUsd(home.cost_usd)})`)}
${tile('p95 runtime', formatSeconds(measured.runtime_p95_s), `${formatPercent(savings.runtime_p95_pct)} (home ${formatSeconds(home.runtime_p95_s)})`)}
${tile('plan predicted', report.prediction ? formatPercent(report.prediction.carbon_pct) : 'no active plan', report.prediction ? `carbon; cost ${formatPercent(report.prediction.cost_pct)}, p95 ${formatPercent(report.prediction.runtime_p95_pct)}` : '')}
</div></div>
<div id="charts">${L.chartIds.map((id) => `<div id="${id}"></div>`).join('')}</div>
<section><h2>By day</h2><table><thead><tr><th>day (UTC)</th><th>runs</th><th>emitted (${unit.unit} CO₂e)</th><th>all at home</th><th>change</th></tr></thead><tbody>${dayRows}</tbody></table>
<h2>By function</h2><table><thead><tr><th>function</th><th>ran in (runs)</th><th>emitted (${unit.unit} CO₂e)</th><th>all at home</th></tr></thead><tbody>${functionRows}</tbody></table></section>
<script>${chartLibrarySource.replace(/<\/script/gi, '<\\/script')}</script>
<script>const charts = ${scriptJson({ cumulative: cumulativeChart, daily: dailyChart, placement: placementChart, prediction: predictionChart })};
for (const [id, option] of Object.entries(charts)) echarts.init(document.getElementById(id), null, { renderer: 'canvas' }).setOption(option);</script>
</body></html>
`;
}
