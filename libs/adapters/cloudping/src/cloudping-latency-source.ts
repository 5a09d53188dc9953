import { CaribouError } from '@caribou/domain-common';
import { LATENCY_PERCENTILES, resolveLatencyCode, retryDelayMs, type LatencyPercentile, type LatencyPercentilesMs } from '@caribou/domain-collection';
import { DataSourceRefusedError, type LatencyReading, type LatencySource } from '@caribou/ports';

export const CLOUDPING_DEFAULT_BASE_URL = 'https://www.cloudping.co';

export interface CloudPingOptions {
  baseUrl?: string;
  /** cloudping window; the reference uses one week. */
  timeframe?: string;
  percentiles?: readonly LatencyPercentile[];
  timeoutMs?: number;
  /** Attempts per percentile, first try included; retries on 429, 5xx, timeouts and network errors. */
  maxAttempts?: number;
  backoffMs?: number;
  maxDelayMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** `matrices.get(percentile).get(from).get(to)` = ms. */
type PercentileMatrices = Map<LatencyPercentile, Map<string, Map<string, number>>>;

/** One download per base URL, window and percentile set for the whole process, as the reference (which keeps it on the class). */
const downloads = new Map<string, Promise<PercentileMatrices>>();

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly maxDelayMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: CloudPingOptions = {}) {
    this.baseUrl = (options.baseUrl ?? CLOUDPING_DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.timeframe = options.timeframe ?? '1W';
    this.percentiles = options.percentiles ?? LATENCY_PERCENTILES;
    if (this.percentiles.length === 0) throw new CaribouError('cloudping needs at least one percentile, e.g. p_50');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.backoffMs = options.backoffMs ?? 1_000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
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
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.timeoutMs) });
      } catch (error) {
        if (attempt < this.maxAttempts) {
          await this.sleep(retryDelayMs({ attempt, nowMs: this.now(), baseMs: this.backoffMs, capMs: this.maxDelayMs }));
          continue;
        }
        const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : (error as Error).message;
        throw new CaribouError(`cloudping unreachable for ${percentile} after ${attempt} attempts: ${reason}`, { cause: error });
      }
      const body = await response.text();
      if (response.status === 401 || response.status === 403) {
        throw new DataSourceRefusedError(this.name, `cloudping refused the request for ${percentile} (HTTP ${response.status}): use the offline latency snapshot`);
      }
      if (response.status === 429 || response.status >= 500) {
        if (attempt < this.maxAttempts) {
          await this.sleep(retryDelayMs({ attempt, retryAfter: response.headers.get('retry-after'), nowMs: this.now(), baseMs: this.backoffMs, capMs: this.maxDelayMs }));
          continue;
        }
        throw new CaribouError(`cloudping answered HTTP ${response.status} for ${percentile} after ${attempt} attempts: retry later or use the offline latency snapshot`);
      }
      if (!response.ok) throw new CaribouError(`cloudping answered HTTP ${response.status} for ${percentile}: ${body.slice(0, 120)}`);
      return parseMatrix(body, percentile);
    }
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
