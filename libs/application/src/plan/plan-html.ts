import type { PlanReport } from './plan-report';

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const signed = (value: number, digits = 1): string => `${value > 0 ? '+' : ''}${value.toFixed(digits)}`;

/**
 * The plan as one self-contained HTML file: a table per time key and a chart of the
 * expected carbon per invocation for every UTC hour, home vs plan. The charting library's
 * source is passed in and inlined, so the file opens anywhere without a network.
 */
export function renderPlanHtml(report: PlanReport, chartLibrarySource: string): string {
  const hours = Array.from({ length: 24 }, (_, hour) => hour);
  const keyOf = (hour: number) => report.time_keys.find((k) => k.hours.includes(hour));
  const plan = hours.map((hour) => keyOf(hour)?.metrics?.average_carbon ?? null);
  const home = hours.map((hour) => keyOf(hour)?.home_metrics?.average_carbon ?? null);
  const option = {
    title: { text: `Expected carbon per invocation — ${report.workflow_id}`, left: 'center' },
    tooltip: { trigger: 'axis' },
    legend: { data: ['all at home', 'plan'], top: 30 },
    grid: { top: 70, left: 80, right: 30, bottom: 50 },
    xAxis: { type: 'category', name: 'UTC hour', nameLocation: 'middle', nameGap: 30, data: hours.map((h) => `${h}:00`) },
    yAxis: { type: 'value', name: 'gCO₂e' },
    series: [
      { name: 'all at home', type: 'line', step: 'end', data: home, lineStyle: { type: 'dashed' } },
      { name: 'plan', type: 'line', step: 'end', data: plan, areaStyle: { opacity: 0.15 } },
    ],
  };
  const rows = report.time_keys
    .map((key) => {
      const d = key.delta;
      const deltas = d
        ? `Δ carbon ${d.average_carbon.percent === null ? signed(d.average_carbon.absolute, 6) : `${signed(d.average_carbon.percent)} %`}, ` +
          `Δ cost ${d.average_cost.percent === null ? signed(d.average_cost.absolute, 8) : `${signed(d.average_cost.percent)} %`}, ` +
          `Δ p95 runtime ${d.tail_runtime.percent === null ? signed(d.tail_runtime.absolute, 3) : `${signed(d.tail_runtime.percent)} %`}`
        : 'no home metrics recorded';
      const instances = key.instances
        .map((i) => `<tr${i.moved ? ' class="moved"' : ''}><td>${escapeHtml(i.instance_name)}</td><td>${escapeHtml(i.region)}</td><td>${escapeHtml(i.home_region)}</td></tr>`)
        .join('');
      return `<h2>From ${key.time_key}:00 UTC (hours ${key.hours[0]}–${key.hours[key.hours.length - 1]})</h2><p>${escapeHtml(deltas)}</p>
<table><thead><tr><th>instance</th><th>runs in</th><th>home</th></tr></thead><tbody>${instances}</tbody></table>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Caribou plan — ${escapeHtml(report.workflow_id)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px}table{border-collapse:collapse;margin-bottom:1rem}
td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:left;font-size:.9rem}tr.moved td{background:#e8f6ea}#chart{height:420px}</style>
</head><body>
<h1>Plan for ${escapeHtml(report.workflow_id)}</h1>
<p>Status: ${report.status === 'staged' ? 'staged (run caribou run_deployment_migrator to apply)' : `published${report.published_at ? ` ${escapeHtml(report.published_at)}` : ''}`}; ${report.expired ? 'expired' : 'expires'} ${escapeHtml(report.expiry_time)}. Moved instances are highlighted.</p>
<div id="chart"></div>
${rows}
<script>${chartLibrarySource.replace(/<\/script/gi, '<\\/script')}</script>
<script>const option = ${JSON.stringify(option)};
option.yAxis.axisLabel = { formatter: (value) => value.toExponential(1) };
echarts.init(document.getElementById('chart')).setOption(option);</script>
</body></html>
`;
}
