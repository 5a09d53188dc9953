import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PNG } from 'pngjs';
import { LocalDatabase, LocalKeyValueStore } from '@caribou/adapter-local';
import { REPORT_LAYOUT } from '@caribou/application';
import { storedRows } from '@caribou/domain-accounting/testing';
import { CHROMIUM, screenshot as screenshotPage } from '../testing/chromium';
import { runCli } from '../testing/run-cli';

const WF = 'wf-1.0';
/** Renders the report at its layout's size. */
const screenshot = (html: string, png: string): PNG =>
  screenshotPage(html, png, { width: REPORT_LAYOUT.widthPx, height: REPORT_LAYOUT.summaryHeightPx + 2 * REPORT_LAYOUT.chartHeightPx });

/** Standard deviation of luminance and the number of distinct colours in a rectangle. */
function pixelStats(png: PNG, x0: number, y0: number, width: number, height: number): { spread: number; colours: number } {
  let sum = 0;
  let squares = 0;
  const colours = new Set<number>();
  for (let y = y0; y < y0 + height; y++)
    for (let x = x0; x < x0 + width; x++) {
      const i = (y * png.width + x) * 4;
      const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
      const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
      sum += luminance;
      squares += luminance * luminance;
      colours.add((r << 16) | (g << 8) | b);
    }
  const n = width * height;
  return { spread: Math.sqrt(Math.max(0, squares / n - (sum / n) ** 2)), colours: colours.size };
}

/** Each chart's rectangle in the screenshot (REPORT_LAYOUT: two rows of two below the summary). */
function chartRegions(): Array<{ id: string; x: number; y: number }> {
  return REPORT_LAYOUT.chartIds.map((id, i) => ({
    id,
    x: (i % 2) * REPORT_LAYOUT.chartWidthPx,
    y: REPORT_LAYOUT.summaryHeightPx + Math.floor(i / 2) * REPORT_LAYOUT.chartHeightPx,
  }));
}

describe('caribou report on the local provider (stored runs seeded into a fresh CARIBOU_HOME)', () => {
  const home = mkdtempSync(join(tmpdir(), 'caribou-report-'));
  const env = { CARIBOU_HOME: home };
  beforeAll(async () => {
    const db = new LocalDatabase(join(home, 'local.db'));
    const store = new LocalKeyValueStore(db);
    for (const [table, key, row] of storedRows()) await store.put(table, key, JSON.stringify(row), { compress: table === 'workflow_summary_table' });
    db.close();
  });
  afterAll(() => process.env.KEEP_REPORT_HOME ? undefined : rmSync(home, { recursive: true, force: true }));

  it('--json has exactly the documented shape, and savings agree with measured and home', async () => {
    const result = await runCli(['report', WF, '--json'], { env });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual(['workflow_id', 'period', 'runs', 'runs_at_home', 'measured', 'home_counterfactual', 'savings', 'prediction', 'by_day', 'by_function']);
    expect(Object.keys(report.measured)).toEqual(['carbon_g', 'cost_usd', 'runtime_p50_s', 'runtime_p95_s']);
    expect(Object.keys(report.home_counterfactual)).toEqual(['carbon_g', 'cost_usd', 'runtime_p50_s', 'runtime_p95_s']);
    expect(Object.keys(report.savings)).toEqual(['carbon_g', 'carbon_pct', 'cost_pct', 'runtime_p95_pct']);
    expect(Object.keys(report.prediction)).toEqual(['carbon_pct', 'cost_pct', 'runtime_p95_pct']);
    expect(Object.keys(report.by_day[0])).toEqual(['day', 'runs', 'carbon_g', 'home_carbon_g']);
    expect(Object.keys(report.by_function[0])).toEqual(['function', 'regions', 'carbon_g', 'home_carbon_g']);
    expect(report.workflow_id).toBe(WF);
    expect(report.runs).toBe(4);
    expect(report.period).toEqual({ from: '2026-12-07T01:00:00.000Z', to: '2026-12-08T04:00:00.000Z' });
    expect(report.savings.carbon_g).toBeCloseTo(report.home_counterfactual.carbon_g - report.measured.carbon_g, 12);
  });

  it('prints totals, days and functions for people; bad dates are one line and exit 1', async () => {
    const result = await runCli(['report', WF], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/emitted +\d[\d.]* (µg|mg|g|kg) CO2e \(all at home/);
    expect(result.stdout).toMatch(/plan predicted +carbon -54\.0 %/);
    expect(result.stdout).toContain('By day (UTC)\n  2026-12-07      2 runs');
    expect(result.stdout).toMatch(/ B +[\d.]+ (µg|mg) CO2e \(all at home [\d.]+ (µg|mg) CO2e, -\d+\.\d %\) +ran in aws:us-east-1 × 2, aws:ca-central-1 × 2/);
    const bad = await runCli(['report', WF, '--since', 'last tuesday'], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toEqual(["Error: --since 'last tuesday' is not a date: use YYYY-MM-DD (UTC) or an ISO 8601 time such as 2026-12-07T08:00Z"]);
  });

  it('--since alone after every run: the period reads "from …", not an arrow to nothing', async () => {
    const result = await runCli(['report', WF, '--since', '2030-01-01'], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`Measured carbon of ${WF}, from 2030-01-01 00:00 UTC\n  no synced runs in this period\n`);
  });

  it('--html renders in headless Chromium with every chart area drawn (not blank)', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium (.ci/run installs it)`).toBe(true);
    const file = join(home, 'report.html');
    const result = await runCli(['report', WF, '--html', file], { env });
    expect(result.code, result.stderr).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/); // self-contained

    const drawn = screenshot(file, join(home, 'report.png'));
    // The same page with the charts' initialisation removed: its chart areas are blank, so the
    // check below would fail on a page that loads but draws nothing.
    const blankFile = join(home, 'blank.html');
    writeFileSync(blankFile, html.replace(/<script>const charts = [\s\S]*?<\/script>/, '<script></script>'));
    const blank = screenshot(blankFile, join(home, 'blank.png'));
    for (const region of chartRegions()) {
      const inside = { x: region.x + 10, y: region.y + 10, w: REPORT_LAYOUT.chartWidthPx - 20, h: REPORT_LAYOUT.chartHeightPx - 20 };
      const shown = pixelStats(drawn, inside.x, inside.y, inside.w, inside.h);
      const empty = pixelStats(blank, inside.x, inside.y, inside.w, inside.h);
      expect(empty.colours, `blank ${region.id}`).toBe(1);
      expect(shown.spread, `${region.id}: luminance spread`).toBeGreaterThan(10);
      expect(shown.colours, `${region.id}: distinct colours`).toBeGreaterThan(20);
    }
  }, 240_000);
});
