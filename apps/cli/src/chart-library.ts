import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The charting library inlined into HTML reports (Apache ECharts, Apache-2.0), so they open offline. */
export function echartsSource(): string {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
}
