import { Tables } from '@caribou/domain-common';
import {
  LATENCY_SAMPLE_COUNT,
  P50_ONLY_LOG_SIGMA,
  buildPerformanceRegionRow,
  latencyDistributionSeconds,
  pairRandom,
  type LatencyDistributionMethod,
} from '@caribou/domain-collection';
import type { LatencyReading, LatencySource } from '@caribou/ports';
import type { CollectorReport, RegionCollectionOutcome } from './collection-report';
import { checkProviderName, errorMessage, readAvailableRegions, stampCollector, type CollectorDependencies } from './collector-context';

export interface PerformanceCollectorOptions {
  /** Seed of the per-pair sample generators; the same seed and data give the same rows. */
  seed?: number | string;
  /** Samples per pair (reference: 100). */
  sampleCount?: number;
  /** Log-space sigma assumed when a source gives only P50 (default P50_ONLY_LOG_SIGMA = 0.1). */
  p50OnlySigma?: number;
}

const METHOD_LABEL: Record<LatencyDistributionMethod, string> = {
  'fitted-percentiles': 'log-normal fit',
  'p50-with-assumed-sigma': `p50 with assumed sigma`,
  'given-samples': 'given samples',
  'default-150ms': 'default 0.15 s',
};

/**
 * Performance collector (reference §9.3): for every ordered pair of the provider's
 * available regions (itself included), a latency distribution of 100 samples in
 * SECONDS drawn from a log-normal fitted to the source's percentiles. Pairs the source
 * cannot answer get [0.15] s (the reference's 150 ms default, which it wrote unconverted
 * in ms). Only same-provider pairs are written: the reference wrote `[]` for
 * cross-provider pairs, which the solver cannot sample; a missing pair instead reads as
 * the solver's own default.
 */
export class PerformanceCollectorService {
  private readonly provider: string;

  constructor(private readonly deps: CollectorDependencies & { latencySource: LatencySource; options?: PerformanceCollectorOptions }) {
    this.provider = checkProviderName(deps.provider);
  }

  async collect(): Promise<CollectorReport> {
    const { store, clock, progress, latencySource } = this.deps;
    const options = this.deps.options ?? {};
    return progress.step(`Collecting inter-region latency (${this.provider}) from the ${latencySource.name}`, async (update) => {
      const warnings: string[] = [];
      const regions = (await readAvailableRegions(store)).filter((region) => region.key.startsWith(`${this.provider}:`));
      if (regions.length === 0) {
        const warning = `no ${this.provider} regions in ${Tables.availableRegions}: run the provider collector first`;
        warnings.push(warning);
        progress.warn(warning);
      }
      const failures = new Set<string>();
      const epochSeconds = clock.now() / 1000;
      const outcomes: RegionCollectionOutcome[] = [];
      for (const from of regions) {
        update(from.key);
        const latencies: Array<readonly [string, number[]]> = [];
        const methods = new Map<LatencyDistributionMethod, number>();
        const sources = new Set<string>();
        const fallbacks: string[] = [];
        const notes = new Set<string>();
        for (const to of regions) {
          let reading: LatencyReading | undefined;
          try {
            reading = await latencySource.read(from.code, to.code);
          } catch (error) {
            failures.add(errorMessage(error));
          }
          const distribution = latencyDistributionSeconds(reading?.observation, {
            random: pairRandom(options.seed ?? 0, from.key, to.key),
            sampleCount: options.sampleCount ?? LATENCY_SAMPLE_COUNT,
            singlePercentileSigma: options.p50OnlySigma ?? P50_ONLY_LOG_SIGMA,
          });
          latencies.push([to.key, distribution.seconds]);
          methods.set(distribution.method, (methods.get(distribution.method) ?? 0) + 1);
          if (reading) sources.add(reading.source);
          if (distribution.method === 'default-150ms') fallbacks.push(`→ ${to.key}: no latency data → 0.15 s`);
          if (reading && reading.measuredFrom !== from.code) notes.add(`${from.code} measured as ${reading.measuredFrom}`);
          if (reading && reading.measuredTo !== to.code) notes.add(`${to.code} measured as ${reading.measuredTo}`);
        }
        await store.put(Tables.performanceRegion, from.key, JSON.stringify(buildPerformanceRegionRow(latencies)));
        await stampCollector(store, from.key, 'performance', epochSeconds);
        const dominant = [...methods].sort((a, b) => b[1] - a[1])[0]?.[0];
        const sourceName = sources.size > 0 ? [...sources].sort().join('+') : 'fallback:default-0.15s';
        outcomes.push({
          region: from.key,
          source: dominant && dominant !== 'default-150ms' ? `${sourceName} (${METHOD_LABEL[dominant]})` : sourceName,
          fallbacks,
          notes: [...notes],
        });
      }
      for (const failure of failures) {
        const warning = `${latencySource.name} failed: ${failure}`;
        warnings.push(warning);
        progress.warn(warning);
      }
      return { collector: 'performance', provider: this.provider, regions: outcomes, warnings, notes: [] };
    });
  }
}
