import { resolveLatencyCode } from '@caribou/domain-collection';
import type { LatencyReading, LatencySource } from '@caribou/ports';
import { loadShippedDataset, type OfflineDataset } from './dataset';

/**
 * Inter-region latency from the shipped cloudping snapshot (P50 over one year, ms) for
 * 32 regions. ap-east-2 and ap-southeast-6 are not in it: the reference's code rules
 * map them to ap-east-1 and ap-southeast-1. Only P50 exists, so the collector samples
 * with an assumed dispersion (see P50_ONLY_LOG_SIGMA).
 */
export class OfflineLatencySource implements LatencySource {
  readonly name = 'offline dataset';

  constructor(private readonly dataset: OfflineDataset = loadShippedDataset()) {}

  async read(fromCode: string, toCode: string): Promise<LatencyReading | undefined> {
    const matrix = this.dataset.latencyMs;
    const from = resolveLatencyCode(fromCode, (code) => matrix.has(code));
    if (!from) return undefined;
    const row = matrix.get(from.code)!;
    const to = resolveLatencyCode(toCode, (code) => row.has(code));
    if (!to) return undefined;
    return {
      observation: { kind: 'percentiles', millis: { p_50: row.get(to.code)! } },
      source: 'offline:cloudping-p50-1Y',
      measuredFrom: from.code,
      measuredTo: to.code,
    };
  }
}
