import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PNG } from 'pngjs';
import { LocalDatabase, LocalKeyValueStore } from '@caribou/adapter-local';
import { PLAN_CHART_OPTION_ID, PLAN_LAYOUT } from '@caribou/application';
import { Tables } from '@caribou/domain-common';
import { CHROMIUM, screenshot } from '../testing/chromium';
import { runCli } from '../testing/run-cli';

const WF = 'wf-0.0.1';
const instance = (fn: string, index: number) => `wf-0_0_1-${fn}:${index === 0 ? 'entry_point' : `wf-0_0_1-a_0_${index - 1}`}:${index}`;
const [A, B, C] = [instance('a', 0), instance('b', 1), instance('c', 2)];
const HOME = { provider: 'aws', region: 'us-east-1' };
const CANADA = { provider: 'aws', region: 'ca-central-1' };
const OREGON = { provider: 'aws', region: 'us-west-2' };

/** Where each instance runs in hour `hour`: b and c in Canada 0–11, b in Oregon 12–17, all home 18–23. */
function placementAt(hour: number): Record<string, { provider_region: typeof HOME }> {
  const [b, c] = hour < 12 ? [CANADA, CANADA] : hour < 18 ? [OREGON, HOME] : [HOME, HOME];
  return { [A]: { provider_region: HOME }, [B]: { provider_region: b }, [C]: { provider_region: c } };
}

const metrics = (carbon: number) => ({ average_carbon: carbon, average_cost: 2e-6, average_runtime: 1.2, tail_carbon: carbon, tail_cost: 2e-6, tail_runtime: 1.5 });
/** Grams per run: a few milligrams, different every hour, so each point has its own height. */
const planCarbon = (hour: number) => (hour < 12 ? 0.002 + hour * 0.0001 : hour < 18 ? 0.005 + (hour - 12) * 0.0002 : 0.009);
const homeCarbon = () => 0.009;

/** A deployed three-function workflow with a staged plan of 24 hourly time keys. */
async function seed(file: string): Promise<void> {
  const db = new LocalDatabase(file);
  const store = new LocalKeyValueStore(db);
  const home = (name: string) => ({ provider_region: HOME, identifier: name, function_identifier: name });
  const writes = [
    store.put(
      Tables.workflowPlacementDecision,
      WF,
      JSON.stringify({
        instances: Object.fromEntries([A, B, C].map((name) => [name, { instance_name: name, preceding_instances: [], succeeding_instances: [], dependent_sync_predecessors: [] }])),
        current_instance_name: A,
        workflow_placement: { home_deployment: { [A]: home('a'), [B]: home('b'), [C]: home('c') } },
      }),
    ),
    store.put(
      Tables.workflowPlacementSolverStagingArea,
      WF,
      JSON.stringify({
        time_keys_to_staging_area_data: Object.fromEntries(Array.from({ length: 24 }, (_, hour) => [String(hour), placementAt(hour)])),
        deployment_metrics: Object.fromEntries(Array.from({ length: 24 }, (_, hour) => [String(hour), metrics(planCarbon(hour))])),
        home_deployment_metrics: Object.fromEntries(Array.from({ length: 24 }, (_, hour) => [String(hour), metrics(homeCarbon())])),
        expiry_time: '2099-01-01 00:00:00,000000+0000',
      }),
    ),
  ];
  await Promise.all(writes).finally(() => db.close());
}

interface ChartOption {
  animation: boolean;
  yAxis: { max: number; name: string };
  series: Array<{ name: string; data: Array<number | null>; markArea?: { data: Array<[{ label: { formatter: string } }, unknown]> } }>;
}

/** The hours whose plan point is drawn where its value puts it (a plan-coloured pixel within 4 px). */
function hoursDrawn(png: PNG, option: ChartOption): number[] {
  const L = PLAN_LAYOUT;
  const [r0, g0, b0] = [1, 3, 5].map((i) => parseInt(L.planColour.slice(i, i + 2), 16)) as [number, number, number];
  const band = (L.widthPx - L.grid.left - L.grid.right) / 24;
  const plotHeight = L.chartHeightPx - L.grid.top - L.grid.bottom;
  const values = option.series.find((s) => s.name === 'plan')!.data;
  const drawn: number[] = [];
  values.forEach((value, hour) => {
    if (value === null) return;
    const cx = Math.round(L.grid.left + (hour + 0.5) * band);
    const cy = Math.round(L.headerHeightPx + L.grid.top + plotHeight * (1 - value / option.yAxis.max));
    let found = false;
    for (let y = cy - 4; y <= cy + 4 && !found; y++)
      for (let x = cx - 4; x <= cx + 4 && !found; x++) {
        const i = (y * png.width + x) * 4;
        found = Math.abs(png.data[i]! - r0) + Math.abs(png.data[i + 1]! - g0) + Math.abs(png.data[i + 2]! - b0) < 30;
      }
    if (found) drawn.push(hour);
  });
  return drawn;
}

const optionOf = (html: string): ChartOption => {
  const json = new RegExp(`<script type="application/json" id="${PLAN_CHART_OPTION_ID}">(.*?)</script>`, 's').exec(html)?.[1];
  expect(json, 'the page embeds its chart option').toBeDefined();
  return JSON.parse(json!) as ChartOption;
};

describe('caribou plan on the local provider (a staged 24-hour plan seeded into a fresh CARIBOU_HOME)', () => {
  const home = mkdtempSync(join(tmpdir(), 'caribou-plan-'));
  const env = { CARIBOU_HOME: home };
  const viewport = { width: PLAN_LAYOUT.widthPx, height: PLAN_LAYOUT.headerHeightPx + PLAN_LAYOUT.chartHeightPx };
  beforeAll(() => seed(join(home, 'local.db')));
  afterAll(() => (process.env.KEEP_PLAN_HOME ? console.log(home) : rmSync(home, { recursive: true, force: true })));

  it('prints each run of hours with one placement once, with what moved where', async () => {
    const result = await runCli(['plan', WF], { env });
    expect(result.code, result.stderr).toBe(0);
    const blocks = result.stdout.split('\n').filter((line) => /^ {2}\d\d:00/.test(line));
    expect(blocks.map((line) => line.slice(2, 18))).toEqual(['00:00–11:59 UTC ', '12:00–17:59 UTC ', '18:00–23:59 UTC ']);
    expect(blocks[0]).toContain('2 of 3 moved');
    expect(blocks[2]).toContain('0 of 3 moved; Δ carbon 0.0 %');
    expect(result.stdout).toContain(`→ ${B}  aws:us-west-2  (home aws:us-east-1)`);
  });

  it('--html: milligrams per run, the day average and change, each run of hours marked once with its moves', async () => {
    const file = join(home, 'plan.html');
    const result = await runCli(['plan', WF, '--html', file], { env });
    expect(result.code, result.stderr).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/); // self-contained
    const option = optionOf(html);
    expect(option.animation).toBe(false);
    expect(option.yAxis.name).toBe('mg CO₂e per run');
    const plan = option.series.find((s) => s.name === 'plan')!;
    expect(plan.data).toEqual(Array.from({ length: 24 }, (_, hour) => Number((planCarbon(hour) * 1000).toPrecision(3))));
    expect(plan.markArea!.data.map(([start]) => start.label.formatter)).toEqual([
      'carbon -77.8 % to -65.6 %\nb, c → aws:ca-central-1',
      'carbon -44.4 % to -33.3 %\nb → aws:us-west-2',
      'carbon 0.0 %\nall at home',
    ]);
    // The day: plan average of the 24 hourly figures against 9 mg at home.
    const planDay = Array.from({ length: 24 }, (_, hour) => planCarbon(hour)).reduce((a, b) => a + b, 0) / 24;
    const change = ((planDay - 0.009) / 0.009) * 100;
    expect(html).toContain(`Average over the day: ${(planDay * 1000).toPrecision(3)} mg CO₂e per run with the plan, 9.00 mg CO₂e all at home (-${Math.abs(change).toFixed(1)} %)`);
    expect(html.match(/<h2>/g)).toHaveLength(3);
    const page = html.replace(/<script>[\s\S]*?<\/script>/g, ''); // without the charting library
    expect(page).toContain('expires 2099-01-01 00:00 UTC');
    expect(page).not.toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+\+0000|\de-\d/); // no storage-format times, no exponents
  });

  it('--html in headless Chromium without a virtual-time budget: all 24 hours drawn at their values', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium (.ci/run installs it)`).toBe(true);
    const file = join(home, 'plan.html');
    expect((await runCli(['plan', WF, '--html', file], { env })).code).toBe(0);
    const html = readFileSync(file, 'utf8');
    const option = optionOf(html);
    expect(hoursDrawn(screenshot(file, join(home, 'plan.png'), viewport), option)).toEqual(Array.from({ length: 24 }, (_, hour) => hour));

    // The check can fail: the page with the chart's initialisation removed draws no hour, and
    // with a (long) animation a load-time screenshot catches the first hours at most.
    const blank = join(home, 'blank.html');
    writeFileSync(blank, html.replace(/<script>const option = [\s\S]*?<\/script>/, '<script></script>'));
    expect(hoursDrawn(screenshot(blank, join(home, 'blank.png'), viewport), option)).toEqual([]);
    const animated = join(home, 'animated.html');
    writeFileSync(animated, html.replace('"animation":false', '"animation":true,"animationDuration":60000'));
    expect(hoursDrawn(screenshot(animated, join(home, 'animated.png'), viewport), option).length).toBeLessThan(24);
  }, 360_000);
});
