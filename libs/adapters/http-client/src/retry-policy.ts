/**
 * Waiting rules of the data-source HTTP client: honour the server's Retry-After, else back
 * off exponentially. Pure arithmetic on an injected "now", so tests need no wall clock.
 */

/**
 * Milliseconds a `Retry-After` header asks for: delta-seconds (`"3"`) or an HTTP date.
 * Undefined when absent or unreadable; a date in the past gives 0.
 */
export function parseRetryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (!Number.isFinite(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Delay before retry number `attempt` (1 = first retry): base·2^(attempt−1), capped. */
export function backoffDelayMs(attempt: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/** The delay to wait before the next attempt: the server's request when given (capped), else the backoff. */
export function retryDelayMs(options: { attempt: number; retryAfter?: string | null; nowMs: number; baseMs: number; capMs: number }): number {
  const requested = parseRetryAfterMs(options.retryAfter, options.nowMs);
  if (requested !== undefined) return Math.min(requested, options.capMs);
  return backoffDelayMs(options.attempt, options.baseMs, options.capMs);
}
