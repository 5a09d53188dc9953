import { groupConsecutive, readableTime } from '@caribou/domain-common';
import { functionNameOfInstanceName } from '@caribou/domain-workflow';
import { carbonUnitFor, formatCarbon, formatPercent, formatSeconds, formatUsd, threeDigits, type CarbonUnit } from '../report/report-format';
import { placementSignature, type MetricDelta, type PlanReport, type TimeKeyReport } from './plan-report';

/**
 * Where the page draws the chart, in CSS pixels: a header band, then the chart with a fixed
 * plotting grid, so that a screenshot can be checked hour by hour (plan.e2e.spec.ts).
 */
export const PLAN_LAYOUT = {
  widthPx: 1100,
  headerHeightPx: 110,
  chartHeightPx: 480,
  grid: { top: 110, left: 90, right: 40, bottom: 60 },
  planColour: '#2e8b57',
  homeColour: '#9a9a9a',
} as const;

/** The id of the JSON element holding the chart's option (the page draws from it; tests read it). */
export const PLAN_CHART_OPTION_ID = 'plan-chart-option';

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JSON inside a <script> element: `</script` and `<!--` must not appear literally. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

const hourLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00`;
const hoursText = (first: number, last: number) => `${hourLabel(first)}–${String(last).padStart(2, '0')}:59 UTC`;

/** Names for the plan's metrics; a metric added later still shows, under its own key. */
const METRIC_NAMES: Record<string, string> = { average_carbon: 'carbon', average_cost: 'cost', tail_runtime: 'p95 runtime', average_runtime: 'runtime' };

function absolute(metric: string, value: number, unit: CarbonUnit): string {
  const sign = value > 0 ? '+' : value < 0 ? '-' : '';
  if (metric.endsWith('carbon')) return `${sign}${formatCarbon(Math.abs(value), unit)}`;
  if (metric.endsWith('cost')) return `${sign}${formatUsd(Math.abs(value))}`;
  if (metric.endsWith('runtime')) return `${sign}${formatSeconds(Math.abs(value))}`;
  return `${sign}${threeDigits(Math.abs(value))}`;
}

/** One change, or the span of a block's changes: `-60.0 %`, `-61.2 % to -58.0 %`. */
function changeText(metric: string, deltas: MetricDelta[], unit: CarbonUnit): string {
  const texts = deltas.map((d) => (d.percent === null ? absolute(metric, d.absolute, unit) : formatPercent(d.percent)));
  if (new Set(texts).size === 1) return texts[0]!;
  const values = deltas.map((d) => d.percent ?? d.absolute);
  return `${texts[values.indexOf(Math.min(...values))]} to ${texts[values.indexOf(Math.max(...values))]}`;
}

/** `execute_2, execute_3 → aws:ca-central-1`, one clause per destination; `all at home` when nothing moved. */
function movesText(block: TimeKeyReport): string {
  const byRegion = new Map<string, Set<string>>();
  for (const instance of block.instances.filter((i) => i.moved)) {
    const names = byRegion.get(instance.region) ?? new Set<string>();
    names.add(functionNameOfInstanceName(instance.instance_name));
    byRegion.set(instance.region, names);
  }
  if (byRegion.size === 0) return 'all at home';
  return [...byRegion].map(([region, names]) => `${[...names].join(', ')} → ${region}`).join('; ');
}

/** A round axis maximum at or above `value` (1, 2, 2.5, 5 × 10^n). */
function niceCeil(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= value)!;
  return Number((step * magnitude).toPrecision(3));
}

const mean = (values: number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;

/**
 * The plan as one self-contained HTML file: a chart of the expected carbon per run for every
 * UTC hour (plan vs all at home, in mg or g as the values call for), the day's average and
 * change, and each run of hours with the same placement marked once with what moved where.
 * Below it, one table per such run of hours. The charting library's source is passed in and
 * inlined, so the file opens without a network; the chart is drawn without animation, so what
 * a browser or a screenshot shows at load is the final picture.
 */
export function renderPlanHtml(report: PlanReport, chartLibrarySource: string): string {
  const L = PLAN_LAYOUT;
  const hours = Array.from({ length: 24 }, (_, hour) => hour);
  const keyOf = (hour: number) => report.time_keys.find((k) => k.hours.includes(hour));
  const planGrams = hours.map((hour) => keyOf(hour)?.metrics?.average_carbon ?? null);
  const homeGrams = hours.map((hour) => keyOf(hour)?.home_metrics?.average_carbon ?? null);
  const known = [...planGrams, ...homeGrams].filter((v): v is number => v !== null);
  const unit = carbonUnitFor(Math.max(0, ...known));
  const inUnit = (grams: number | null) => (grams === null ? null : Number(threeDigits(grams * unit.perGram)));
  const plan = planGrams.map(inUnit);
  const home = homeGrams.map(inUnit);
  const homeRegion = report.time_keys[0]?.instances[0]?.home_region ?? '';

  const planDay = planGrams.every((v) => v !== null) ? mean(planGrams as number[]) : null;
  const homeDay = homeGrams.every((v) => v !== null) ? mean(homeGrams as number[]) : null;
  const dayChange = planDay !== null && homeDay !== null && homeDay !== 0 ? ((planDay - homeDay) / homeDay) * 100 : null;
  const totals =
    planDay === null
      ? 'the plan has no expected carbon for some hours'
      : `Average over the day: ${formatCarbon(planDay, unit, ' CO₂e')} per run with the plan` +
        (homeDay === null ? '' : `, ${formatCarbon(homeDay, unit, ' CO₂e')} all at home (${formatPercent(dayChange)})`);

  const blocks = groupConsecutive(report.time_keys, placementSignature);
  const blockHours = (block: TimeKeyReport[]) => block.flatMap((k) => k.hours).sort((a, b) => a - b);
  const plotWidth = L.widthPx - L.grid.left - L.grid.right;
  const band = plotWidth / 24;
  const carbonChange = (block: TimeKeyReport[]) => {
    const deltas = block.map((k) => k.delta?.average_carbon).filter((d): d is MetricDelta => d !== undefined);
    return deltas.length ? changeText('average_carbon', deltas, unit) : 'no home figures';
  };
  // Each run of hours with one placement is shaded once and says what moved where and the change.
  const areas = blocks.flatMap((block, index) => {
    const covered = blockHours(block);
    if (covered.length === 0) return [];
    const x0 = L.grid.left + covered[0]! * band;
    const x1 = L.grid.left + (covered.at(-1)! + 1) * band;
    return [
      [
        {
          x: x0,
          y: L.grid.top,
          itemStyle: { color: index % 2 === 0 ? 'rgba(70, 110, 200, 0.13)' : 'rgba(70, 110, 200, 0.05)' },
          label: {
            show: true,
            position: 'insideTop',
            color: '#222',
            fontSize: 11,
            lineHeight: 15,
            width: Math.max(20, x1 - x0 - 6),
            overflow: 'break',
            formatter: `carbon ${carbonChange(block)}\n${movesText(block[0]!)}`,
          },
        },
        { x: x1, y: L.chartHeightPx - L.grid.bottom },
      ],
    ];
  });
  const finite = [...plan, ...home].filter((v): v is number => v !== null);
  const option = {
    animation: false,
    textStyle: { fontFamily: 'system-ui, sans-serif' },
    title: { text: 'Expected carbon per run, by UTC hour', subtext: totals, left: 'center', textStyle: { fontSize: 16 }, subtextStyle: { fontSize: 13, color: '#333' } },
    tooltip: { trigger: 'axis' },
    legend: { top: 58, data: [`all at home (${homeRegion})`, 'plan'] },
    grid: { ...L.grid, containLabel: false },
    xAxis: { type: 'category', name: 'UTC hour', nameLocation: 'middle', nameGap: 32, data: hours.map(hourLabel), axisLabel: { interval: 1 } },
    // Fixed extent, with headroom for the labels of the shaded hours.
    yAxis: { type: 'value', name: `${unit.unit} CO₂e per run`, min: 0, max: niceCeil(Math.max(0, ...finite) * 1.45) },
    series: [
      {
        name: `all at home (${homeRegion})`,
        type: 'line',
        data: home,
        color: L.homeColour,
        symbol: 'circle',
        symbolSize: 5,
        lineStyle: { type: 'dashed', width: 2 },
      },
      {
        name: 'plan',
        type: 'line',
        data: plan,
        color: L.planColour,
        symbol: 'circle',
        symbolSize: 9,
        lineStyle: { width: 2.5 },
        markArea: { silent: true, data: areas },
      },
    ],
  };

  const sections = blocks
    .map((block) => {
      const first = block[0]!;
      const covered = blockHours(block);
      const when = covered.length ? hoursText(covered[0]!, covered.at(-1)!) : '';
      const metrics = [...new Set(block.flatMap((k) => Object.keys(k.delta ?? {})))];
      const changes = metrics.length
        ? metrics
            .map((metric) => {
              const deltas = block.map((k) => (k.delta as Record<string, MetricDelta> | null)?.[metric]).filter((d): d is MetricDelta => d !== undefined);
              return `${METRIC_NAMES[metric] ?? metric.replace(/_/g, ' ')} ${changeText(metric, deltas, unit)}`;
            })
            .join(', ') + ' vs all at home'
        : 'no home figures recorded';
      const rows = first.instances
        .map(
          (i) =>
            `<tr${i.moved ? ' class="moved"' : ''}><td>${escapeHtml(functionNameOfInstanceName(i.instance_name))}</td><td>${escapeHtml(i.region)}</td>` +
            `<td>${escapeHtml(i.moved ? `moved from ${i.home_region}` : 'home')}</td><td class="instance">${escapeHtml(i.instance_name)}</td></tr>`,
        )
        .join('');
      return `<h2>${escapeHtml(when)} · ${first.moved_instances.length} of ${first.instances.length} moved</h2>
<p>${escapeHtml(movesText(first))} · ${escapeHtml(changes)}</p>
<table><thead><tr><th>function</th><th>runs in</th><th></th><th>instance</th></tr></thead><tbody>${rows}</tbody></table>`;
    })
    .join('\n');

  const status =
    report.status === 'staged'
      ? 'staged: caribou run_deployment_migrator puts it in force'
      : `in force${report.published_at ? ` since ${readableTime(report.published_at)}` : ''}`;
  const expiry = `${report.expired ? 'expired' : 'expires'} ${readableTime(report.expiry_time)}${report.expired ? ': runs go home until the next plan' : ''}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Caribou plan — ${escapeHtml(report.workflow_id)}</title>
<style>
body{margin:0;font-family:system-ui,sans-serif;color:#1d2b22;background:#fff}
#header{box-sizing:border-box;width:${L.widthPx}px;height:${L.headerHeightPx}px;overflow:hidden;padding:14px 20px}
h1{font-size:22px;margin:0 0 6px}#header p{margin:0 0 4px;font-size:14px;color:#444}
#chart{width:${L.widthPx}px;height:${L.chartHeightPx}px}
section{width:${L.widthPx - 40}px;padding:10px 20px}h2{font-size:17px;margin:18px 0 4px}
table{border-collapse:collapse;margin-bottom:1rem}td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:left;font-size:.9rem}
tr.moved td{background:#e8f6ea}td.instance{color:#777;font-size:.8rem}
</style></head><body>
<div id="header">
<h1>Plan for ${escapeHtml(report.workflow_id)}</h1>
<p>${escapeHtml(status)}; ${escapeHtml(expiry)}. Home region ${escapeHtml(homeRegion)}.</p>
<p>Figures are the solver's expected values per run of the workflow. Each shaded span is a run of hours with one placement; the tables below list every function.</p>
</div>
<div id="chart"></div>
<section>${sections}</section>
<script type="application/json" id="${PLAN_CHART_OPTION_ID}">${scriptJson(option)}</script>
<script>${chartLibrarySource.replace(/<\/script/gi, '<\\/script')}</script>
<script>const option = JSON.parse(document.getElementById('${PLAN_CHART_OPTION_ID}').textContent);
echarts.init(document.getElementById('chart'), null, { renderer: 'canvas' }).setOption(option);</script>
</body></html>
`;
}
