import pRetry from 'p-retry';
import { retryDelayMs } from './retry-policy';

/** A complete HTTP answer: status, headers and the whole body as text. */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: string;
}

/** How a data-source adapter talks HTTP; every field has a default, adapters pick their own. */
export interface HttpClientOptions {
  /** Per-request timeout. Default 10 s (the reference's). */
  timeoutMs?: number;
  /** Attempts per request, the first included; retried: HTTP 429, 5xx, timeouts, network errors. Default 4. */
  maxAttempts?: number;
  /** First backoff when the server gives no Retry-After; doubles per retry. Default 1 s. */
  backoffMs?: number;
  /** Longest wait honoured for Retry-After or backoff. Default 60 s. */
  maxDelayMs?: number;
  /** Least time between the starts of two requests (rate limits). Default 0. */
  minIntervalMs?: number;
  /** Injected clock (Retry-After dates, request spacing). Default `Date.now`. */
  now?: () => number;
  /** Injected wait (backoff, Retry-After, spacing). Default a timer. */
  sleep?: (ms: number) => Promise<void>;
}

export interface HttpGetOptions {
  headers?: Record<string, string>;
  /**
   * Why an answer whose status looks final is still transient (e.g. Google's
   * OVER_QUERY_LIMIT inside an HTTP 200), or undefined when it is final.
   */
  retryReason?: (answer: HttpAnswer) => string | undefined;
}

/** Every attempt failed in a way worth retrying; adapters turn this into their own message. */
export class HttpRetriesExhaustedError extends Error {
  constructor(
    readonly attempts: number,
    /** The last failure: `no answer within N ms`, the network error, `HTTP 503`, or the caller's retry reason. */
    readonly reason: string,
    /** The last answer, when the server answered at all. */
    readonly answer: HttpAnswer | undefined,
    options?: { cause?: unknown },
  ) {
    super(`${reason} after ${attempts} attempts`, options);
    this.name = 'HttpRetriesExhaustedError';
  }
}

/** One failed attempt that the next one may fix. */
class TransientFailure extends Error {
  constructor(
    readonly reason: string,
    readonly answer?: HttpAnswer,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}

const timerSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The HTTP client of the data-source adapters (Electricity Maps, Google Geocoding,
 * cloudping): GET with a timeout, retries by p-retry on 429, 5xx, timeouts and network
 * errors, waiting as long as Retry-After asks or backing off exponentially, and optional
 * spacing between requests. Waits go through the injected `sleep` and `now` (p-retry's own
 * timer cannot be injected, so its delay is zero and `onFailedAttempt` does the waiting,
 * as p-retry's documentation shows). Answers that are not transient — 2xx, 3xx, 4xx other
 * than 429 — are returned for the adapter to read.
 */
export class RetryingHttpClient {
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly maxDelayMs: number;
  private readonly minIntervalMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private lastRequestAt = -Infinity;

  /** `options` win where set, then the adapter's `defaults`, then the defaults documented on HttpClientOptions. */
  constructor(options: HttpClientOptions = {}, defaults: HttpClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? defaults.timeoutMs ?? 10_000;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? defaults.maxAttempts ?? 4);
    this.backoffMs = options.backoffMs ?? defaults.backoffMs ?? 1_000;
    this.maxDelayMs = options.maxDelayMs ?? defaults.maxDelayMs ?? 60_000;
    this.minIntervalMs = options.minIntervalMs ?? defaults.minIntervalMs ?? 0;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? timerSleep;
  }

  /** The first final answer; throws HttpRetriesExhaustedError when every attempt was transient. */
  async get(url: string, options: HttpGetOptions = {}): Promise<HttpAnswer> {
    try {
      return await pRetry(() => this.attempt(url, options), {
        retries: this.maxAttempts - 1,
        minTimeout: 0,
        factor: 1,
        shouldRetry: ({ error }) => error instanceof TransientFailure,
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
          if (!(error instanceof TransientFailure) || retriesLeft === 0) return;
          const retryAfter = error.answer?.headers.get('retry-after');
          await this.sleep(retryDelayMs({ attempt: attemptNumber, retryAfter, nowMs: this.now(), baseMs: this.backoffMs, capMs: this.maxDelayMs }));
        },
      });
    } catch (error) {
      if (error instanceof TransientFailure) throw new HttpRetriesExhaustedError(this.maxAttempts, error.reason, error.answer, { cause: error.cause });
      throw error;
    }
  }

  private async attempt(url: string, options: HttpGetOptions): Promise<HttpAnswer> {
    await this.keepSpacing();
    let answer: HttpAnswer;
    try {
      const response = await fetch(url, { headers: { accept: 'application/json', ...options.headers }, signal: AbortSignal.timeout(this.timeoutMs) });
      answer = { status: response.status, headers: response.headers, body: await response.text() };
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new TransientFailure(timedOut ? `no answer within ${this.timeoutMs} ms` : (error as Error).message, undefined, { cause: error });
    }
    if (answer.status === 429 || answer.status >= 500) throw new TransientFailure(`HTTP ${answer.status}`, answer);
    const reason = options.retryReason?.(answer);
    if (reason !== undefined) throw new TransientFailure(reason, answer);
    return answer;
  }

  private async keepSpacing(): Promise<void> {
    const wait = this.lastRequestAt + this.minIntervalMs - this.now();
    if (wait > 0) await this.sleep(wait);
    this.lastRequestAt = this.now();
  }
}
