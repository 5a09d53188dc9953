import { CaribouError } from '@caribou/domain-common';
import { LATENCY_PERCENTILES, resolveLatencyCode, type LatencyPercentile, type LatencyPercentilesMs } from '@caribou/domain-collection';
import { HttpRetriesExhaustedError, RetryingHttpClient, type HttpAnswer, type HttpClientOptions } from '@caribou/adapter-http-client';
import { DataSourceRefusedError, type LatencyReading, type LatencySource } from '@caribou/ports';

export const CLOUDPING_DEFAULT_BASE_URL = 'https://www.cloudping.co';

/** HTTP behaviour (timeout, attempts, backoff, injected clock) is the shared client's. */
export interface CloudPingOptions extends HttpClientOptions {
  baseUrl?: string;
  /** cloudping window; the reference uses one week. */
  timeframe?: string;
  percentiles?: readonly LatencyPercentile[];
}

/** `matrices.get(percentile).get(from).get(to)` = ms. */
type PercentileMatrices = Map<LatencyPercentile, Map<string, Map<string, number>>>;

/** One download per base URL, window and percentile set for the whole process, as the reference (which keeps it on the class). */
const downloads = new Map<string, Promise<PercentileMatrices>>();

/**
 * Inter-region latency percentiles from cloudping.co (`GET /api/latencies?percentile=
 * p_50&timeframe=1W` → `{"data": {"<from>": {"<to>": ms}}}`), all seven percentiles
 * fetched once per process. Codes cloudping lacks are substituted with the reference's
 * rules; a pair still unknown reads as undefined (the collector writes 0.15 s).
 */
export class CloudPingLatencySource implements LatencySource {
  readonly name = 'cloudping.co';
  private readonly baseUrl: string;
  private readonly timeframe: string;
  private readonly percentiles: readonly LatencyPercentile[];
  private readonly http: RetryingHttpClient;

  constructor(options: CloudPingOptions = {}) {
    this.baseUrl = (options.baseUrl ?? CLOUDPING_DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.timeframe = options.timeframe ?? '1W';
    this.percentiles = options.percentiles ?? LATENCY_PERCENTILES;
    if (this.percentiles.length === 0) throw new CaribouError('cloudping needs at least one percentile, e.g. p_50');
    this.http = new RetryingHttpClient(options, { timeoutMs: 10_000, maxAttempts: 3, backoffMs: 1_000, maxDelayMs: 30_000 });
  }

  async read(fromCode: string, toCode: string): Promise<LatencyReading | undefined> {
    const matrices = await this.matrices();
    const reference = matrices.get(this.percentiles.includes('p_50') ? 'p_50' : this.percentiles[0]!)!;
    const from = resolveLatencyCode(fromCode, (code) => reference.has(code));
    if (!from) return undefined;
    const row = reference.get(from.code)!;
    const to = resolveLatencyCode(toCode, (code) => row.has(code));
    if (!to) return undefined;
    const millis: LatencyPercentilesMs = {};
    for (const percentile of this.percentiles) {
      const value = matrices.get(percentile)?.get(from.code)?.get(to.code);
      if (value !== undefined) millis[percentile] = value;
    }
    return { observation: { kind: 'percentiles', millis }, source: `cloudping:${this.timeframe}`, measuredFrom: from.code, measuredTo: to.code };
  }

  private matrices(): Promise<PercentileMatrices> {
    const key = `${this.baseUrl}|${this.timeframe}|${this.percentiles.join(',')}`;
    let download = downloads.get(key);
    if (!download) {
      download = this.download();
      downloads.set(key, download);
      // A failed download is not kept: the next read (or the next run) tries again.
      download.catch(() => downloads.delete(key));
    }
    return download;
  }

  private async download(): Promise<PercentileMatrices> {
    const matrices: PercentileMatrices = new Map();
    for (const percentile of this.percentiles) matrices.set(percentile, await this.fetchPercentile(percentile));
    return matrices;
  }

  private async fetchPercentile(percentile: LatencyPercentile): Promise<Map<string, Map<string, number>>> {
    const url = `${this.baseUrl}/api/latencies?${new URLSearchParams({ percentile, timeframe: this.timeframe })}`;
    let answer: HttpAnswer;
    try {
      answer = await this.http.get(url);
    } catch (error) {
      if (!(error instanceof HttpRetriesExhaustedError)) throw error;
      if (!error.answer) throw new CaribouError(`cloudping unreachable for ${percentile} after ${error.attempts} attempts: ${error.reason}`, { cause: error.cause });
      throw new CaribouError(`cloudping answered HTTP ${error.answer.status} for ${percentile} after ${error.attempts} attempts: retry later or use the offline latency snapshot`);
    }
    if (answer.status === 401 || answer.status === 403) {
      throw new DataSourceRefusedError(this.name, `cloudping refused the request for ${percentile} (HTTP ${answer.status}): use the offline latency snapshot`);
    }
    if (answer.status < 200 || answer.status >= 300) throw new CaribouError(`cloudping answered HTTP ${answer.status} for ${percentile}: ${answer.body.slice(0, 120)}`);
    return parseMatrix(answer.body, percentile);
  }
}

function parseMatrix(body: string, percentile: string): Map<string, Map<string, number>> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new CaribouError(`cloudping answered malformed JSON for ${percentile}: ${JSON.stringify(body.slice(0, 80))}`);
  }
  const data = (json as { data?: unknown } | null)?.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new CaribouError(`cloudping answer for ${percentile} has no 'data' object`);
  const matrix = new Map<string, Map<string, number>>();
  for (const [from, row] of Object.entries(data)) {
    if (typeof row !== 'object' || row === null) throw new CaribouError(`cloudping answer for ${percentile}: data.${from} is not an object`);
    const targets = new Map<string, number>();
    for (const [to, value] of Object.entries(row as Record<string, unknown>)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
        throw new CaribouError(`cloudping answer for ${percentile}: data.${from}.${to} is ${JSON.stringify(value)}, expected positive milliseconds`);
      }
      targets.set(to, value);
    }
    matrix.set(from, targets);
  }
  return matrix;
}
