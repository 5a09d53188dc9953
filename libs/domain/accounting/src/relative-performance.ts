import { percentile } from './stats';
import type { RunRecord } from './run-records';

/**
 * How much longer (or shorter) an execution would have taken at home: the factor turning a
 * duration measured in `region` into the home region's. From the runs themselves where the
 * instance ran both at home and there (median home duration / median duration there; warm
 * executions only when there are any, since cold starts are not what moving changes), else
 * from the collected relative performance of the two regions (a runtime multiplier, as the
 * solver scales durations).
 */
export type HomeDurationScale = (instance: string, region: string) => number;

export function measuredHomeDurationScale(
  runs: readonly RunRecord[],
  homeRegion: string,
  collectedRelativePerformance: (region: string) => number,
): HomeDurationScale {
  const samples = new Map<string, { warm: number[]; all: number[] }>();
  for (const run of runs)
    for (const e of run.executions) {
      if (e.redirector) continue;
      const key = `${e.instance}\u0000${e.region}`;
      let entry = samples.get(key);
      if (!entry) samples.set(key, (entry = { warm: [], all: [] }));
      entry.all.push(e.durationS);
      if (!e.coldStart) entry.warm.push(e.durationS);
    }
  const median = (instance: string, region: string): number | undefined => {
    const entry = samples.get(`${instance}\u0000${region}`);
    if (!entry) return undefined;
    return percentile(entry.warm.length > 0 ? entry.warm : entry.all, 50);
  };
  const cache = new Map<string, number>();
  return (instance, region) => {
    if (region === homeRegion) return 1;
    const key = `${instance}\u0000${region}`;
    let scale = cache.get(key);
    if (scale === undefined) {
      const atHome = median(instance, homeRegion);
      const there = median(instance, region);
      scale =
        atHome !== undefined && there !== undefined && there > 0
          ? atHome / there
          : collectedRelativePerformance(homeRegion) / collectedRelativePerformance(region);
      cache.set(key, scale);
    }
    return scale;
  };
}
